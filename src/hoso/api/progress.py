"""REST endpoint of the principal's progress page (R5.3, R11.5): the same selector, the same
access (``Perm.VIEW_REPORTS`` on the school; 404 for any other school)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hoso.academics.models import SchoolYear
from hoso.academics.selectors import school_year_current
from hoso.accounts.access import access_school
from hoso.accounts.permissions import Perm
from hoso.core.errors import NotFoundError
from hoso.reporting.selectors import Counts, school_progress
from hoso.rules.values import decimal_text


def _rate(value: Decimal | None) -> str | None:
    return decimal_text(value) if value is not None else None


def _counts(counts: Counts) -> dict[str, object]:
    return {
        "expected": counts.expected,
        "entered": counts.entered,
        "submitted": counts.submitted,
        "late": counts.late,
        "missing": counts.missing,
        "rate": _rate(counts.rate),
    }


class SchoolProgressView(APIView):
    """GET ``?year=2025-2026&semester=1``: entry progress per assignment and column, per teacher,
    class and subject, and each teacher's monthly timeliness."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, school_uuid: uuid.UUID) -> Response:
        try:
            school = access_school(request.user, str(school_uuid), Perm.VIEW_REPORTS)
        except NotFoundError as error:
            raise NotFound(error.message) from error
        name = request.query_params.get("year")
        year = SchoolYear.objects.filter(name=name).first() if name else school_year_current()
        if year is None:
            raise NotFound("Không có năm học này.")
        raw = request.query_params.get("semester", "1")
        if raw not in ("1", "2"):
            raise ValidationError({"semester": "Học kì phải là 1 hoặc 2."})
        progress = school_progress(school=school, year=year, semester=int(raw))
        return Response(
            {
                "school": school.code,
                "year": year.name,
                "semester": progress.semester,
                "as_of": progress.today.isoformat(),
                "totals": _counts(progress.totals),
                "assignments": [
                    {
                        "assignment": str(a.assignment.uuid),
                        "teacher": a.teacher.username,
                        "teacher_name": a.teacher.display_name,
                        "subject": a.assignment.subject.code,
                        "group": a.group_label,
                        "students": a.students,
                        "grid_url": a.url,
                        "totals": _counts(a.totals),
                        "columns": [
                            {
                                "column": c.label,
                                "kind": c.kind,
                                "index": c.index,
                                "required": c.required,
                                "due": c.due.isoformat() if c.due else None,
                                "extended_until": (
                                    c.extended_until.isoformat() if c.extended_until else None
                                ),
                                "overdue": c.overdue,
                                **_counts(c),
                            }
                            for c in a.columns
                        ],
                    }
                    for a in progress.assignments
                ],
                "by_teacher": [
                    {"key": g.key, "name": g.label, **_counts(g.counts)}
                    for g in progress.by_teacher
                ],
                "by_class": [
                    {"key": g.key, "name": g.label, **_counts(g.counts)} for g in progress.by_class
                ],
                "by_subject": [
                    {"key": g.key, "name": g.label, **_counts(g.counts)}
                    for g in progress.by_subject
                ],
                "timeliness": [
                    {
                        "teacher": t.teacher.username,
                        "months": [
                            {
                                "month": month.strftime("%Y-%m"),
                                "on_time": on_time,
                                "late": late,
                                "rate": _rate(rate),
                            }
                            for month, (on_time, late, rate) in zip(
                                progress.months, t.row, strict=True
                            )
                        ],
                    }
                    for t in progress.timeliness
                ],
            }
        )
