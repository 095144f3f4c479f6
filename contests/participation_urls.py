"""Taking part: registering, codes, Start, withdrawing; the organisers' participants pages."""

from django.urls import path

from contests import code_views
from contests import participation_views as views

urlpatterns = [
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/register/group/", views.register_group, name="register_group"),
    path("<slug:slug>/code/", code_views.enter_code, name="enter_code"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/participants.csv", views.participants_csv, name="participants_csv"),
    path("<slug:slug>/participants/<int:pk>/", views.participant_edit, name="participant_edit"),
    path("<slug:slug>/participants/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/codes/", code_views.codes_page, name="codes"),
    path("<slug:slug>/codes/print/", code_views.code_sheet, name="code_sheet"),
]
