"""REST endpoints of the homeroom teacher's book (issue 5): the same services and selectors as
the pages, the same checks; public ids are UUIDs, numbers are strings with a decimal point, dates
ISO (interfaces.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hoso.academics.models import Enrollment, SchoolClass, Student, Subject
from hoso.accounts.access import access_class, can
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.homeroom import (
    PROFILE_FIELDS,
    AbsenceInput,
    HomeroomError,
    RatingInput,
    attendance_week_save,
    comment_save,
    conduct_save,
    student_profile_update,
)
from hoso.assessment.models import (
    Absence,
    CommentPeriod,
    ConductPeriod,
    ConductRating,
    StudentComment,
)
from hoso.assessment.overview import class_overview
from hoso.audit.services import client_info_from_request
from hoso.core.errors import HosoError, NotFoundError, PermissionDeniedError


def _class(request: Request, class_uuid: uuid.UUID, perm: Perm = Perm.VIEW_MARKS) -> SchoolClass:
    try:
        return access_class(request.user, str(class_uuid), perm)
    except NotFoundError as error:
        raise NotFound(error.message) from error


def _actor(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied()
    return user


def refusal(error: HosoError) -> Response:
    """A refused write: 403 for permission, 400 with every problem for the rest (nothing saved)."""
    if isinstance(error, PermissionDeniedError):
        return Response({"detail": error.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(error, NotFoundError):
        return Response({"detail": error.message}, status=status.HTTP_404_NOT_FOUND)
    problems = error.problems if isinstance(error, HomeroomError) else [error.message]
    return Response(
        {"detail": error.message, "problems": problems}, status=status.HTTP_400_BAD_REQUEST
    )


def _enrollment_ids(school_class: SchoolClass) -> dict[str, int]:
    return {
        str(uuid): pk
        for uuid, pk in Enrollment.objects.filter(school_class=school_class).values_list(
            "uuid", "id"
        )
    }


def _week(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError as error:
        raise ValidationError({"week": "Ngày phải có dạng 2025-11-17."}) from error


# --- attendance -------------------------------------------------------------------------------


class AbsenceSerializer(serializers.Serializer[dict[str, Any]]):
    enrollment = serializers.UUIDField()
    date = serializers.DateField()
    session = serializers.ChoiceField(choices=["sang", "chieu"])
    excused = serializers.BooleanField(default=False)
    reason = serializers.CharField(allow_blank=True, default="", max_length=300)


class AttendanceWeekSerializer(serializers.Serializer[dict[str, Any]]):
    week_start = serializers.DateField()
    absences = AbsenceSerializer(many=True)


class AttendanceView(APIView):
    """GET ``?week=YYYY-MM-DD``: the absences of that week (Monday–Saturday). PUT: the whole
    week as it should be (R12.2) — listed sessions are absences, the others present."""

    serializer_class = AttendanceWeekSerializer

    def get(self, request: Request, class_uuid: uuid.UUID) -> Response:
        school_class = _class(request, class_uuid)
        day = _week(request.query_params.get("week"))
        monday = day - dt.timedelta(days=day.weekday())
        rows = Absence.objects.filter(
            enrollment__school_class=school_class,
            date__gte=monday,
            date__lte=monday + dt.timedelta(days=5),
        ).select_related("enrollment")
        return Response(
            {
                "week_start": monday.isoformat(),
                "absences": [
                    {
                        "enrollment": str(a.enrollment.uuid),
                        "date": a.date.isoformat(),
                        "session": a.session,
                        "excused": a.excused,
                        "reason": a.reason,
                    }
                    for a in rows
                ],
            }
        )

    def put(self, request: Request, class_uuid: uuid.UUID) -> Response:
        school_class = _class(request, class_uuid)
        data = AttendanceWeekSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = _enrollment_ids(school_class)
        items = []
        for item in data.validated_data["absences"]:
            enrollment_id = ids.get(str(item["enrollment"]))
            if enrollment_id is None:
                raise ValidationError(
                    {"absences": f"Học sinh không thuộc lớp {school_class.name}."}
                )
            items.append(
                AbsenceInput(
                    enrollment_id, item["date"], item["session"], item["excused"], item["reason"]
                )
            )
        try:
            result = attendance_week_save(
                actor=_actor(request),
                school_class=school_class,
                week_start=data.validated_data["week_start"],
                absences=items,
                client=client_info_from_request(request),
            )
        except HosoError as error:
            return refusal(error)
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
                "unchanged": result.unchanged,
                "event_id": result.event_id,
            }
        )


# --- conduct---------------------------------------------------------------------------------------


class RatingSerializer(serializers.Serializer[dict[str, Any]]):
    enrollment = serializers.UUIDField()
    rating = serializers.CharField(allow_blank=True, max_length=16)
    version = serializers.IntegerField(min_value=0, default=0)


class ConductColumnSerializer(serializers.Serializer[dict[str, Any]]):
    ratings = RatingSerializer(many=True)


class ConductView(APIView):
    """GET: a column of ratings (``period`` hk1, hk2, year, summer) with versions. PUT: save it,
    all or nothing; a rating changed since its ``version`` is refused (R12.3)."""

    serializer_class = ConductColumnSerializer

    def get(self, request: Request, class_uuid: uuid.UUID, period: str) -> Response:
        school_class = _class(request, class_uuid)
        if period not in ConductPeriod.values:
            raise NotFound()
        current = {
            r.enrollment_id: r
            for r in ConductRating.objects.filter(
                enrollment__school_class=school_class, period=period
            )
        }
        enrollments = Enrollment.objects.filter(school_class=school_class).select_related("student")
        return Response(
            {
                "period": period,
                "ratings": [
                    {
                        "enrollment": str(e.uuid),
                        "student": e.student.full_name,
                        "rating": current[e.id].rating if e.id in current else "",
                        "version": current[e.id].version if e.id in current else 0,
                    }
                    for e in enrollments.order_by("student__name_sort_key")
                ],
            }
        )

    def put(self, request: Request, class_uuid: uuid.UUID, period: str) -> Response:
        school_class = _class(request, class_uuid)
        data = ConductColumnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = _enrollment_ids(school_class)
        ratings = []
        for item in data.validated_data["ratings"]:
            enrollment_id = ids.get(str(item["enrollment"]))
            if enrollment_id is None:
                raise ValidationError({"ratings": f"Học sinh không thuộc lớp {school_class.name}."})
            ratings.append(RatingInput(enrollment_id, item["rating"], item["version"]))
        try:
            result = conduct_save(
                actor=_actor(request),
                school_class=school_class,
                period=period,
                ratings=ratings,
                client=client_info_from_request(request),
            )
        except HosoError as error:
            return refusal(error)
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "event_id": result.event_id,
            }
        )


# --- comments--------------------------------------------------------------------------------------


class CommentSerializer(serializers.Serializer[dict[str, Any]]):
    enrollment = serializers.UUIDField()
    subject = serializers.CharField(allow_null=True, required=False, default=None)
    semester = serializers.ChoiceField(choices=CommentPeriod.values)
    text = serializers.CharField(allow_blank=True, max_length=2000, trim_whitespace=True)
    version = serializers.IntegerField(min_value=0, default=0)


class ClassCommentsView(APIView):
    """GET ``?semester=1|2|3``: every comment on the class's students (general and per subject)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, class_uuid: uuid.UUID) -> Response:
        school_class = _class(request, class_uuid)
        semester = request.query_params.get("semester", "1")
        rows = StudentComment.objects.filter(
            enrollment__school_class=school_class, semester=semester
        ).select_related("enrollment", "subject", "author")
        return Response(
            [
                {
                    "enrollment": str(c.enrollment.uuid),
                    "subject": c.subject.code if c.subject else None,
                    "semester": c.semester,
                    "text": c.text,
                    "version": c.version,
                    "author": c.author.display_name,
                }
                for c in rows
            ]
        )


