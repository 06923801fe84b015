"""Reads for corrections: the request lists, the correctable marks of an assignment, the
correction record (biên bản sửa dữ liệu, R4.3), a teacher's monthly mark-edit log (nhật kí sửa
điểm, R4.6a) and the count of corrections per subject for the transcript.

The record and the log are frozen dataclasses: the printing engineer's Typst renderer takes them
as they are (``docs/corrections.md``); the HTML print pages lay out the same objects. Every
selector is scoped by the caller and costs a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from hoso.academics.models import Enrollment, SchoolYear, Student, TeachingAssignment
from hoso.accounts.access import Actor, can, scope_of
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.models import Mark, MarkKind, MarkRevision, MarkState
from hoso.assessment.selectors import COLUMN_LABEL, group_enrollments
from hoso.core.errors import NotFoundError
from hoso.core.ids import id_lookup
from hoso.organizations.models import Unit
from hoso.workflow.models import (
    ApplyMode,
    CorrectionEvidence,
    CorrectionItem,
    CorrectionRequest,
    CorrectionStatus,
)
from hoso.workflow.policy import apply_mode, is_school_admin, may_approve

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def column_label(kind: str, index: int) -> str:
    """TX1…, GK, CK — as the book's columns are headed."""
    return COLUMN_LABEL[MarkKind(kind)].format(index=index)


def _request_queryset() -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.select_related(
        "school",
        "year",
        "requester",
        "approver",
        "admin_in_charge",
        "applied_by",
        "assignment__subject",
        "assignment__group",
    )


def may_view_request(actor: Actor, request: CorrectionRequest) -> bool:
    """The requester; the school's leadership, admins and inspectors (audit readers); whoever
    may approve it."""
    if isinstance(actor, User) and request.requester_id == actor.id:
        return True
    return can(actor, Perm.VIEW_AUDIT, request.school) or can(
        actor, Perm.APPROVE_CORRECTION, request.school
    )


def correction_request_get(actor: Actor, request_uuid: str) -> CorrectionRequest:
    """The request if ``actor`` may see it; ``NotFoundError`` (as for one that does not exist)
    otherwise."""
    request = _request_queryset().filter(**id_lookup(request_uuid)).first()
    if request is None or not may_view_request(actor, request):
        raise NotFoundError()
    return request


def evidence_get(actor: Actor, request_uuid: str, evidence_uuid: str) -> CorrectionEvidence:
    request = correction_request_get(actor, request_uuid)
    lookup = id_lookup(evidence_uuid)
    evidence = CorrectionEvidence.objects.filter(request=request, **lookup).first()
    if evidence is None:
        raise NotFoundError()
    return evidence


def correction_requests_mine(actor: Actor) -> list[CorrectionRequest]:
    if not isinstance(actor, User):
        return []
    return list(_request_queryset().filter(requester=actor)[:200])


@dataclass(frozen=True)
class Inbox:
    to_decide: list[CorrectionRequest]
    to_apply: list[CorrectionRequest]
    recent: list[CorrectionRequest]  # the schools' latest requests, for audit readers


def correction_inbox(actor: Actor, *, today: dt.date | None = None) -> Inbox:
    """What waits for this person: requests to approve (principal, delegated vice principal),
    approved requests to apply (admins, where the school has admins apply them), and the
    schools' recent requests for those who read the audit trail."""
    if not isinstance(actor, User):
        return Inbox([], [], [])
    day = today or timezone.localdate()
    scope = scope_of(actor)
    school_ids = {g.unit_id for g in scope.grants}
    schools = {u.id: u for u in Unit.objects.filter(id__in=school_ids, kind="school")}
    deciding = [sid for sid, school in schools.items() if may_approve(actor, school, on=day)]
    applying = [
        sid
        for sid, school in schools.items()
        if (is_school_admin(actor, school) and apply_mode(school) == ApplyMode.BY_ADMIN)
        or sid in deciding
    ]
    readers = [sid for sid in scope.unit_perms if scope.unit_allows(sid, Perm.VIEW_AUDIT)]
    rows = list(
        _request_queryset()
        .filter(
            Q(school_id__in=deciding, status=CorrectionStatus.SUBMITTED)
            | Q(school_id__in=applying, status=CorrectionStatus.APPROVED)
            | Q(school_id__in=readers)
        )
        .order_by("-created_at", "-id")[:300]
    )
    return Inbox(
        to_decide=[
            r
            for r in rows
            if r.school_id in deciding
            and r.status == CorrectionStatus.SUBMITTED
            and r.requester_id != actor.id
        ],
        to_apply=[
            r
            for r in rows
            if r.school_id in applying
            and r.status == CorrectionStatus.APPROVED
            and r.admin_in_charge_id in (None, actor.id)
        ],
        recent=[r for r in rows if r.school_id in readers][:50],
    )


