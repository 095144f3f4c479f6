"""The page editor's helpers under /admin/cms/ (namespace "cms_admin"); Wagtail requires admin
access on each, and the views answer 404 to anyone who may not write pages."""

from django.urls import path

from cms import preview

app_name = "cms_admin"

urlpatterns = [
    path("markdown-preview/", preview.markdown_preview, name="markdown_preview"),
]
