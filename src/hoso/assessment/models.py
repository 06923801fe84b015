"""Marks, their revisions, locks, deadlines and mid-term test dates (issue 4; R4.1–R4.5).

A mark belongs to the student's enrolment (their own class's book), whatever teaching group it was
entered through. One row per cell: (enrolment, subject, semester, kind, index). A row whose
``value`` and ``comment`` are both empty is "not entered" (D6) — it is kept so its version and
history survive a teacher clearing a draft.

Only the services of this app write these tables (style.md: "Services write").
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.core.models import TimestampedModel


class MarkKind(models.TextChoices):
    REGULAR = "regular", _("ĐĐGtx")
    MIDTERM = "midterm", _("ĐĐGgk")
    FINAL = "final", _("ĐĐGck")


class MarkState(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã hoàn tất")


def mark_display(value: Decimal | None, comment: str) -> str:
    """A mark as written on screen and paper: ``8,5``, ``Đ`` or empty."""
    if value is not None:
        return format(value, "f").replace(".", ",")
    return comment


class Mark(models.Model):
    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(
        "academics.Enrollment", on_delete=models.PROTECT, related_name="marks"
    )
    subject = models.ForeignKey("academics.Subject", on_delete=models.PROTECT, related_name="+")
    semester = models.PositiveSmallIntegerField(choices=[(1, "I"), (2, "II")])
    kind = models.CharField(max_length=8, choices=MarkKind.choices)
    index = models.PositiveSmallIntegerField(default=1)  # 1… for ĐĐGtx; 1 for the others
    # Score subjects: 0.0–10.0, one decimal (D1, D20). Never a float.
    value = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    # Comment subjects: "Đ" / "CĐ".
    comment = models.CharField(max_length=2, blank=True)
    state = models.CharField(max_length=10, choices=MarkState.choices, default=MarkState.DRAFT)
    # Locked on its own (after an approved correction, R4.6a): a class unlock does not open it.
    locked = models.BooleanField(default=False)
    # Optimistic concurrency: every save names the version it was based on.
    version = models.PositiveIntegerField(default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enrollment", "subject", "semester", "kind", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "subject", "semester", "kind", "index"],
                name="mark_one_cell",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=10)),
                name="mark_value_0_10",
            ),
            models.CheckConstraint(
                condition=Q(comment__in=["", "Đ", "CĐ"]), name="mark_comment_d_cd"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "year", "subject", "semester"]),
        ]
        verbose_name = _("điểm")
        verbose_name_plural = _("điểm")

    def __str__(self) -> str:
        return f"{self.enrollment_id}/{self.subject_id}/HK{self.semester}/{self.kind}{self.index}"

    @property
    def is_entered(self) -> bool:
        return self.value is not None or self.comment != ""

    @property
    def display(self) -> str:
        """As written on screen and paper: ``8,5``, ``Đ`` or empty."""
        return mark_display(self.value, self.comment)


class MarkRevision(models.Model):
    """One change of one mark — append-only (a PostgreSQL trigger refuses UPDATE/DELETE)."""

    mark = models.ForeignKey(Mark, on_delete=models.PROTECT, related_name="revisions")
    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    old_text = models.CharField(max_length=8, blank=True)
    new_text = models.CharField(max_length=8, blank=True)
    old_state = models.CharField(max_length=10, blank=True)
    new_state = models.CharField(max_length=10, blank=True)
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    event_id = models.BigIntegerField(null=True, blank=True)  # the audit event that recorded it
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["mark", "version"]
        indexes = [models.Index(fields=["mark", "version"]), models.Index(fields=["changed_by"])]
        verbose_name = _("lịch sử điểm")
        verbose_name_plural = _("lịch sử điểm")

    def __str__(self) -> str:
        return f"{self.mark_id} v{self.version}: {self.old_text!r} → {self.new_text!r}"


class LockScope(models.TextChoices):
    SCHOOL = "school", _("Toàn trường")
    GRADE = "grade", _("Khối")
    CLASS = "class", _("Lớp")


class BookLock(TimestampedModel):
    """The principal's decision to lock a book (R4.4): a class, a grade or the school, for one
    semester or the whole year (``semester`` empty). Open while ``unlocked_at`` is empty."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    semester = models.PositiveSmallIntegerField(null=True, blank=True)
    scope = models.CharField(max_length=8, choices=LockScope.choices)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    school_class = models.ForeignKey(
        "academics.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who decided (always the principal, R4.4) and who carried it out (principal or admin, R14.2).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unlock_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unlock_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "year", "unlocked_at"])]
        verbose_name = _("khóa sổ")
        verbose_name_plural = _("khóa sổ")

    def __str__(self) -> str:
        return (
            f"{self.get_scope_display()} {self.grade or self.school_class or ''} HK{self.semester}"
        )


class DeadlineKind(models.TextChoices):
    REGULAR = "regular", _("Hạn nhập ĐĐGtx")
    FINAL = "final", _("Hạn nhập ĐĐGck")


class EntryDeadline(TimestampedModel):
    """R4.5: the principal's deadline for regular marks, and the end-of-term entry period."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    semester = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=DeadlineKind.choices)
    opens_on = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["school", "year", "semester", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "semester", "kind"], name="deadline_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} HK{self.semester}: {self.due_on:%d/%m/%Y}"


class MidtermTest(TimestampedModel):
    """R4.5b: the date of a group's mid-term test; its marks are due within 7 days of it."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        "academics.TeachingGroup", on_delete=models.CASCADE, related_name="midterm_tests"
    )
    subject = models.ForeignKey("academics.Subject", on_delete=models.PROTECT, related_name="+")
    semester = models.PositiveSmallIntegerField()
    test_date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["group", "subject", "semester"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "subject", "semester"], name="midterm_test_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.subject} HK{self.semester}: {self.test_date:%d/%m/%Y}"


