"""Reads of the audit browser (issue 6; R4.3, R15): events scoped to the chains the reader may
see, filtered by school, person, class, student, subject, kind and date; one mark's history.

Scope: the units where the reader holds ``Perm.VIEW_AUDIT`` — a principal, vice principal or
admin their school's chain; an inspector (or an officer granted the right) the chains of every
unit under their grant. Class, student and subject filters match the changed objects the events
list (``mark:<class>:<student id>:<subject code>:HK<n>:<column>``, written by the mark services),
so they find every mark event whatever the service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import QueryDict

from hoso.accounts.access import Actor, can, scope_of
from hoso.accounts.permissions import Perm
from hoso.audit.models import AuditEvent
from hoso.core.errors import NotFoundError
from hoso.organizations.models import Unit


@dataclass(frozen=True)
class AuditFilters:
    school: str = ""  # unit code
    person: str = ""  # username, or part of the full name
    class_name: str = ""
    student: str = ""  # national id
    subject: str = ""  # subject code (e.g. "toan")
    action: str = ""  # a registered kind, or a prefix ending with "." ("correction.")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    approval_ref: str = ""

    @classmethod
    def from_query(cls, data: QueryDict) -> AuditFilters:
        def text(name: str) -> str:
            return (data.get(name) or "").strip()[:100]

        def day(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(text(name)) if text(name) else None
            except ValueError:
                return None

        return cls(
            school=text("school"),
            person=text("person"),
            class_name=text("class_name"),
            student=text("student"),
            subject=text("subject"),
            action=text("action"),
            date_from=day("date_from"),
            date_to=day("date_to"),
            approval_ref=text("approval_ref"),
        )

    def as_query(self) -> str:
        """The filters as a query string (for pagination and export links)."""
        params = QueryDict(mutable=True)
        for item in fields(self):
            value = getattr(self, item.name)
            if value:
                params[item.name] = value.isoformat() if isinstance(value, dt.date) else value
        return params.urlencode()

    def describe(self) -> str:
        """For the summary of an audited view or export."""
        parts = [
            f"{item.name}={getattr(self, item.name)}"
            for item in fields(self)
            if getattr(self, item.name)
        ]
        return "; ".join(parts) or "không lọc"


def audit_unit_ids(actor: Actor) -> set[int]:
    """The units whose chains ``actor`` may read."""
    scope = scope_of(actor)
    return {uid for uid in scope.unit_perms if scope.unit_allows(uid, Perm.VIEW_AUDIT)}


def may_browse(actor: Actor) -> bool:
    return bool(audit_unit_ids(actor))


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def audit_events_browse(*, actor: Actor, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events ``actor`` may read, filtered, newest first (one query per page)."""
    unit_ids = audit_unit_ids(actor)
    events = AuditEvent.objects.filter(unit_id__in=unit_ids).select_related("unit")
    if filters.school:
        events = events.filter(unit__code=filters.school)
    if filters.person:
        events = events.filter(
            Q(actor_username__iexact=filters.person) | Q(actor__full_name__icontains=filters.person)
        )
    if filters.action:
        events = (
            events.filter(action__startswith=filters.action)
            if filters.action.endswith(".")
            else events.filter(action=filters.action)
        )
    if filters.approval_ref:
        events = events.filter(approval_ref=filters.approval_ref)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    pieces = [
        f":{value}:"
        for value in (filters.class_name, filters.student, filters.subject)
        if value and ":" not in value
    ]
    if pieces:
        events = events.annotate(changes_text=Cast("changes", TextField()))
        for piece in pieces:
            events = events.filter(changes_text__icontains=piece)
    return events.order_by("-occurred_at", "-id")


def audit_schools(actor: Actor) -> QuerySet[Unit]:
    """The units in the reader's audit scope, for the school filter."""
    return Unit.objects.filter(id__in=audit_unit_ids(actor)).order_by("kind", "code")


# --- One mark's history -------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    id: int
    action: str
    occurred_at: dt.datetime
    actor_username: str
    summary: str
    reason: str
    approval_ref: str | None
    hash: str


@dataclass(frozen=True)
class HistoryStep:
    version: int
    changed_at: dt.datetime
    changed_by: str
    old_text: str
    new_text: str
    old_state: str
    new_state: str
    reason: str
    event: HistoryEvent | None


@dataclass(frozen=True)
class MarkHistory:
    mark_id: int
    school_code: str
    student_name: str
    national_id: str
    class_name: str
    subject: str
    semester: int
    column: str
    current_text: str
    state: str
    locked: bool
    version: int
    steps: tuple[HistoryStep, ...]


def mark_history(*, actor: Actor, mark_id: int) -> MarkHistory:
    """A mark from its first entry to today: every revision in order, each with the audit event
    that recorded it (three queries)."""
    from hoso.assessment.models import Mark, MarkRevision
    from hoso.assessment.selectors import COLUMN_LABEL

    mark = (
        Mark.objects.select_related(
            "school", "enrollment__student", "enrollment__school_class", "subject"
        )
        .filter(id=mark_id)
        .first()
    )
    if mark is None or not can(actor, Perm.VIEW_AUDIT, mark.school):
        raise NotFoundError()
    revisions = list(
        MarkRevision.objects.filter(mark=mark)
        .select_related("changed_by")
        .order_by("version", "id")
    )
    events = {
        e.id: HistoryEvent(
            id=e.id,
            action=e.action,
            occurred_at=e.occurred_at,
            actor_username=e.actor_username,
            summary=e.summary,
            reason=e.reason,
            approval_ref=e.approval_ref,
            hash=e.hash,
        )
        for e in AuditEvent.objects.filter(
            id__in=[r.event_id for r in revisions if r.event_id], unit_id=mark.school_id
        )
    }
    return MarkHistory(
        mark_id=mark.id,
        school_code=mark.school.code,
        student_name=mark.enrollment.student.full_name,
        national_id=mark.enrollment.student.national_id,
        class_name=mark.enrollment.school_class.name,
        subject=mark.subject.name,
        semester=mark.semester,
        column=COLUMN_LABEL[mark.kind].format(index=mark.index),  # type: ignore[index]
        current_text=mark.display,
        state=mark.state,
        locked=mark.locked,
        version=mark.version,
        steps=tuple(
            HistoryStep(
                version=r.version,
                changed_at=r.changed_at,
                changed_by=r.changed_by.display_name if r.changed_by else "",
                old_text=r.old_text,
                new_text=r.new_text,
                old_state=r.old_state,
                new_state=r.new_state,
                reason=r.reason,
                event=events.get(r.event_id) if r.event_id else None,
            )
            for r in revisions
        ),
    )
