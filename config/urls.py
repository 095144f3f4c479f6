from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import media as cms_media
from courses import search
from lms import health, join_views
from lms import views as lms_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("login/", lms_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", lms_views.ChangePasswordView.as_view(), name="change_password"),
    path("language/", lms_views.set_language, name="set_language"),
    path("search/", search.search, name="search"),
    path("learn/", include("courses.urls")),
    path("teach/", include("teaching.urls")),
    path("work/quiz/", include("assessments.quiz.urls")),
    path("work/code/", include("assessments.programming.urls")),
    path("work/", include("assessments.urls")),
    path("school/", include("schools.urls")),
    path("event/", include("events.urls")),
    path("certificates/", include("events.certificate_urls")),
    path("contests/", include("contests.urls")),
    path("join/", join_views.join_form, name="join"),
    path("join/<str:code>/", join_views.join_code, name="join_code"),
    path("healthz/", health.healthz, name="healthz"),  # the load balancer's check
]

# No raw /media/ route in any mode: documents, submissions, thumbnails and feedback files are
# served only by views that check who asks. This one serves Wagtail's pictures (in development,
# or with LMS_SERVE_PUBLIC_MEDIA) and answers 404 for every other /media/ path.
if settings.MEDIA_URL.startswith("/") and not settings.MEDIA_URL.startswith("//"):
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.lstrip('/')}<path:path>",
            cms_media.public_media,
            name="public_media",
        )
    )

# Wagtail's page tree serves everything else; it must come last.
urlpatterns.append(path("", include(wagtail_urls)))

handler400 = "lms.views.bad_request"
handler403 = "lms.views.permission_denied"
handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"
