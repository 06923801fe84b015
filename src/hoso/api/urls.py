"""REST API v1: thin views over the same services and selectors as the web pages."""

from django.urls import path

from hoso.api import views

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("classes/", views.ClassListView.as_view(), name="class-list"),
]
