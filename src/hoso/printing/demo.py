"""What ``print_form --demo-all`` prints: one of every form from the demo province."""

from __future__ import annotations

from typing import Any

from hoso.academics.models import Enrollment

DEMO_REQUESTS: dict[str, dict[str, Any]] = {
    "so-theo-doi": {"school_code": "LC-DEMO", "class_name": "12T1"},
    "bang-tong-hop": {"school_code": "TH-DEMO", "class_name": "4A1", "semester": 2},
    "so-ca-nhan": {"school_code": "LC-DEMO", "teacher_username": "gvbm.tin"},
    "hoc-ba": {"school_code": "LC-DEMO", "class_name": "12T1"},
    "ho-so-chuyen-truong": {"school_code": "LC-DEMO", "class_name": "10A2"},
    "phieu-lien-lac": {"school_code": "LC-DEMO", "class_name": "12T1", "semester": 1},
    "bien-ban-sua-diem": {"school_code": "LC-DEMO"},
    "nhat-ky-sua-diem": {"school_code": "LC-DEMO", "teacher_username": "gvbm.tin"},
}
STUDENT_FORMS = ("hoc-ba", "ho-so-chuyen-truong", "phieu-lien-lac")


def demo_params(form: str) -> dict[str, Any]:
    """The request of one demo print; student forms take the first student of the class."""
    params = dict(DEMO_REQUESTS[form])
    if form in STUDENT_FORMS:
        first = (
            Enrollment.objects.filter(
                school__code=params["school_code"], school_class__name=params["class_name"]
            )
            .order_by("-year__start_date", "student__name_sort_key")
            .values_list("student__national_id", flat=True)
            .first()
        )
        params["student_id"] = first or ""
    return params
