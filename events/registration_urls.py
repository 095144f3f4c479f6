"""URLs of registering and of the organisers' registrations list (namespace events)."""

from django.urls import path

from events import registration_views, staff_views

urlpatterns = [
    path("<int:event_id>/register/", registration_views.register, name="register"),
    path(
        "<int:event_id>/register/group/", registration_views.register_group, name="register_group"
    ),
    path(
        "<int:event_id>/register/guest/", registration_views.register_guest, name="register_guest"
    ),
    path("r/<str:code>/", registration_views.registration, name="registration"),
    path(
        "r/<str:code>/certificate/",
        registration_views.registration_certificate,
        name="registration_certificate",
    ),
    path(
        "r/<str:code>/<slug:action>/",
        registration_views.registration_action,
        name="registration_action",
    ),
    path("mine/", registration_views.mine, name="mine"),
    path("mine/<int:registration_id>/cancel/", registration_views.cancel_mine, name="cancel_mine"),
    path("<int:event_id>/registrations/", staff_views.manage, name="manage"),
    path(
        "<int:event_id>/registrations/<int:registration_id>/<slug:action>/",
        staff_views.moderate,
        name="moderate",
    ),
]
