"""The organisers' pages: the list of contests, a new one, its settings, tasks, awards, jury
and judges, the freeze, and the jury's dashboard linking every tool."""

from django.urls import path

from contests import setup_task_views, setup_views

urlpatterns = [
    path("manage/", setup_views.manage, name="manage"),
    path("new/", setup_views.create, name="create"),
    path("<slug:slug>/jury/", setup_views.jury, name="jury"),
    path("<slug:slug>/edit/", setup_views.edit, name="edit"),
    path("<slug:slug>/edit/tasks/", setup_task_views.setup_tasks, name="setup_tasks"),
    path("<slug:slug>/edit/tasks/<int:pk>/", setup_task_views.setup_task, name="setup_task"),
    path("<slug:slug>/edit/awards/", setup_views.setup_awards, name="setup_awards"),
    path("<slug:slug>/edit/people/", setup_views.setup_people, name="setup_people"),
    path("<slug:slug>/freeze/", setup_views.freeze, name="freeze"),
]