class CommentSaveView(APIView):
    """PUT one comment: ``subject`` null for the homeroom teacher's general comment, a subject
    code for the subject teacher's (R12.8)."""

    serializer_class = CommentSerializer

    def put(self, request: Request) -> Response:
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        enrollment = (
            Enrollment.objects.select_related("school_class")
            .filter(uuid=values["enrollment"])
            .first()
        )
        if enrollment is None or not can(request.user, Perm.VIEW_STUDENT, enrollment.school_class):
            raise NotFound()
        subject = None
        if values["subject"]:
            subject = get_object_or_404(
                Subject,
                code=values["subject"],
                grade=enrollment.school_class.grade,
                programme=enrollment.school_class.programme,
            )
        try:
            comment = comment_save(
                actor=_actor(request),
                enrollment=enrollment,
                subject=subject,
                semester=int(values["semester"]),
                text=values["text"],
                base_version=values["version"],
                client=client_info_from_request(request),
            )
        except HosoError as error:
            return refusal(error)
        return Response({"uuid": str(comment.uuid), "version": comment.version})


# --- overview--------------------------------------------------------------------------------------


class OverviewView(APIView):
    """GET ``?semester=1|2``: the class overview computed by the rules engine (R12.4–R12.6)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, class_uuid: uuid.UUID) -> Response:
        school_class = _class(request, class_uuid)
        raw = request.query_params.get("semester", "1")
        if raw not in ("1", "2"):
            raise ValidationError({"semester": "Học kì phải là 1 hoặc 2."})
        data = class_overview(actor=request.user, school_class=school_class, semester=int(raw))
        subjects = [s.subject.code for s in data.subjects]
        return Response(
            {
                "class": school_class.name,
                "semester": data.semester,
                "regime": data.regime_id,
                "absence_limit": data.absence_limit,
                "locked": data.locked,
                "subjects": [{"code": s.subject.code, "name": s.name} for s in data.subjects],
                "students": [
                    {
                        "enrollment": str(row.enrollment.uuid),
                        "national_id": row.enrollment.student.national_id,
                        "full_name": row.enrollment.student.full_name,
                        "results": {
                            code: {
                                "semester": cell.semester.replace(",", ".") or None,
                                "year": cell.year.replace(",", ".") or None,
                            }
                            for code, cell in zip(subjects, row.cells, strict=True)
                            if cell.taken
                        },
                        "learning": row.learning,
                        "conduct": row.conduct,
                        "title": row.title,
                        "year_learning": row.year_learning,
                        "year_conduct": row.year_conduct,
                        "year_title": row.year_title,
                        "promotion": row.promotion,
                        "absences": {
                            "excused": row.absences.excused,
                            "unexcused": row.absences.unexcused,
                            "total": row.absences.total,
                        },
                        "warnings": row.warnings,
                        "explanation": list(row.explanation),
                    }
                    for row in data.rows
                ],
            }
        )


# --- the student's profile-------------------------------------------------------------------------


class ProfileSerializer(serializers.ModelSerializer[Student]):
    class Meta:
        model = Student
        fields = list(PROFILE_FIELDS)


class StudentProfileView(APIView):
    """GET / PATCH a student's profile (R12.1); every change audited old → new."""

    serializer_class = ProfileSerializer

    def _student(self, request: Request, student_uuid: uuid.UUID, perm: Perm) -> Student:
        student = Student.objects.filter(uuid=student_uuid).first()
        if student is None or not can(request.user, perm, student):
            raise NotFound()
        return student

    def get(self, request: Request, student_uuid: uuid.UUID) -> Response:
        student = self._student(request, student_uuid, Perm.VIEW_STUDENT)
        return Response(ProfileSerializer(student).data)

    def patch(self, request: Request, student_uuid: uuid.UUID) -> Response:
        student = self._student(request, student_uuid, Perm.VIEW_STUDENT)
        data = ProfileSerializer(student, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            updated = student_profile_update(
                actor=_actor(request),
                student=student,
                changes=dict(data.validated_data),
                client=client_info_from_request(request),
            )
        except HosoError as error:
            return refusal(error)
        return Response(ProfileSerializer(updated).data)