def correction_items(request: CorrectionRequest) -> list[CorrectionItem]:
    return list(
        request.items.select_related(
            "mark__enrollment__student", "mark__enrollment__school_class", "mark__subject"
        ).order_by("mark__enrollment__student__name_sort_key", "mark__kind", "mark__index")
    )


def correctable_marks(
    *,
    actor: Actor,
    assignment: TeachingAssignment,
    semester: int,
    student_query: str = "",
) -> list[Mark]:
    """The submitted or locked marks of one of the teacher's assignments in a semester, in
    name order, optionally narrowed to students whose name or id contains ``student_query``."""
    if not (can(actor, Perm.REQUEST_CORRECTION, assignment) and assignment.teacher == actor):
        raise NotFoundError()
    enrollments = group_enrollments(assignment.group)
    query = student_query.strip()
    if query:
        enrollments = enrollments.filter(
            Q(student__full_name__icontains=query) | Q(student__national_id__icontains=query)
        )
    return list(
        Mark.objects.filter(
            enrollment__in=enrollments.values("id"),
            subject_id=assignment.subject_id,
            semester=semester,
        )
        .filter(Q(state=MarkState.SUBMITTED) | Q(locked=True))
        .select_related("enrollment__student", "enrollment__school_class")
        .order_by(
            "enrollment__student__name_sort_key",
            "enrollment__student__national_id",
            "kind",
            "index",
        )
    )


# --- The correction record (biên bản sửa dữ liệu, R4.3) -------------------------------------


@dataclass(frozen=True)
class PersonRef:
    username: str
    full_name: str


@dataclass(frozen=True)
class RecordItem:
    student_name: str
    national_id: str
    class_name: str
    subject: str
    column: str  # TX1, GK, CK
    old_text: str  # "8,5", "Đ", "" (not entered)
    new_text: str


@dataclass(frozen=True)
class RecordEvidence:
    uuid: str  # for the download link (the file itself is never in the record)
    kind: str  # EvidenceKind value
    kind_label: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class CorrectionRecord:
    """Everything the printed correction record shows, with nothing left to query."""

    reference: str  # SĐ-XXXXXXXX
    uuid: str  # the audit events' approval_ref
    school_code: str
    school_name: str
    school_year: str
    semester: int
    subject: str
    group: str
    path: str  # "R4.6a" / "R4.3"
    path_label: str
    status: str
    status_label: str
    requester: PersonRef
    approver: PersonRef | None
    admin_in_charge: PersonRef | None
    applied_by: PersonRef | None
    reason: str
    approver_comment: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    applied_at: dt.datetime | None
    items: tuple[RecordItem, ...]
    evidence: tuple[RecordEvidence, ...]


def _person(user: User | None) -> PersonRef | None:
    return PersonRef(user.username, user.display_name) if user is not None else None


def correction_record(*, actor: Actor, request: CorrectionRequest) -> CorrectionRecord:
    """The correction record of one request (four queries)."""
    if not may_view_request(actor, request):
        raise NotFoundError()
    request = _request_queryset().get(pk=request.pk)
    items = correction_items(request)
    evidence = list(request.evidence.order_by("id"))
    assert request.requester is not None
    return CorrectionRecord(
        reference=request.reference,
        uuid=str(request.uuid),
        school_code=request.school.code,
        school_name=request.school.name,
        school_year=request.year.name,
        semester=request.semester,
        subject=request.assignment.subject.name,
        group=request.assignment.group.name,
        path=request.path,
        path_label=str(request.get_path_display()),
        status=request.status,
        status_label=str(request.get_status_display()),
        requester=PersonRef(request.requester.username, request.requester.display_name),
        approver=_person(request.approver),
        admin_in_charge=_person(request.admin_in_charge),
        applied_by=_person(request.applied_by),
        reason=request.reason,
        approver_comment=request.approver_comment,
        submitted_at=request.submitted_at,
        decided_at=request.decided_at,
        applied_at=request.applied_at,
        items=tuple(
            RecordItem(
                student_name=item.mark.enrollment.student.full_name,
                national_id=item.mark.enrollment.student.national_id,
                class_name=item.mark.enrollment.school_class.name,
                subject=item.mark.subject.name,
                column=column_label(item.mark.kind, item.mark.index),
                old_text=item.old_text,
                new_text=item.new_display,
            )
            for item in items
        ),
        evidence=tuple(
            RecordEvidence(
                uuid=str(row.uuid),
                kind=row.kind,
                kind_label=str(row.get_kind_display()),
                original_name=row.original_name,
                content_type=row.content_type,
                size=row.size,
                sha256=row.sha256,
                uploaded_at=row.created_at,
            )
            for row in evidence
        ),
    )


# --- The mark-edit log (nhật kí sửa điểm, R4.6a) --------------------------------------------


@dataclass(frozen=True)
class EditLogEntry:
    changed_at: dt.datetime
    student_name: str
    national_id: str
    class_name: str
    subject: str
    semester: int
    column: str
    old_text: str
    new_text: str
    changed_by: str  # display name of who wrote the change
    request_reference: str  # "SĐ-…" when a correction request was behind it, else ""
    request_uuid: str
    request_reason: str
    event_id: int | None


