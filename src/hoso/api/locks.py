"""Book locks, entry deadlines and extensions over REST, for the principal and — on the
principal's recorded request — the school's admins (R4.4, R4.5, R14.2). Through the services:
``book_lock``, ``book_unlock``, ``deadline_set``, ``deadline_extend`` decide and audit."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hoso.academics.models import SchoolClass, SchoolYear
from hoso.academics.selectors import school_year_current
from hoso.accounts.access import access_school
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.api.common import ErrorSerializer, error_response
from hoso.assessment.models import (
    BookLock,
    DeadlineExtension,
    DeadlineKind,
    EntryDeadline,
    LockScope,
    MarkKind,
)
from hoso.assessment.selectors import LocksOverview, locks_overview_get
from hoso.assessment.services import book_lock, book_unlock, deadline_extend, deadline_set
from hoso.audit.services import client_info_from_request
from hoso.core.errors import HosoError, NotFoundError
from hoso.organizations.models import Unit

YEAR_PARAMETER = OpenApiParameter(
    "year", str, description="Năm học, ví dụ 2025-2026 (mặc định: năm học hiện tại)"
)
MSG_NO_YEAR = "Không có năm học này."
MSG_NOT_PRINCIPAL = "{username}: không phải Hiệu trưởng của trường."
MSG_NO_CLASS = "Không có lớp này trong trường, năm học đã chọn."
MSG_NO_TEACHER = "{username}: không phải giáo viên được phân công của trường trong năm học."


class PersonOut(serializers.Serializer[Any]):
    username = serializers.CharField()
    full_name = serializers.CharField()


class ClassRef(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


def _person(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.username, "full_name": user.display_name}


def _class(school_class: SchoolClass | None) -> dict[str, Any] | None:
    if school_class is None:
        return None
    return {"uuid": school_class.uuid, "name": school_class.name}


class LockOut(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    year = serializers.CharField()
    scope = serializers.ChoiceField(choices=LockScope.choices)
    semester = serializers.IntegerField(allow_null=True, help_text="null: cả năm")
    grade = serializers.IntegerField(allow_null=True)
    school_class = ClassRef(allow_null=True)
    open = serializers.BooleanField(help_text="Đang khóa")
    decided_by = PersonOut(help_text="Hiệu trưởng quyết định (R4.4)")
    locked_by = PersonOut(help_text="Người thực hiện (Hiệu trưởng hoặc Ban Quản trị, R14.2)")
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    unlocked_at = serializers.DateTimeField(allow_null=True)
    unlocked_by = PersonOut(allow_null=True)
    unlock_decided_by = PersonOut(allow_null=True)
    unlock_note = serializers.CharField(allow_blank=True)


def lock_data(lock: BookLock, year: SchoolYear) -> dict[str, Any]:
    return {
        "uuid": lock.uuid,
        "year": year.name,
        "scope": lock.scope,
        "semester": lock.semester,
        "grade": lock.grade,
        "school_class": _class(lock.school_class),
        "open": lock.unlocked_at is None,
        "decided_by": _person(lock.decided_by),
        "locked_by": _person(lock.locked_by),
        "note": lock.note,
        "created_at": lock.created_at,
        "unlocked_at": lock.unlocked_at,
        "unlocked_by": _person(lock.unlocked_by),
        "unlock_decided_by": _person(lock.unlock_decided_by),
        "unlock_note": lock.unlock_note,
    }


class LockIn(serializers.Serializer[Any]):
    year = serializers.CharField(required=False, help_text="Mặc định: năm học hiện tại")
    scope = serializers.ChoiceField(choices=LockScope.choices)
    semester = serializers.IntegerField(
        min_value=1, max_value=2, allow_null=True, help_text="1, 2; null: cả năm"
    )
    grade = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)
    school_class = serializers.UUIDField(required=False, allow_null=True)
    decided_by = serializers.CharField(
        required=False, allow_blank=True, help_text="Tên đăng nhập của Hiệu trưởng (Ban Quản trị)"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class UnlockIn(serializers.Serializer[Any]):
    decided_by = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


@extend_schema_field(OpenApiTypes.STR)
class DeadlineKindField(serializers.ChoiceField):
    """``regular`` (hạn ĐĐGtx) / ``final`` (thời gian nhập ĐĐGck): a plain string in the schema,
    so its enum does not collide with the grid's mark kinds of the same field name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=DeadlineKind.choices, **kwargs)


