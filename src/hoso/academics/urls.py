from django.urls import path

from hoso.academics import views

urlpatterns = [
    path("lop/<uuid:class_uuid>/", views.class_detail, name="class-detail"),
]