@dataclass(frozen=True)
class MarkEditLog:
    teacher: PersonRef
    school_names: tuple[str, ...]
    year: int
    month: int
    only_edits: bool
    entries: tuple[EditLogEntry, ...]

    @property
    def corrections(self) -> int:
        return sum(1 for entry in self.entries if entry.request_reference)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month as an aware [start, end) interval of the school's day (Asia/Ho_Chi_Minh)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, end


def may_view_edit_log(actor: Actor, teacher: User) -> bool:
    """The teacher themself; leadership, admins and inspectors of a school the teacher teaches
    in (they print it before the monthly subject meeting, R4.6a)."""
    if isinstance(actor, User) and actor.id == teacher.id:
        return True
    school_ids = set(
        TeachingAssignment.objects.filter(teacher=teacher).values_list("school_id", flat=True)
    )
    scope = scope_of(actor)
    return any(scope.unit_allows(sid, Perm.VIEW_AUDIT) for sid in school_ids)


def mark_edit_log(
    *, actor: Actor, teacher: User, year: int, month: int, only_edits: bool = True
) -> MarkEditLog:
    """Every change that month to the marks of the teacher's assignments, whoever wrote it, with
    old/new values and the correction request behind it (read from the revision's reason, which
    names the request's UUID). ``only_edits`` (the printed form) leaves out first entries (empty
    → value) and submissions (no value change). Four queries whatever the number of classes."""
    if not may_view_edit_log(actor, teacher):
        raise NotFoundError()
    assignments = list(
        TeachingAssignment.objects.filter(teacher=teacher).select_related("group", "school")
    )
    # Marks belong to enrolments, not groups: a class group reaches its class's enrolments, a
    # mixed group its members'.
    condition = Q(pk__in=[])
    for a in assignments:
        if a.group.school_class_id is not None:
            where = Q(mark__enrollment__school_class_id=a.group.school_class_id)
        else:
            where = Q(mark__enrollment__teaching_groups=a.group_id)
        condition |= Q(mark__subject_id=a.subject_id, mark__year_id=a.year_id) & where
    start, end = month_bounds(year, month)
    revisions = (
        MarkRevision.objects.filter(condition, changed_at__gte=start, changed_at__lt=end)
        .select_related(
            "mark__enrollment__student",
            "mark__enrollment__school_class",
            "mark__subject",
            "changed_by",
        )
        .order_by("changed_at", "id")
        .distinct()
    )
    rows = [
        r for r in revisions if not only_edits or (r.old_text != r.new_text and r.old_text != "")
    ]
    uuids = {m.group(0) for r in rows if (m := _UUID.search(r.reason))}
    requests = {
        str(req.uuid): req for req in CorrectionRequest.objects.filter(uuid__in=list(uuids))
    }
    entries = []
    for r in rows:
        found = _UUID.search(r.reason)
        request = requests.get(found.group(0)) if found else None
        mark = r.mark
        entries.append(
            EditLogEntry(
                changed_at=r.changed_at,
                student_name=mark.enrollment.student.full_name,
                national_id=mark.enrollment.student.national_id,
                class_name=mark.enrollment.school_class.name,
                subject=mark.subject.name,
                semester=mark.semester,
                column=column_label(mark.kind, mark.index),
                old_text=r.old_text,
                new_text=r.new_text,
                changed_by=r.changed_by.display_name if r.changed_by else "",
                request_reference=request.reference if request else "",
                request_uuid=str(request.uuid) if request else "",
                request_reason=request.reason if request else r.reason,
                event_id=r.event_id,
            )
        )
    return MarkEditLog(
        teacher=PersonRef(teacher.username, teacher.display_name),
        school_names=tuple(sorted({a.school.name for a in assignments})),
        year=year,
        month=month,
        only_edits=only_edits,
        entries=tuple(entries),
    )


# --- For the transcript ---------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectCorrections:
    subject_code: str
    subject_name: str
    count: int  # marks corrected (applied correction items) that school year


def correction_counts(
    *, actor: Actor, student: Student, year: SchoolYear
) -> tuple[SubjectCorrections, ...]:
    """How many of a student's marks were corrected in each subject that year (applied
    requests), for the transcript's "số lần sửa điểm" (R4.6a). Two queries."""
    if not can(actor, Perm.VIEW_MARKS, student):
        raise NotFoundError()
    enrollment_ids = Enrollment.objects.filter(student=student, year=year).values("id")
    items = CorrectionItem.objects.filter(
        mark__enrollment_id__in=enrollment_ids,
        request__status=CorrectionStatus.APPLIED,
    ).values_list("mark__subject__code", "mark__subject__name", "mark__subject__position")
    counts: Counter[tuple[str, str, int]] = Counter(items)
    return tuple(
        SubjectCorrections(code, name, count)
        for (code, name, _position), count in sorted(counts.items(), key=lambda kv: kv[0][2])
    )
