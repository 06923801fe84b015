"""Excel import and export of mark books (issue 4): links on the grid and the class page."""

from django.urls import path

from hoso.interchange import views

_BOOK = "so-diem/<uuid:assignment_uuid>/hk<int:semester>/"

urlpatterns = [
    path(f"{_BOOK}xuat-excel/", views.export_assignment, name="marks-export"),
    path(f"{_BOOK}nhap-excel/", views.import_upload, name="marks-import"),
    path(f"{_BOOK}nhap-excel/<str:token>/", views.import_confirm, name="marks-import-confirm"),
    path(
        f"{_BOOK}nhap-excel/<str:token>/loi.xlsx",
        views.import_errors,
        name="marks-import-errors",
    ),
    path(
        "lop/<uuid:class_uuid>/hk<int:semester>/xuat-excel/",
        views.export_class,
        name="class-marks-export",
    ),
]
