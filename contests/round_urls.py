"""The round: a task's page, sending a run, one's runs, one run."""

from django.urls import path

from contests import round_views

urlpatterns = [
    path("<slug:slug>/tasks/<str:label>/", round_views.task_page, name="task"),
    path("<slug:slug>/tasks/<str:label>/submit/", round_views.submit, name="submit"),
    path("<slug:slug>/runs/", round_views.my_runs, name="my_runs"),
    path("<slug:slug>/runs/<int:pk>/", round_views.run_page, name="run"),
]
