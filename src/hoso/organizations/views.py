from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from hoso.academics.models import SchoolClass, SchoolYear
from hoso.academics.selectors import classes_with_counts, school_year_current
from hoso.accounts.access import access_school
from hoso.accounts.permissions import Perm
from hoso.core.errors import NotFoundError


@login_required
def school_detail(request: HttpRequest, school_uuid: uuid.UUID) -> HttpResponse:
    """A school's classes of one year (the current one unless ``?nam=2024-2025``), by grade."""
    try:
        school = access_school(request.user, str(school_uuid), Perm.VIEW_UNIT)
    except NotFoundError as error:
        raise Http404(error.message) from error
    years = list(SchoolYear.objects.all())
    current = school_year_current()
    wanted = request.GET.get("nam")
    year = next((y for y in years if y.name == wanted), None) if wanted else None
    year = year or current
    grades: dict[int, list[SchoolClass]] = defaultdict(list)
    for school_class in classes_with_counts(school_ids=[school.id], year=year):
        grades[school_class.grade].append(school_class)
    return render(
        request,
        "organizations/school_detail.html",
        {
            "school": school,
            "year": year,
            "years": years,
            "grades": sorted(grades.items()),
            "student_total": sum(c.student_count for cs in grades.values() for c in cs),  # type: ignore[attr-defined]
            "class_total": sum(len(cs) for cs in grades.values()),
        },
    )