class DeadlineOut(serializers.Serializer[Any]):
    semester = serializers.IntegerField()
    kind = DeadlineKindField()
    opens_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    set_by = PersonOut()


def deadline_data(deadline: EntryDeadline) -> dict[str, Any]:
    return {
        "semester": deadline.semester,
        "kind": deadline.kind,
        "opens_on": deadline.opens_on,
        "due_on": deadline.due_on,
        "set_by": _person(deadline.set_by),
    }


class DeadlineIn(serializers.Serializer[Any]):
    year = serializers.CharField(required=False)
    semester = serializers.IntegerField(min_value=1, max_value=2, help_text="Học kì 1 hoặc 2")
    kind = DeadlineKindField(help_text="regular: hạn ĐĐGtx; final: thời gian nhập ĐĐGck")
    opens_on = serializers.DateField(required=False, allow_null=True)
    due_on = serializers.DateField()


class ExtensionOut(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    semester = serializers.IntegerField()
    kind = serializers.CharField(allow_blank=True, help_text="rỗng: mọi cột")
    teacher = PersonOut(allow_null=True)
    school_class = ClassRef(allow_null=True)
    until = serializers.DateField()
    reason = serializers.CharField()
    granted_by = PersonOut()


def extension_data(extension: DeadlineExtension) -> dict[str, Any]:
    return {
        "uuid": extension.uuid,
        "semester": extension.semester,
        "kind": extension.kind,
        "teacher": _person(extension.teacher),
        "school_class": _class(extension.school_class),
        "until": extension.until,
        "reason": extension.reason,
        "granted_by": _person(extension.granted_by),
    }


class ExtensionIn(serializers.Serializer[Any]):
    year = serializers.CharField(required=False)
    semester = serializers.IntegerField(min_value=1, max_value=2, help_text="Học kì 1 hoặc 2")
    kind = serializers.ChoiceField(choices=MarkKind.choices, required=False, allow_blank=True)
    teacher = serializers.CharField(required=False, allow_blank=True, help_text="tên đăng nhập")
    school_class = serializers.UUIDField(required=False, allow_null=True)
    until = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class _SchoolView(APIView):
    """Fetch-and-authorize the school (404 out of scope) and the year's overview."""

    def _overview(self, request: Request, school_uuid: Any, year_name: str | None) -> LocksOverview:
        school: Unit = access_school(request.user, str(school_uuid), Perm.LOCK_BOOK)
        year = (
            SchoolYear.objects.filter(name=year_name).first()
            if year_name
            else school_year_current()
        )
        if year is None:
            raise NotFoundError(MSG_NO_YEAR)
        return locks_overview_get(actor=request.user, school=school, year=year)


def _principal(overview: LocksOverview, username: str) -> User | None:
    if not username:
        return None
    found = next((p for p in overview.principals if p.username == username), None)
    if found is None:
        raise HosoError(MSG_NOT_PRINCIPAL.format(username=username))
    return found


def _school_class(overview: LocksOverview, class_uuid: Any) -> SchoolClass | None:
    if not class_uuid:
        return None
    found = next((c for c in overview.classes if str(c.uuid) == str(class_uuid)), None)
    if found is None:
        raise HosoError(MSG_NO_CLASS)
    return found


class LocksView(_SchoolView):
    @extend_schema(
        operation_id="school_locks_list",
        parameters=[YEAR_PARAMETER],
        responses={200: LockOut(many=True), 404: ErrorSerializer},
        tags=["locks"],
    )
    def get(self, request: Request, school_uuid: Any) -> Response:
        try:
            overview = self._overview(request, school_uuid, request.query_params.get("year"))
        except HosoError as error:
            return error_response(error)
        data = [lock_data(lock, overview.year) for lock in overview.locks]
        return Response(LockOut(data, many=True).data)

    @extend_schema(
        operation_id="school_lock_create",
        request=LockIn,
        responses={201: LockOut, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        tags=["locks"],
    )
    def post(self, request: Request, school_uuid: Any) -> Response:
        data = LockIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            overview = self._overview(request, school_uuid, values.get("year"))
            lock = book_lock(
                actor=request.user,  # type: ignore[arg-type]
                school=overview.school,
                year=overview.year,
                semester=values["semester"],
                scope=values["scope"],
                grade=values.get("grade"),
                school_class=_school_class(overview, values.get("school_class")),
                decided_by=_principal(overview, values.get("decided_by", "")),
                note=values.get("note", ""),
                client=client_info_from_request(request._request),
            )
        except HosoError as error:
            return error_response(error)
        return Response(
            LockOut(lock_data(lock, overview.year)).data, status=status.HTTP_201_CREATED
        )


class UnlockView(_SchoolView):
    @extend_schema(
        operation_id="school_lock_unlock",
        request=UnlockIn,
        responses={200: LockOut, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        tags=["locks"],
    )
    def post(self, request: Request, school_uuid: Any, lock_uuid: Any) -> Response:
        data = UnlockIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            school = access_school(request.user, str(school_uuid), Perm.LOCK_BOOK)
            lock = (
                BookLock.objects.select_related("year", "school")
                .filter(school=school, uuid=lock_uuid)
                .first()
            )
            if lock is None:
                raise NotFoundError()
            overview = locks_overview_get(actor=request.user, school=school, year=lock.year)
            lock = book_unlock(
                actor=request.user,  # type: ignore[arg-type]
                lock=lock,
                decided_by=_principal(overview, data.validated_data.get("decided_by", "")),
                note=data.validated_data.get("note", ""),
                client=client_info_from_request(request._request),
            )
        except HosoError as error:
            return error_response(error)
        return Response(LockOut(lock_data(lock, lock.year)).data)


class DeadlinesView(_SchoolView):
    @extend_schema(
        operation_id="school_deadlines_list",
        parameters=[YEAR_PARAMETER],
        responses={200: DeadlineOut(many=True), 404: ErrorSerializer},
        tags=["locks"],
    )
    def get(self, request: Request, school_uuid: Any) -> Response:
        try:
            overview = self._overview(request, school_uuid, request.query_params.get("year"))
        except HosoError as error:
            return error_response(error)
        return Response(DeadlineOut([deadline_data(d) for d in overview.deadlines], many=True).data)

    @extend_schema(
        operation_id="school_deadline_set",
        request=DeadlineIn,
        responses={200: DeadlineOut, 400: ErrorSerializer, 403: ErrorSerializer},
        tags=["locks"],
    )
    def post(self, request: Request, school_uuid: Any) -> Response:
        data = DeadlineIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            overview = self._overview(request, school_uuid, values.get("year"))
            deadline = deadline_set(
                actor=request.user,  # type: ignore[arg-type]
                school=overview.school,
                year=overview.year,
                semester=values["semester"],
                kind=values["kind"],
                due_on=values["due_on"],
                opens_on=values.get("opens_on"),
                client=client_info_from_request(request._request),
            )
        except HosoError as error:
            return error_response(error)
        return Response(DeadlineOut(deadline_data(deadline)).data)


class ExtensionsView(_SchoolView):
    @extend_schema(
        operation_id="school_extensions_list",
        parameters=[YEAR_PARAMETER],
        responses={200: ExtensionOut(many=True), 404: ErrorSerializer},
        tags=["locks"],
    )
    def get(self, request: Request, school_uuid: Any) -> Response:
        try:
            overview = self._overview(request, school_uuid, request.query_params.get("year"))
        except HosoError as error:
            return error_response(error)
        data = [extension_data(e) for e in overview.extensions]
        return Response(ExtensionOut(data, many=True).data)

    @extend_schema(
        operation_id="school_extension_grant",
        request=ExtensionIn,
        responses={201: ExtensionOut, 400: ErrorSerializer, 403: ErrorSerializer},
        tags=["locks"],
    )
    def post(self, request: Request, school_uuid: Any) -> Response:
        data = ExtensionIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            overview = self._overview(request, school_uuid, values.get("year"))
            username = values.get("teacher", "")
            teacher = next((t for t in overview.teachers if t.username == username), None)
            if username and teacher is None:
                raise HosoError(MSG_NO_TEACHER.format(username=username))
            extension = deadline_extend(
                actor=request.user,  # type: ignore[arg-type]
                school=overview.school,
                year=overview.year,
                semester=values["semester"],
                until=values["until"],
                reason=values["reason"],
                kind=values.get("kind", ""),
                teacher=teacher,
                school_class=_school_class(overview, values.get("school_class")),
                client=client_info_from_request(request._request),
            )
        except HosoError as error:
            return error_response(error)
        return Response(
            ExtensionOut(extension_data(extension)).data, status=status.HTTP_201_CREATED
        )
