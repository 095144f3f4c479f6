"""Appeals and the jury's score changes."""

from django.urls import path

from contests import appeal_views as views

urlpatterns = [
    path("<slug:slug>/appeals/", views.appeal_list, name="appeals"),
    path("<slug:slug>/appeals/<int:pk>/", views.appeal_detail, name="appeal"),
    path("<slug:slug>/appeals/change/", views.score_change, name="score_change"),
]
