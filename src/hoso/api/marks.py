"""Mark entry over REST (issue 4): the same selectors and services as the grid page, the same
checks — ``marks_save`` decides what a mark is, the state, the lock and the deadline.

Answers of ``POST …/marks/``: 200 saved (with the rows' new averages from the rules engine);
422 a cell is not a valid mark (messages and suggestions); 409 the book refused (a stale
``base_version`` with the current value, a submitted or locked cell, a passed deadline) —
nothing written in either; 403 not allowed to write; 404 out of scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hoso.academics.models import SchoolYear, TeachingAssignment
from hoso.accounts.permissions import Perm
from hoso.api.common import ErrorSerializer, error_response, wire_result, wire_text
from hoso.assessment.computation import StoredMark
from hoso.assessment.deadlines import MIDTERM_ENTRY_DAYS
from hoso.assessment.forms import MAX_CELLS, CellRequest, SaveOutcome, grid_cells_save
from hoso.assessment.models import Mark, MarkKind
from hoso.assessment.selectors import (
    Gradebook,
    RowSnapshot,
    access_assignment,
    assignments_of_teacher,
    can_enter_marks,
    gradebook_get,
    grid_cell_closed,
)
from hoso.assessment.services import marks_submit, midterm_test_record
from hoso.audit.services import client_info_from_request
from hoso.core.errors import HosoError

SEMESTER_PARAMETER = OpenApiParameter(
    "semester", int, enum=[1, 2], description="Học kì (1 hoặc 2)", default=1
)


def _assignment(request: Request, assignment_uuid: Any) -> TeachingAssignment:
    return access_assignment(request.user, str(assignment_uuid), Perm.VIEW_MARKS)


# --- Serializers (explicit and nested; output shapes documented in /api/schema/) ------------


class SubjectOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    assessment = serializers.CharField(help_text="score (điểm số) / comment (nhận xét Đ/CĐ)")


class GroupOut(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    mixed = serializers.BooleanField(help_text="Nhóm học lấy học sinh từ nhiều lớp")


class SchoolOut(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()


class AssignmentOut(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    year = serializers.CharField()
    school = SchoolOut()
    subject = SubjectOut()
    group = GroupOut()
    teacher = serializers.CharField()


def assignment_data(assignment: TeachingAssignment) -> dict[str, Any]:
    group = assignment.group
    return {
        "uuid": assignment.uuid,
        "year": assignment.year.name,
        "school": {
            "uuid": assignment.school.uuid,
            "code": assignment.school.code,
            "name": assignment.school.name,
        },
        "subject": {
            "code": assignment.subject.code,
            "name": assignment.subject.name,
            "assessment": assignment.subject.assessment,
        },
        "group": {"uuid": group.uuid, "name": group.name, "mixed": group.school_class_id is None},
        "teacher": assignment.teacher.display_name,
    }


class ColumnOut(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=MarkKind.choices)
    index = serializers.IntegerField()
    # Fields named like Field attributes: the serializer's metaclass takes them out of the class.
    label = serializers.CharField(help_text="TX1…, GK, CK")  # type: ignore[assignment]
    required = serializers.BooleanField()  # type: ignore[assignment]
    due = serializers.DateField(allow_null=True)
    closed_reason = serializers.CharField(allow_null=True)


class CellOut(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=MarkKind.choices)
    index = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True, help_text='"8.5", "Đ", "" (chưa nhập)')
    version = serializers.IntegerField()
    state = serializers.CharField(help_text="draft / submitted")
    locked = serializers.BooleanField(help_text="Sổ khóa hoặc điểm khóa riêng")
    closed_reason = serializers.CharField(allow_null=True, help_text="Vì sao không ghi được")


class AveragesOut(serializers.Serializer[Any]):
    semester = serializers.CharField(allow_null=True, help_text='ĐTBmhk, "6.6"; null: chưa đủ')
    year = serializers.CharField(allow_null=True, help_text="ĐTBmcn (chỉ học kì 2)")


class StudentOut(serializers.Serializer[Any]):
    national_id = serializers.CharField()
    full_name = serializers.CharField()


class RowOut(serializers.Serializer[Any]):
    enrollment = serializers.UUIDField()
    student = StudentOut()
    class_name = serializers.CharField()
    locked = serializers.BooleanField(help_text="Sổ của lớp đã khóa (R4.4)")
    cells = CellOut(many=True)
    averages = AveragesOut()
    missing = serializers.ListField(child=serializers.CharField())


class GridOut(serializers.Serializer[Any]):
    assignment = AssignmentOut()
    semester = serializers.IntegerField()
    regime = serializers.CharField()
    comment_subject = serializers.BooleanField()
    editable = serializers.BooleanField(help_text="Người gọi được ghi điểm vào sổ này")
    columns = ColumnOut(many=True)
    rows = RowOut(many=True)


def _mark_text(mark: Mark | StoredMark | None) -> str:
    return wire_text(mark.display) if mark is not None else ""


def _averages(row_averages: Any, semester: int) -> dict[str, str | None]:
    value = row_averages.semester_1 if semester == 1 else row_averages.semester_2
    return {
        "semester": wire_result(value),
        "year": wire_result(row_averages.year) if semester == 2 else None,
    }


def grid_data(book: Gradebook, editable: bool) -> dict[str, Any]:
    rows = []
    for row in book.rows:
        cells = []
        for cell in row.cells:
            mark = cell.mark
            cells.append(
                {
                    "kind": cell.column.kind,
                    "index": cell.column.index,
                    "text": _mark_text(mark),
                    "version": cell.version,
                    "state": cell.state,
                    "locked": row.locked_by_book or (mark is not None and mark.locked),
                    "closed_reason": grid_cell_closed(row=row, cell=cell),
                }
            )
        student = row.enrollment.student
        rows.append(
            {
                "enrollment": row.enrollment.uuid,
                "student": {"national_id": student.national_id, "full_name": student.full_name},
                "class_name": row.enrollment.school_class.name,
                "locked": row.locked_by_book,
                "cells": cells,
                "averages": _averages(row.averages, book.semester),
                "missing": row.missing,
            }
        )
    return {
        "assignment": assignment_data(book.assignment),
        "semester": book.semester,
        "regime": book.regime_id,
        "comment_subject": book.comment_subject,
        "editable": editable,
        "columns": [
            {
                "kind": c.kind,
                "index": c.index,
                "label": c.label,
                "required": c.required,
                "due": c.due,
                "closed_reason": c.closed_reason,
            }
            for c in book.columns
        ],
        "rows": rows,
    }


class CellIn(serializers.Serializer[Any]):
    enrollment = serializers.UUIDField(help_text="uuid của học sinh trong lớp (enrollment)")
    kind = serializers.ChoiceField(choices=MarkKind.choices)
    index = serializers.IntegerField(min_value=1, max_value=50, default=1)
    text = serializers.CharField(
        allow_blank=True, max_length=40, trim_whitespace=False, help_text='"8,5", "8.5", "Đ", ""'
    )
    base_version = serializers.IntegerField(min_value=0, help_text="version đọc được trước đó")


class MarksIn(serializers.Serializer[Any]):
    semester = serializers.IntegerField(min_value=1, max_value=2, help_text="Học kì 1 hoặc 2")
    cells = CellIn(many=True, allow_empty=False, max_length=MAX_CELLS)  # type: ignore[call-arg]


class SavedCellOut(serializers.Serializer[Any]):
    enrollment = serializers.UUIDField()
    kind = serializers.CharField()
    index = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class RowAfterSaveOut(serializers.Serializer[Any]):
    enrollment = serializers.UUIDField()
    cells = SavedCellOut(many=True)
    averages = AveragesOut()
    missing = serializers.ListField(child=serializers.CharField())


class MarksSavedOut(serializers.Serializer[Any]):
    saved = SavedCellOut(many=True)
    unchanged = serializers.IntegerField()
    rows = RowAfterSaveOut(many=True)


class ProblemOut(serializers.Serializer[Any]):
    enrollment = serializers.CharField()
    kind = serializers.CharField()
    index = serializers.IntegerField()
    code = serializers.ChoiceField(choices=["invalid", "stale", "refused"])
    message = serializers.CharField()
    suggestion = serializers.CharField(allow_blank=True, help_text='"8.6" cho "8,55"')
    current_text = serializers.CharField(allow_blank=True)
    current_version = serializers.IntegerField(allow_null=True)


class MarksRefusedOut(serializers.Serializer[Any]):
    detail = serializers.CharField()
    problems = ProblemOut(many=True)


def _row_after_save(row: RowSnapshot, semester: int) -> dict[str, Any]:
    return {
        "enrollment": row.enrollment_uuid,
        "cells": [
            {
                "enrollment": row.enrollment_uuid,
                "kind": kind,
                "index": index,
                "text": _mark_text(mark),
                "version": mark.version,
            }
            for (kind, index), mark in sorted(row.marks.items())
        ],
        "averages": _averages(row.averages, semester),
        "missing": row.missing,
    }


def outcome_data(outcome: SaveOutcome, semester: int) -> dict[str, Any]:
    if outcome.problems:
        return {
            "detail": outcome.message,
            "problems": [
                {
                    "enrollment": p.enrollment,
                    "kind": p.problem.kind,
                    "index": p.problem.index,
                    "code": p.code,
                    "message": p.problem.message,
                    "suggestion": wire_text(p.problem.suggestion),
                    "current_text": wire_text(p.problem.current_text),
                    "current_version": p.problem.current_version,
                }
                for p in outcome.problems
            ],
        }
    return {
        "saved": [
            {
                "enrollment": outcome.uuid_of.get(cell.enrollment_id, ""),
                "kind": cell.kind,
                "index": cell.index,
                "text": wire_text(cell.text),
                "version": cell.version,
            }
            for cell in outcome.saved
        ],
        "unchanged": outcome.unchanged,
        "rows": [_row_after_save(row, semester) for row in outcome.rows],
    }


class SubmitIn(serializers.Serializer[Any]):
    semester = serializers.IntegerField(min_value=1, max_value=2, help_text="Học kì 1 hoặc 2")
    kind = serializers.ChoiceField(choices=MarkKind.choices, required=False, allow_null=True)
    index = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True)


class SubmitOut(serializers.Serializer[Any]):
    submitted = serializers.IntegerField(help_text="Số điểm chuyển sang 'đã hoàn tất'")


class MidtermIn(serializers.Serializer[Any]):
    semester = serializers.IntegerField(min_value=1, max_value=2, help_text="Học kì 1 hoặc 2")
    test_date = serializers.DateField()


class MidtermOut(serializers.Serializer[Any]):
    semester = serializers.IntegerField()
    test_date = serializers.DateField()
    due = serializers.DateField(help_text="Hạn nhập ĐĐGgk: 7 ngày sau ngày kiểm tra (R4.5b)")


# --- Views ----------------------------------------------------------------------------------


class AssignmentListView(APIView):
    """The teaching assignments the caller teaches (every year unless ``?year=2025-2026``)."""

    @extend_schema(
        operation_id="assignments_list",
        parameters=[OpenApiParameter("year", str, description="Năm học, ví dụ 2025-2026")],
        responses={200: AssignmentOut(many=True)},
        tags=["marks"],
    )
    def get(self, request: Request) -> Response:
        year = None
        if request.query_params.get("year"):
            year = SchoolYear.objects.filter(name=request.query_params["year"]).first()
            if year is None:
                return Response([])
        assignments = assignments_of_teacher(actor=request.user, year=year)
        return Response(AssignmentOut([assignment_data(a) for a in assignments], many=True).data)


class GridView(APIView):
    """One assignment's grid for a semester: columns, rows, cells, the engine's averages."""

    @extend_schema(
        operation_id="assignment_grid",
        parameters=[SEMESTER_PARAMETER],
        responses={200: GridOut, 404: ErrorSerializer},
        tags=["marks"],
    )
    def get(self, request: Request, assignment_uuid: Any) -> Response:
        semester_text = request.query_params.get("semester", "1")
        if semester_text not in ("1", "2"):
            return Response(
                {"detail": "Học kì phải là 1 hoặc 2."}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            assignment = _assignment(request, assignment_uuid)
            book = gradebook_get(
                actor=request.user, assignment=assignment, semester=int(semester_text)
            )
        except HosoError as error:
            return error_response(error)
        editable = can_enter_marks(request.user, assignment)
        return Response(GridOut(grid_data(book, editable)).data)


class MarksView(APIView):
    """Save cells, all or nothing, through ``marks_save`` (R4.2, R4.4, R4.5)."""

    @extend_schema(
        operation_id="assignment_marks_save",
        request=MarksIn,
        responses={
            200: MarksSavedOut,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: MarksRefusedOut,
            422: MarksRefusedOut,
        },
        examples=[
            OpenApiExample(
                "Hai điểm ĐĐGtx",
                request_only=True,
                value={
                    "semester": 1,
                    "cells": [
                        {
                            "enrollment": "3f1c0d0e-8a53-4a3c-9d55-0c1f3b7e2a10",
                            "kind": "regular",
                            "index": 1,
                            "text": "8,5",
                            "base_version": 0,
                        }
                    ],
                },
            )
        ],
        tags=["marks"],
    )
    def post(self, request: Request, assignment_uuid: Any) -> Response:
        try:
            assignment = _assignment(request, assignment_uuid)
        except HosoError as error:
            return error_response(error)
        data = MarksIn(data=request.data)
        data.is_valid(raise_exception=True)
        semester = int(data.validated_data["semester"])
        cells = [
            CellRequest(
                enrollment=str(c["enrollment"]),
                kind=c["kind"],
                index=c["index"],
                text=c["text"],
                base_version=c["base_version"],
            )
            for c in data.validated_data["cells"]
        ]
        try:
            outcome = grid_cells_save(
                actor=request.user,
                assignment=assignment,
                semester=semester,
                cells=cells,
                client=client_info_from_request(request._request),
            )
        except HosoError as error:
            return error_response(error)
        return Response(outcome_data(outcome, semester), status=outcome.status)


class SubmitView(APIView):
    """'Hoàn tất' (R4.2): a column (``kind`` and ``index``) or the whole semester."""

    @extend_schema(
        operation_id="assignment_marks_submit",
        request=SubmitIn,
        responses={200: SubmitOut, 403: ErrorSerializer, 404: ErrorSerializer},
        tags=["marks"],
    )
    def post(self, request: Request, assignment_uuid: Any) -> Response:
        data = SubmitIn(data=request.data)
        data.is_valid(raise_exception=True)
        kind = data.validated_data.get("kind") or None
        try:
            assignment = _assignment(request, assignment_uuid)
            count = marks_submit(
                actor=request.user,  # type: ignore[arg-type]
                assignment=assignment,
                semester=int(data.validated_data["semester"]),
                kind=kind,
                index=data.validated_data.get("index") if kind else None,
                client=client_info_from_request(request._request),
            )
        except HosoError as error:
            return error_response(error)
        return Response(SubmitOut({"submitted": count}).data)


class MidtermTestView(APIView):
    """The mid-term test date (R4.5b): its marks are due within 7 days."""

    @extend_schema(
        operation_id="assignment_midterm_test",
        request=MidtermIn,
        responses={200: MidtermOut, 403: ErrorSerializer, 404: ErrorSerializer},
        tags=["marks"],
    )
    def post(self, request: Request, assignment_uuid: Any) -> Response:
        data = MidtermIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assignment = _assignment(request, assignment_uuid)
            test = midterm_test_record(
                actor=request.user,  # type: ignore[arg-type]
                assignment=assignment,
                semester=int(data.validated_data["semester"]),
                test_date=data.validated_data["test_date"],
                client=client_info_from_request(request._request),
            )
        except HosoError as error:
            return error_response(error)
        out = {
            "semester": test.semester,
            "test_date": test.test_date,
            "due": test.test_date + dt.timedelta(days=MIDTERM_ENTRY_DAYS),
        }
        return Response(MidtermOut(out).data)
