from django.urls import path

from hoso.reporting import views

urlpatterns = [
    path("truong/<uuid:school_uuid>/tien-do/", views.progress_page, name="school-progress"),
    path("thong-ke/<uuid:unit_uuid>/", views.statistics_page, name="unit-statistics"),
]
