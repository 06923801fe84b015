"""School years, classes, the subject catalogue, teaching assignments, students and enrolments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.core.models import TimestampedModel
from hoso.core.names import name_sort_key


class Programme(models.TextChoices):
    GDPT_2018 = "2018", _("Chương trình GDPT 2018")
    OLD = "old", _("Chương trình cũ")


class SchoolYear(TimestampedModel):
    """A school year, named as the circulars write it: ``2025-2026``."""

    name = models.CharField(_("năm học"), max_length=9, unique=True)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("năm học")
        verbose_name_plural = _("năm học")

    def __str__(self) -> str:
        return self.name


class Semester(models.Model):
    year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="semesters")
    number = models.PositiveSmallIntegerField(_("học kì"), choices=[(1, "I"), (2, "II")])
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="semester_unique_per_year")
        ]
        verbose_name = _("học kì")
        verbose_name_plural = _("học kì")

    def __str__(self) -> str:
        return f"Học kì {'I' if self.number == 1 else 'II'} {self.year.name}"


class AssessmentKind(models.TextChoices):
    SCORE = "score", _("Đánh giá bằng nhận xét kết hợp điểm số")
    COMMENT = "comment", _("Đánh giá bằng nhận xét (Đ/CĐ)")
    LEVELS = "levels", _("Tiểu học: T/H/C")


class Subject(models.Model):
    """One subject or activity of one grade of one programme, from ``rules/data/subjects.json``.

    Reference data shared by every school (a Citus reference table); the same ``code`` names the
    same subject slot across grades and programmes (D21).
    """

    code = models.CharField(_("mã môn"), max_length=64)
    name = models.CharField(_("tên môn"), max_length=120)
    programme = models.CharField(_("chương trình"), max_length=8, choices=Programme.choices)
    grade = models.PositiveSmallIntegerField(_("khối"))
    kind = models.CharField(max_length=16, default="subject")
    compulsory = models.BooleanField(null=True)
    elective_group = models.CharField(max_length=32, blank=True)
    assessment = models.CharField(max_length=16, choices=AssessmentKind.choices)
    periods_per_year = models.PositiveSmallIntegerField(null=True, blank=True)
    regular_marks = models.PositiveSmallIntegerField(null=True, blank=True)
    periodic_test = models.JSONField(null=True, blank=True)
    roles = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "grade", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "grade", "code"], name="subject_unique_per_grade"
            )
        ]
        verbose_name = _("môn học")
        verbose_name_plural = _("môn học")

    def __str__(self) -> str:
        return self.name


class SchoolClass(TimestampedModel):
    school = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="classes"
    )
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("khối"))
    name = models.CharField(_("tên lớp"), max_length=32)
    programme = models.CharField(
        _("chương trình"), max_length=8, choices=Programme.choices, default=Programme.GDPT_2018
    )
    homeroom_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="homeroom_classes",
        verbose_name=_("giáo viên chủ nhiệm"),
    )

    class Meta:
        ordering = ["school", "year", "grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "name"], name="class_unique_name"),
            models.CheckConstraint(
                condition=Q(grade__gte=1) & Q(grade__lte=12), name="class_grade_1_12"
            ),
        ]
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")

    def __str__(self) -> str:
        return self.name


class TeachingGroup(TimestampedModel):
    """Who sits together for one subject: a whole class, or students drawn from several classes
    (upper-secondary electives, e.g. ``MUL10L3``). Marks still belong to each student's own
    enrolment, so every student keeps one book row per subject whatever the group."""

    school = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="teaching_groups"
    )
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="teaching_groups")
    name = models.CharField(_("tên nhóm"), max_length=32)
    school_class = models.ForeignKey(
        SchoolClass,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="teaching_groups",
        help_text=_("Để trống nếu nhóm gồm học sinh của nhiều lớp."),
    )
    members: models.ManyToManyField[Enrollment, Any] = models.ManyToManyField(
        "Enrollment", blank=True, related_name="teaching_groups"
    )

    class Meta:
        ordering = ["school", "year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "name"], name="group_unique_name")
        ]
        verbose_name = _("nhóm học")
        verbose_name_plural = _("nhóm học")

    def __str__(self) -> str:
        return self.name


class TeachingAssignment(TimestampedModel):
    """Teacher × subject × group × year (the subject teacher's right to the group's marks)."""

    school = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="teaching_assignments"
    )
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="assignments")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teaching_assignments"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assignments")
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        ordering = ["school", "year", "group", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "subject", "group"], name="assignment_unique"
            )
        ]
        verbose_name = _("phân công giảng dạy")
        verbose_name_plural = _("phân công giảng dạy")

    def __str__(self) -> str:
        return f"{self.teacher} — {self.subject} — {self.group}"


class Gender(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Student(TimestampedModel):
    """A learner, with the profile the transcript's information page needs.

    Students move between schools, so the student is not owned by a school: enrolments are.
    ``current_school`` is the school of the open enrolment, kept for scoping queries cheaply.
    """

    # Mã định danh (TT42/2021): text, never a number (leading zeros, float exports).
    national_id = models.CharField(_("mã định danh"), max_length=32, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    name_sort_key = models.CharField(max_length=600, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=1, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    place_of_birth = models.CharField(_("nơi sinh"), max_length=200, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=60, default="Kinh", blank=True)
    nationality = models.CharField(_("quốc tịch"), max_length=60, default="Việt Nam", blank=True)
    religion = models.CharField(_("tôn giáo"), max_length=60, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=200, blank=True)
    permanent_address = models.CharField(_("nơi thường trú"), max_length=300, blank=True)
    current_address = models.CharField(_("chỗ ở hiện nay"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    school_student_code = models.CharField(_("mã số học sinh"), max_length=32, blank=True)
    father_name = models.CharField(_("họ tên cha"), max_length=120, blank=True)
    father_occupation = models.CharField(_("nghề nghiệp cha"), max_length=120, blank=True)
    mother_name = models.CharField(_("họ tên mẹ"), max_length=120, blank=True)
    mother_occupation = models.CharField(_("nghề nghiệp mẹ"), max_length=120, blank=True)
    guardian_name = models.CharField(_("người giám hộ"), max_length=120, blank=True)
    guardian_occupation = models.CharField(
        _("nghề nghiệp người giám hộ"), max_length=120, blank=True
    )
    photo = models.ImageField(_("ảnh"), upload_to="students/photos/", null=True, blank=True)
    has_disability = models.BooleanField(_("khuyết tật"), default=False)
    exemptions = models.CharField(_("miễn học/miễn đánh giá"), max_length=300, blank=True)
    current_school = models.ForeignKey(
        "organizations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_students",
    )

    class Meta:
        ordering = ["name_sort_key", "national_id"]
        verbose_name = _("học sinh")
        verbose_name_plural = _("học sinh")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_sort_key = name_sort_key(self.full_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class EnrollmentStatus(models.TextChoices):
    STUDYING = "studying", _("Đang học")
    TRANSFERRED_OUT = "transferred_out", _("Chuyển trường")
    DROPPED_OUT = "dropped_out", _("Thôi học")
    COMPLETED = "completed", _("Hoàn thành")


class Enrollment(TimestampedModel):
    """Student × class × year, with dates, so a student who moves keeps their history."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrollments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="enrollments"
    )
    school = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="enrollments"
    )
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(
        max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.STUDYING
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school_class", "student__name_sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_class"], name="enrollment_unique_per_class"
            )
        ]
        indexes = [models.Index(fields=["school", "year"])]
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")

    def __str__(self) -> str:
        return f"{self.student} — {self.school_class}"
