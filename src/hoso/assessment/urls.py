"""Mark entry pages (issue 4): the subject teacher's grid and the principal's locks page."""

from django.urls import path, register_converter

from hoso.assessment import views


class SemesterConverter:
    """``hk1`` / ``hk2`` in the URL, the semester number in the view."""

    regex = "[12]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(SemesterConverter, "hk")

urlpatterns = [
    path("so-diem/<uuid:assignment_uuid>/hk<hk:semester>/", views.grid_page, name="mark-grid"),
    path(
        "so-diem/<uuid:assignment_uuid>/hk<hk:semester>/luu",
        views.grid_save,
        name="mark-grid-save",
    ),
    path(
        "so-diem/<uuid:assignment_uuid>/hk<hk:semester>/hoan-tat",
        views.grid_submit,
        name="mark-grid-submit",
    ),
    path(
        "so-diem/<uuid:assignment_uuid>/hk<hk:semester>/ngay-kiem-tra",
        views.grid_midterm,
        name="mark-grid-midterm",
    ),
    path("truong/<uuid:school_uuid>/khoa-so/", views.locks_page, name="school-locks"),
]
