from django.urls import path

from schools import views

app_name = "school"

urlpatterns = [
    path("", views.school_home, name="home"),
    path("groups/new/", views.create_group, name="create_group"),
    path("groups/<int:group_id>/", views.edit_group, name="group"),
    path("teachers/new/", views.create_teacher, name="create_teacher"),
    path(
        "teachers/<int:user_id>/password/",
        views.reset_teacher_password,
        name="reset_teacher_password",
    ),
    path("pupils/", views.school_pupils, name="pupils"),
    path(
        "pupils/<int:user_id>/password/",
        views.reset_pupil_password,
        name="reset_pupil_password",
    ),
    path("passwords/", views.password_resets, name="password_resets"),
    path("cards/<str:token>/", views.staff_cards, name="cards"),
    path("access/", views.access_grants, name="access"),
    path("access/<int:grant_id>/revoke/", views.revoke_grant, name="revoke_grant"),
]
