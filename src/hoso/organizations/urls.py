from django.urls import path

from hoso.organizations import views

urlpatterns = [
    path("truong/<uuid:school_uuid>/", views.school_detail, name="school-detail"),
]
