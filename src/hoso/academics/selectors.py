"""Reads for screens about classes and students (scoped by the caller through access helpers)."""

from __future__ import annotations

from django.db.models import QuerySet

from hoso.academics.models import Enrollment, SchoolClass


def class_roster(school_class: SchoolClass) -> QuerySet[Enrollment]:
    """The class list in Vietnamese name order (one query)."""
    return (
        Enrollment.objects.filter(school_class=school_class)
        .select_related("student")
        .order_by("student__name_sort_key", "student__national_id")
    )
