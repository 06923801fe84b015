"""Reads for screens about classes and students (scoped by the caller through access helpers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from hoso.academics.models import Enrollment, EnrollmentStatus, SchoolClass, SchoolYear
from hoso.organizations.selectors import today


def school_year_current(*, on: dt.date | None = None) -> SchoolYear | None:
    """The school year running on that day; between two years (summer), the latest one started
    — the year whose results are still being finished (one query)."""
    day = on or today()
    running = SchoolYear.objects.filter(start_date__lte=day, end_date__gte=day).first()
    if running is not None:
        return running
    return (
        SchoolYear.objects.filter(start_date__lte=day).order_by("-start_date").first()
        or SchoolYear.objects.order_by("start_date").first()
    )


def classes_with_counts(
    *, school_ids: Iterable[int], year: SchoolYear | None
) -> QuerySet[SchoolClass]:
    """Classes of these schools in that year, each with ``student_count`` (students studying)
    and its homeroom teacher, in school/grade/name order — one aggregated query."""
    if year is None:
        return SchoolClass.objects.none()
    return (
        SchoolClass.objects.filter(school_id__in=list(school_ids), year=year)
        .select_related("homeroom_teacher")
        .annotate(
            student_count=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.STUDYING)
            )
        )
        .order_by("school_id", "grade", "name")
    )


def class_roster(school_class: SchoolClass) -> QuerySet[Enrollment]:
    """The class list in Vietnamese name order (one query)."""
    return (
        Enrollment.objects.filter(school_class=school_class)
        .select_related("student")
        .order_by("student__name_sort_key", "student__national_id")
    )
