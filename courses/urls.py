from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.my_courses, name="my_courses"),
    path("lessons/<int:lesson_id>/done/", views.mark_lesson, name="mark_lesson"),
]
