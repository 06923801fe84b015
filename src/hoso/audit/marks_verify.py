"""Marks against their revisions: a change made behind the application's back is named.

Every write of a mark by a service bumps its ``version`` and appends a ``MarkRevision`` (old,
new, state, version, the audit event's id) in the same transaction. So, for every mark:

- its latest revision has the mark's version, value text and state (``value``, ``state``,
  ``version``) — a raw ``UPDATE`` of a mark's value leaves the mark differing from its last
  revision;
- the revisions follow one another (each one's ``old`` is the previous one's ``new``:
  ``revision chain``);
- an entered or changed mark has revisions at all (``no revision``);
- every revision names an audit event of the mark's school that lists the new value
  (``event``) — a forged revision inserted with the mark's raw update has no such event.

The events themselves are checked by ``audit_verify`` (the hash chain). Marks and revisions
stream in id order (chunks of 2,000), side by side, so a province's tables never sit in memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hoso.core.formatting import decimal_vi

CHUNK_SIZE = 2000

VALUE = "value"
STATE = "state"
VERSION = "version"
CHAIN = "revision chain"
NO_REVISION = "no revision"
EVENT = "event"

_DETAILS = {
    VALUE: "giá trị điểm khác lần sửa cuối được ghi (điểm bị sửa ngoài ứng dụng)",
    STATE: "trạng thái điểm khác lần sửa cuối được ghi",
    VERSION: "số phiên bản điểm khác lần sửa cuối được ghi",
    CHAIN: "các lần sửa không nối tiếp nhau",
    NO_REVISION: "điểm có giá trị nhưng không có lịch sử sửa",
    EVENT: "lần sửa không khớp sự kiện nhật ký nào của trường",
}


@dataclass(frozen=True)
class MarkMismatch:
    mark_id: int
    kind: str
    expected: str
    found: str
    label: str = ""

    @property
    def detail(self) -> str:
        return _DETAILS[self.kind]

    def describe(self) -> str:
        where = f" ({self.label})" if self.label else ""
        return (
            f"Điểm id={self.mark_id}{where} — {self.kind}: {self.detail} "
            f"(cần {self.expected!r}, thấy {self.found!r})"
        )


@dataclass
class MarksReport:
    marks: int = 0
    revisions: int = 0
    mismatches: list[MarkMismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _display(value: Decimal | None, comment: str) -> str:
    return decimal_vi(value) if value is not None else comment


def verify_marks(school_code: str | None = None) -> MarksReport:
    """Compare every mark (of one school, or all) with its revisions and their events."""
    from hoso.assessment.models import Mark, MarkRevision

    marks = Mark.objects.order_by("id")
    revisions = MarkRevision.objects.order_by("mark_id", "version", "id")
    if school_code is not None:
        marks = marks.filter(school__code=school_code)
        revisions = revisions.filter(school__code=school_code)
    report = MarksReport()
    rows = marks.values_list("id", "value", "comment", "state", "version").iterator(
        chunk_size=CHUNK_SIZE
    )
    revision_rows: Iterator[tuple[Any, ...]] = revisions.values_list(
        "mark_id", "version", "old_text", "new_text", "new_state"
    ).iterator(chunk_size=CHUNK_SIZE)
    pending = next(revision_rows, None)
    for mark_id, value, comment, state, version in rows:
        report.marks += 1
        own: list[tuple[Any, ...]] = []
        # Revisions of marks that no longer exist cannot be (PROTECT); skip any below this id.
        while pending is not None and pending[0] <= mark_id:
            if pending[0] == mark_id:
                own.append(pending)
            report.revisions += 1
            pending = next(revision_rows, None)
        found = _check_mark(mark_id, _display(value, comment), state, version, own)
        if found is not None:
            report.mismatches.append(found)
    _check_events(report, revisions)
    _label(report)
    return report


def _check_mark(
    mark_id: int, text: str, state: str, version: int, own: list[tuple[Any, ...]]
) -> MarkMismatch | None:
    if not own:
        if text or version:
            return MarkMismatch(mark_id, NO_REVISION, "—", text or f"v{version}")
        return None
    for before, after in itertools.pairwise(own):
        if after[2] != before[3] or after[1] <= before[1]:
            return MarkMismatch(
                mark_id, CHAIN, f"v{before[1]} {before[3]!s}", f"v{after[1]} {after[2]!s}"
            )
    last = own[-1]
    if last[3] != text:
        return MarkMismatch(mark_id, VALUE, last[3], text)
    if last[4] and last[4] != state:
        return MarkMismatch(mark_id, STATE, last[4], state)
    if last[1] != version:
        return MarkMismatch(mark_id, VERSION, str(last[1]), str(version))
    return None


def _check_events(report: MarksReport, revisions: Any) -> None:
    """Each revision's event exists in the mark's school chain and lists the new value."""
    from hoso.audit.models import AuditEvent

    flagged = {m.mark_id for m in report.mismatches}
    batch: list[tuple[Any, ...]] = []

    def flush() -> None:
        ids = {row[2] for row in batch if row[2] is not None}
        events = {
            e[0]: (e[1], e[2])
            for e in AuditEvent.objects.filter(id__in=ids).values_list("id", "unit_id", "changes")
        }
        for mark_id, school_id, event_id, old_text, new_text in batch:
            if mark_id in flagged:
                continue
            event = events.get(event_id) if event_id is not None else None
            listed = event is not None and event[0] == school_id
            if listed and old_text != new_text and event is not None:
                news = {str(c.get("new")) for c in event[1] or [] if isinstance(c, dict)}
                listed = new_text in news
            if not listed:
                flagged.add(mark_id)
                report.mismatches.append(
                    MarkMismatch(mark_id, EVENT, f"sự kiện id={event_id}", new_text)
                )
        batch.clear()

    for row in revisions.values_list(
        "mark_id", "school_id", "event_id", "old_text", "new_text"
    ).iterator(chunk_size=CHUNK_SIZE):
        batch.append(row)
        if len(batch) >= CHUNK_SIZE:
            flush()
    flush()
    report.mismatches.sort(key=lambda m: m.mark_id)


def _label(report: MarksReport) -> None:
    """Name each mismatched mark as the events do: class, student id, subject, column."""
    if not report.mismatches:
        return
    from hoso.assessment.models import Mark

    labels = {
        m.id: (
            f"{m.school.code} {m.enrollment.school_class.name} "
            f"{m.enrollment.student.national_id} {m.subject.code} HK{m.semester} {m.kind}{m.index}"
        )
        for m in Mark.objects.filter(id__in=[x.mark_id for x in report.mismatches]).select_related(
            "school", "enrollment__school_class", "enrollment__student", "subject"
        )
    }
    report.mismatches = [
        MarkMismatch(m.mark_id, m.kind, m.expected, m.found, labels.get(m.mark_id, ""))
        for m in report.mismatches
    ]