class DeadlineExtension(TimestampedModel):
    """The principal's extension of a deadline, for a teacher, a class or a column (R4.5)."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    semester = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=MarkKind.choices, blank=True)  # blank: all
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(
        "academics.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "academics.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    until = models.DateField()
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Gia hạn đến {self.until:%d/%m/%Y}: {self.reason}"


class AssessmentSettings(TimestampedModel):
    """A school's own choices within the circulars (R11.3)."""

    school = models.OneToOneField(
        "organizations.Unit", on_delete=models.CASCADE, related_name="assessment_settings"
    )
    # The grid shows the regular columns a subject requires, and spare ones up to this maximum.
    max_regular_marks = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["school"]

    def __str__(self) -> str:
        return f"{self.school}: tối đa {self.max_regular_marks} ĐĐGtx"


# --- The homeroom teacher's part of the book (issue 5; R12.1–R12.3, R12.8) -------------------


class Session(models.TextChoices):
    """A school session (buổi): absences are counted in sessions, never in periods (§2.5)."""

    MORNING = "sang", _("Sáng")
    AFTERNOON = "chieu", _("Chiều")


class Absence(TimestampedModel):
    """One session a student missed (R12.2: recorded weekly by the homeroom teacher).

    A row means "absent"; no row means present. ``excused`` is "có phép" (a reason accepted by
    the homeroom teacher); the circulars count excused and unexcused sessions alike towards the
    45-session limit (TT22 Art. 12, TT58 Art. 15)."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(
        "academics.Enrollment", on_delete=models.PROTECT, related_name="absences"
    )
    date = models.DateField(_("ngày"))
    session = models.CharField(_("buổi"), max_length=5, choices=Session.choices)
    excused = models.BooleanField(_("có phép"), default=False)
    reason = models.CharField(_("lí do"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["enrollment", "date", "session"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "date", "session"], name="absence_one_per_session"
            )
        ]
        indexes = [models.Index(fields=["school", "year", "date"])]
        verbose_name = _("buổi nghỉ học")
        verbose_name_plural = _("buổi nghỉ học")

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.date:%d/%m/%Y} {self.get_session_display()}"


class ConductPeriod(models.TextChoices):
    SEMESTER_1 = "hk1", _("Học kì I")
    SEMESTER_2 = "hk2", _("Học kì II")
    YEAR = "year", _("Cả năm")
    SUMMER = "summer", _("Rèn luyện trong hè")


class ConductRating(TimestampedModel):
    """The homeroom teacher's training (TT22 rèn luyện) or conduct (TT58 hạnh kiểm) rating of one
    period (R12.3). The text is the level as the regime names it; the services check the scale.
    An empty ``rating`` is "not rated" — the row keeps its version and history."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(
        "academics.Enrollment", on_delete=models.PROTECT, related_name="conduct_ratings"
    )
    period = models.CharField(_("kì đánh giá"), max_length=6, choices=ConductPeriod.choices)
    rating = models.CharField(_("mức đánh giá"), max_length=16, blank=True)
    version = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["enrollment", "period"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "period"], name="conduct_one_per_period")
        ]
        verbose_name = _("đánh giá rèn luyện")
        verbose_name_plural = _("đánh giá rèn luyện")

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.period}: {self.rating}"


class CommentPeriod(models.IntegerChoices):
    SEMESTER_1 = 1, _("Học kì I")
    SEMESTER_2 = 2, _("Học kì II")
    YEAR = 3, _("Cả năm")


class StudentComment(TimestampedModel):
    """A comment on one student (R12.8; học bạ "Nhận xét"): the homeroom teacher's general
    comment (``subject`` empty) or a subject teacher's comment on their subject."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    enrollment = models.ForeignKey(
        "academics.Enrollment", on_delete=models.PROTECT, related_name="comments"
    )
    subject = models.ForeignKey(
        "academics.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    semester = models.PositiveSmallIntegerField(_("kì"), choices=CommentPeriod.choices)
    text = models.TextField(_("nhận xét"), blank=True)
    version = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["enrollment", "semester", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "subject", "semester"],
                condition=Q(subject__isnull=False),
                name="comment_one_per_subject",
            ),
            models.UniqueConstraint(
                fields=["enrollment", "semester"],
                condition=Q(subject__isnull=True),
                name="comment_one_general",
            ),
        ]
        verbose_name = _("nhận xét")
        verbose_name_plural = _("nhận xét")

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.subject_id or 'GVCN'} {self.semester}"
