"""URLs of the assessments app: what pupils hand in, what teachers grade, the gradebook.
Each part keeps its patterns in its own module."""

from django.urls import include, path

from assessments import file_views, notification_views

app_name = "assessments"

urlpatterns = [
    path("", include("assessments.pupil_urls")),
    path("grading/", include("assessments.grading_urls")),
    path("gradebook/", include("assessments.gradebook_urls")),
    path("feedback-files/<int:file_id>/", file_views.feedback_file, name="feedback_file"),
    path("dates/", include("assessments.dates_urls")),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.mark_read, name="notifications_read"),
]
