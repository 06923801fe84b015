"""Entry deadlines (R4.5): regular marks by the principal's date, mid-term marks within 7 days of
the test, end-of-term marks within the school's period; an extension reopens entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hoso.academics.models import SchoolClass, Subject, TeachingGroup
from hoso.accounts.models import User
from hoso.assessment.models import (
    DeadlineExtension,
    DeadlineKind,
    EntryDeadline,
    MarkKind,
    MidtermTest,
)
from hoso.core.formatting import date_vi

MIDTERM_ENTRY_DAYS = 7  # R4.5b: "chậm nhất sau một tuần kể từ ngày kiểm tra"

KIND_LABEL = {
    MarkKind.REGULAR: "ĐĐGtx",
    MarkKind.MIDTERM: "ĐĐGgk",
    MarkKind.FINAL: "ĐĐGck",
}


@dataclass(frozen=True)
class DeadlineContext:
    """Everything the deadline check of one grid needs, loaded once (three queries)."""

    deadlines: dict[tuple[int, str], EntryDeadline]
    midterm_date: dict[int, dt.date]  # semester → test date of this group and subject
    extensions: list[DeadlineExtension]

    @classmethod
    def load(
        cls, *, group: TeachingGroup, subject: Subject, teacher: User | None
    ) -> DeadlineContext:
        deadlines = {
            (d.semester, d.kind): d
            for d in EntryDeadline.objects.filter(school_id=group.school_id, year_id=group.year_id)
        }
        midterm = {
            t.semester: t.test_date
            for t in MidtermTest.objects.filter(group=group, subject=subject)
        }
        extensions = list(
            DeadlineExtension.objects.filter(school_id=group.school_id, year_id=group.year_id)
        )
        return cls(deadlines, midterm, extensions)

    def extended_until(
        self,
        *,
        semester: int,
        kind: str,
        teacher: User | None,
        school_class: SchoolClass,
        subject: Subject,
    ) -> dt.date | None:
        best: dt.date | None = None
        for ext in self.extensions:
            if ext.semester != semester or (ext.kind and ext.kind != kind):
                continue
            if ext.teacher_id is not None and (teacher is None or ext.teacher_id != teacher.id):
                continue
            if ext.school_class_id is not None and ext.school_class_id != school_class.id:
                continue
            if ext.subject_id is not None and ext.subject_id != subject.id:
                continue
            best = ext.until if best is None or ext.until > best else best
        return best

    def due_date(self, *, semester: int, kind: str) -> dt.date | None:
        """The last day of entry for a column, or ``None`` when the school set none."""
        if kind == MarkKind.MIDTERM:
            test_date = self.midterm_date.get(semester)
            return test_date + dt.timedelta(days=MIDTERM_ENTRY_DAYS) if test_date else None
        deadline_kind = DeadlineKind.REGULAR if kind == MarkKind.REGULAR else DeadlineKind.FINAL
        deadline = self.deadlines.get((semester, deadline_kind))
        return deadline.due_on if deadline else None

    def opens_on(self, *, semester: int, kind: str) -> dt.date | None:
        if kind != MarkKind.FINAL:
            return None
        deadline = self.deadlines.get((semester, DeadlineKind.FINAL))
        return deadline.opens_on if deadline else None

    def refusal(
        self,
        *,
        today: dt.date,
        semester: int,
        kind: str,
        teacher: User | None,
        school_class: SchoolClass,
        subject: Subject,
    ) -> str | None:
        """Why entry is closed today, or ``None`` when it is open."""
        due = self.due_date(semester=semester, kind=kind)
        opens = self.opens_on(semester=semester, kind=kind)
        label = KIND_LABEL[MarkKind(kind)]
        if opens is not None and today < opens:
            return f"Chưa đến thời gian nhập {label} (từ {date_vi(opens)}, R4.5c)."
        if due is None or today <= due:
            return None
        until = self.extended_until(
            semester=semester,
            kind=kind,
            teacher=teacher,
            school_class=school_class,
            subject=subject,
        )
        if until is not None and today <= until:
            return None
        return f"Đã quá hạn nhập {label} ({date_vi(due)}). Cần Hiệu trưởng gia hạn (R4.5)."
