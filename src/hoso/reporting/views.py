"""The principal's progress page (R5.3, R11.5): thin — the selector computes every number."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from hoso.academics.models import SchoolYear, Semester
from hoso.academics.selectors import school_year_current
from hoso.accounts.access import Actor, access_school, access_unit
from hoso.accounts.permissions import Perm
from hoso.core.errors import NotFoundError
from hoso.organizations.models import Unit
from hoso.organizations.selectors import today
from hoso.reporting.selectors import SchoolProgress, school_progress
from hoso.reporting.statistics import unit_statistics


def access_progress(actor: Actor, school_id: str) -> Unit:
    """The school, if the actor may read its reports: its principal, vice principals and admins,
    and the district/province offices and inspectors above it (read-only); 404 otherwise."""
    try:
        return access_school(actor, school_id, Perm.VIEW_REPORTS)
    except NotFoundError as error:
        raise Http404(error.message) from error


def pick_year(name: str | None) -> SchoolYear:
    year = SchoolYear.objects.filter(name=name).first() if name else None
    year = year or school_year_current()
    if year is None:
        raise Http404("Chưa có năm học.")
    return year


def current_semester(year: SchoolYear, day: dt.date) -> int:
    second = Semester.objects.filter(year=year, number=2).first()
    return 2 if second is not None and day >= second.start_date else 1


def pick_semester(raw: str | None, year: SchoolYear) -> int:
    if raw in ("1", "2"):
        return int(raw)
    return current_semester(year, today())


def progress_for_request(request: HttpRequest, school: Unit) -> SchoolProgress:
    year = pick_year(request.GET.get("nam"))
    semester = pick_semester(request.GET.get("hk"), year)
    return school_progress(school=school, year=year, semester=semester)


DETAIL_LIMIT = 50  # assignment rows shown before the principal narrows the table


@login_required
def progress_page(request: HttpRequest, school_uuid: uuid.UUID) -> HttpResponse:
    school = access_progress(request.user, str(school_uuid))
    progress = progress_for_request(request, school)
    teacher = request.GET.get("gv", "")
    group = request.GET.get("lop", "")
    subject = request.GET.get("mon", "")
    rows = progress.filtered(teacher=teacher, group=group, subject=subject)
    # Unfiltered, a 1,500-student school has hundreds of assignment rows (a 700 KB page, most of
    # its time in the template): show first those that need attention, the rest on request.
    hidden = 0
    show_all = request.GET.get("tat-ca") == "1"
    if not (teacher or group or subject or show_all):
        attention = [
            a
            for a in rows
            if a.totals.missing or a.totals.late or a.totals.entered < a.totals.expected
        ]
        hidden = len(rows) - min(len(attention), DETAIL_LIMIT)
        rows = attention[:DETAIL_LIMIT]
    class_uuids = {
        str(a.assignment.group.school_class.uuid)
        for a in progress.assignments
        if a.assignment.group.school_class
    }
    for totals in progress.by_class:
        if totals.key in class_uuids:
            totals.book_url = (
                reverse("homeroom-overview", args=[totals.key]) + f"?hk={progress.semester}"
            )
    narrowed = ""
    if teacher:
        narrowed = next((g.label for g in progress.by_teacher if g.key == teacher), "")
    elif group:
        narrowed = next((g.label for g in progress.by_class if g.key == group), "")
    elif subject:
        narrowed = next((g.label for g in progress.by_subject if g.key == subject), "")
    return render(
        request,
        "reporting/progress.html",
        {
            "school": school,
            "progress": progress,
            "rows": rows,
            "narrowed": narrowed,
            "filtering": bool(teacher or group or subject or show_all),
            "hidden": hidden,
            "query": f"nam={progress.year.name}&hk={progress.semester}",
            "years": SchoolYear.objects.order_by("-start_date"),
            "school_url": reverse("school-detail", args=[school.uuid]),
        },
    )


@login_required
def statistics_page(request: HttpRequest, unit_uuid: uuid.UUID) -> HttpResponse:
    """Statistics of the province, a district or a school for a semester (R9, R10, R6.4): for
    whoever may read the unit's reports; each row opens the statistics of the unit below."""
    try:
        unit = access_unit(request.user, str(unit_uuid), Perm.VIEW_REPORTS)
    except NotFoundError as error:
        raise Http404(error.message) from error
    year = pick_year(request.GET.get("nam"))
    semester = pick_semester(request.GET.get("hk"), year)
    statistics = unit_statistics(unit=unit, year=year, semester=semester)
    query = f"?nam={year.name}&hk={semester}"
    rows = [
        (row, reverse("unit-statistics", args=[row.unit.uuid]) + query if row.unit else None)
        for row in statistics.rows
    ]
    return render(
        request,
        "reporting/statistics.html",
        {
            "statistics": statistics,
            "rows": rows,
            "years": SchoolYear.objects.order_by("-start_date"),
            "progress_url": (
                reverse("school-progress", args=[unit.uuid]) + query if unit.is_school else None
            ),
        },
    )
