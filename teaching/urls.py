from django.urls import path

from teaching import views

app_name = "teach"

urlpatterns = [
    path("", views.my_groups, name="groups"),
    path("shared/", views.shared_catalogue, name="shared"),
    path("shared/enrol/", views.enrol_shared, name="shared_enrol"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/<int:group_id>/pupils/new/", views.add_pupil, name="add_pupil"),
    path("groups/<int:group_id>/import/", views.import_roster, name="import"),
    path("groups/<int:group_id>/export.<str:fmt>", views.export_roster, name="export"),
    path("groups/<int:group_id>/cards/", views.issue_cards, name="issue_cards"),
    path("groups/<int:group_id>/cards/<str:token>/", views.cards, name="cards"),
    path(
        "groups/<int:group_id>/pupils/<int:user_id>/password/",
        views.reset_password,
        name="reset_password",
    ),
    path(
        "groups/<int:group_id>/pupils/<int:user_id>/remove/",
        views.remove_pupil,
        name="remove_pupil",
    ),
    path("groups/<int:group_id>/invites/new/", views.create_invite, name="create_invite"),
    path("groups/<int:group_id>/enrol/", views.enrol, name="enrol"),
    path("invites/<int:invite_id>/", views.invite_detail, name="invite"),
    path("invites/<int:invite_id>/revoke/", views.revoke_invite, name="revoke_invite"),
    path("enrolments/<int:enrolment_id>/end/", views.end_enrolment, name="end_enrolment"),
]
