"""The homeroom teacher's book (issue 5): wired into the site with one line of config/urls.py."""

from django.urls import path

from hoso.assessment import homeroom_views as views

urlpatterns = [
    path("lop/<uuid:class_uuid>/chu-nhiem/", views.hub, name="homeroom-hub"),
    path(
        "lop/<uuid:class_uuid>/chu-nhiem/diem-danh/", views.attendance, name="homeroom-attendance"
    ),
    path("lop/<uuid:class_uuid>/chu-nhiem/ren-luyen/", views.conduct, name="homeroom-conduct"),
    path("lop/<uuid:class_uuid>/chu-nhiem/nhan-xet/", views.comments, name="homeroom-comments"),
    path("lop/<uuid:class_uuid>/chu-nhiem/tong-hop/", views.overview, name="homeroom-overview"),
    path(
        "lop/<uuid:class_uuid>/chu-nhiem/hoc-sinh/<uuid:student_uuid>/",
        views.student_profile,
        name="homeroom-student",
    ),
    path(
        "phan-cong/<uuid:assignment_uuid>/nhan-xet/",
        views.subject_comments,
        name="subject-comments",
    ),
]
