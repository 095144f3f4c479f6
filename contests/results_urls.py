"""After the round: results and awards, the final protocol, a participant's own result."""

from django.urls import path

from contests import results_views as views

urlpatterns = [
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/protocol/", views.protocol_page, name="protocol"),
    path("<slug:slug>/protocol.xlsx", views.protocol_download, name="protocol_xlsx"),
    path("<slug:slug>/my-result/", views.my_result, name="my_result"),
    path(
        "<slug:slug>/my-result/certificate/<str:code>/",
        views.my_certificate,
        name="my_certificate",
    ),
]
