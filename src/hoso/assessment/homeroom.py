"""The homeroom teacher's writes to the book (issue 5; R12.1–R12.3, R12.8): a week of absences,
a column of training/conduct ratings, comments, and the student's profile.

Each service is keyword-only, takes the acting user, checks permission and the book's locks
(R4.4: a locked book refuses every write, not only marks), runs in one transaction and records
exactly one audit event listing every change (old → new). A call that changes nothing records
nothing, like ``marks_save``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    SchoolYear,
    Semester,
    Student,
    Subject,
    TeachingAssignment,
)
from hoso.accounts.access import can
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.computation import class_regime
from hoso.assessment.locks import lock_covering, open_locks
from hoso.assessment.models import (
    Absence,
    CommentPeriod,
    ConductPeriod,
    ConductRating,
    Session,
    StudentComment,
)
from hoso.audit.services import ClientInfo, audit_record
from hoso.core.errors import HosoError, PermissionDeniedError
from hoso.core.formatting import date_vi
from hoso.organizations.models import Unit
from hoso.rules.registry import TT58_CONDUCT_REGULATIONS, evaluate_id
from hoso.rules.values import Conduct, Rating

# --- messages (shown as they are by the pages and the API) -----------------------------------
MSG_LOCKED = "Sổ đã khóa (R4.4): không thể ghi {what}."
MSG_NOT_IN_CLASS = "Học sinh không thuộc lớp {class_name}."
MSG_DATE_OUTSIDE_WEEK = "Ngày {date} không thuộc tuần đang ghi ({start} – {end})."
MSG_DATE_OUTSIDE_YEAR = "Ngày {date} không thuộc năm học {year}."
MSG_DATE_FUTURE = "Không ghi nghỉ học cho ngày chưa đến ({date})."
MSG_SUNDAY = "Ngày {date} là Chủ nhật."
MSG_BAD_SESSION = "Buổi phải là sáng hoặc chiều."
MSG_DUPLICATE = "{name}: buổi {session} ngày {date} được ghi hai lần."
MSG_WEEK_START = "Tuần phải bắt đầu từ thứ Hai."
MSG_BAD_PERIOD = "Kì đánh giá không hợp lệ."
MSG_BAD_RATING = "{name}: “{rating}” không phải mức đánh giá hợp lệ ({allowed})."
MSG_YEAR_COMPUTED = (
    "Kết quả rèn luyện cả năm được tính từ hai học kì (TT22 Điều 8.2), không nhập trực tiếp."
)
MSG_STALE = "{name}: dữ liệu đã được người khác thay đổi (hiện là “{current}”); hãy tải lại trang."
MSG_BAD_SEMESTER = "Kì nhận xét phải là học kì I, học kì II hoặc cả năm."
MSG_COMMENT_TOO_LONG = "Nhận xét dài quá {limit} kí tự."
MSG_NOT_SUBJECT_TEACHER = "Chỉ giáo viên dạy môn {subject} của học sinh này mới ghi nhận xét môn."
MSG_NOT_HOMEROOM = "Chỉ giáo viên chủ nhiệm của lớp mới ghi nhận xét chung."
MSG_FIELD_NOT_EDITABLE = "Không sửa được trường “{field}” ở đây."
MSG_INVALID_PROFILE = "{field}: {message}"
MSG_NO_ENROLMENT = "Học sinh không đang theo học lớp nào."

COMMENT_MAX_LENGTH = 2000
SATURDAY = 5  # the grid runs Monday–Saturday; some schools teach on Saturday mornings


class HomeroomError(HosoError):
    """A homeroom write refused as a whole; ``problems`` lists every reason (nothing written)."""

    default_message = "Không lưu được."

    def __init__(self, problems: Sequence[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems[:3]) + (" …" if len(self.problems) > 3 else ""))


# --- shared helpers ----------------------------------------------------------------------------


def conduct_scale(regime_id: str, period: str) -> tuple[str, ...]:
    """The levels a rating may take, best first: TT22/TT43 rèn luyện Tốt/Khá/Đạt/Chưa đạt (Art. 8),
    TT58 hạnh kiểm Tốt/Khá/Trung bình/Yếu (Art. 3–4); the TT22 summer training result is
    Đạt/Chưa đạt (Art. 13), a TT58 summer re-rating uses the conduct scale (Art. 17)."""
    if evaluate_id(regime_id) in TT58_CONDUCT_REGULATIONS:
        return tuple(level.value for level in reversed(Conduct))
    if period == ConductPeriod.SUMMER:
        return (Rating.DAT.value, Rating.CHUA_DAT.value)
    return tuple(level.value for level in reversed(Rating))


def year_rating_entered(regime_id: str) -> bool:
    """TT58: the year conduct is the homeroom teacher's judgment (D12); TT22/TT43 compute it."""
    return evaluate_id(regime_id) in TT58_CONDUCT_REGULATIONS


def semester_of_day(semesters: Sequence[Semester], day: dt.date) -> int:
    """The semester a school day belongs to (for locks); between the two, the next one."""
    for semester in semesters:
        if semester.start_date <= day <= semester.end_date:
            return semester.number
    second = next((s for s in semesters if s.number == 2), None)
    return 2 if second is not None and day >= second.start_date else 1


def period_semester(period: str | int) -> int:
    """Which semester's lock covers a rating or comment: the year's items close with HK II."""
    return 1 if period in (ConductPeriod.SEMESTER_1, CommentPeriod.SEMESTER_1) else 2


def _ensure_open(school_class: SchoolClass, semester: int, what: str) -> None:
    locks = open_locks(school_id=school_class.school_id, year_id=school_class.year_id)
    if lock_covering(locks, school_class=school_class, semester=semester):
        raise HomeroomError(MSG_LOCKED.format(what=what))


def _class_enrollments(school_class: SchoolClass) -> dict[int, Enrollment]:
    return {
        e.id: e
        for e in Enrollment.objects.filter(school_class=school_class).select_related("student")
    }


def _require_homeroom(actor: User, school_class: SchoolClass) -> None:
    if not can(actor, Perm.ENTER_HOMEROOM, school_class):
        raise PermissionDeniedError()


@dataclass(frozen=True)
class WriteResult:
    created: int
    updated: int
    deleted: int
    unchanged: int
    event_id: int | None

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


# --- attendance (R12.2) ------------------------------------------------------------------------


@dataclass(frozen=True)
class AbsenceInput:
    """One session a student missed, as the weekly grid shows it."""

    enrollment_id: int
    date: dt.date
    session: str
    excused: bool = False
    reason: str = ""


def _session_label(session: str) -> str:
    return Session(session).label.lower() if session in Session.values else session


@transaction.atomic
def attendance_week_save(
    *,
    actor: User,
    school_class: SchoolClass,
    week_start: dt.date,
    absences: Sequence[AbsenceInput],
    today: dt.date | None = None,
    client: ClientInfo | None = None,
) -> WriteResult:
    """Record one week (Monday–Saturday) of a class's absences, all or nothing (R12.2).

    ``absences`` is the whole week as the grid shows it: sessions listed are absences (excused or
    not), sessions not listed are present — a row of the week that is not listed is removed.
    """
    _require_homeroom(actor, school_class)
    day = today or timezone.localdate()
    year: SchoolYear = school_class.year
    if week_start.weekday() != 0:
        raise HomeroomError(MSG_WEEK_START)
    week_end = week_start + dt.timedelta(days=SATURDAY)
    enrollments = _class_enrollments(school_class)
    problems: list[str] = []
    wanted: dict[tuple[int, dt.date, str], AbsenceInput] = {}
    for item in absences:
        enrollment = enrollments.get(item.enrollment_id)
        if enrollment is None:
            problems.append(MSG_NOT_IN_CLASS.format(class_name=school_class.name))
            continue
        name = enrollment.student.full_name
        text = date_vi(item.date)
        if item.session not in Session.values:
            problems.append(f"{name}: {MSG_BAD_SESSION}")
        elif not week_start <= item.date <= week_end:
            problems.append(
                MSG_DATE_OUTSIDE_WEEK.format(
                    date=text, start=date_vi(week_start), end=date_vi(week_end)
                )
            )
        elif not year.start_date <= item.date <= year.end_date:
            problems.append(MSG_DATE_OUTSIDE_YEAR.format(date=text, year=year.name))
        elif item.date > day:
            problems.append(MSG_DATE_FUTURE.format(date=text))
        elif len(item.reason) > 300:
            problems.append(f"{name}: lí do dài quá 300 kí tự.")
        else:
            key = (item.enrollment_id, item.date, item.session)
            if key in wanted:
                problems.append(
                    MSG_DUPLICATE.format(name=name, session=_session_label(item.session), date=text)
                )
            wanted[key] = item
    if problems:
        raise HomeroomError(problems)

    existing = {
        (a.enrollment_id, a.date, a.session): a
        for a in Absence.objects.select_for_update()
        .filter(enrollment__school_class=school_class, date__gte=week_start, date__lte=week_end)
        .order_by("id")
    }
    semesters = list(Semester.objects.filter(year=year))
    touched_days = {key[1] for key in wanted} | {key[1] for key in existing}
    for semester in sorted({semester_of_day(semesters, d) for d in touched_days}):
        _ensure_open(school_class, semester, "điểm danh")

    to_create: list[Absence] = []
    to_update: list[Absence] = []
    to_delete: list[Absence] = []
    changes: list[dict[str, str]] = []

    def label(key: tuple[int, dt.date, str]) -> str:
        student = enrollments[key[0]].student
        return f"absence:{school_class.name}:{student.national_id}:{key[1].isoformat()}:{key[2]}"

    def state(row: Absence | AbsenceInput | None) -> str:
        if row is None:
            return ""
        return ("có phép" if row.excused else "không phép") + (
            f" ({row.reason})" if row.reason else ""
        )

    unchanged = 0
    for key, item in sorted(wanted.items()):
        row = existing.get(key)
        if row is None:
            to_create.append(
                Absence(
                    school_id=school_class.school_id,
                    year_id=school_class.year_id,
                    enrollment_id=item.enrollment_id,
                    date=item.date,
                    session=item.session,
                    excused=item.excused,
                    reason=item.reason.strip(),
                    recorded_by=actor,
                )
            )
            changes.append({"object": label(key), "field": "absent", "old": "", "new": state(item)})
        elif row.excused != item.excused or row.reason != item.reason.strip():
            old = state(row)
            row.excused = item.excused
            row.reason = item.reason.strip()
            row.recorded_by = actor
            to_update.append(row)
            changes.append({"object": label(key), "field": "absent", "old": old, "new": state(row)})
        else:
            unchanged += 1
    for key, row in sorted(existing.items()):
        if key not in wanted:
            to_delete.append(row)
            changes.append({"object": label(key), "field": "absent", "old": state(row), "new": ""})
    if not changes:
        return WriteResult(0, 0, 0, unchanged, None)
    Absence.objects.bulk_create(to_create)
    now = timezone.now()
    for row in to_update:
        row.updated_at = now
    Absence.objects.bulk_update(to_update, ["excused", "reason", "recorded_by", "updated_at"])
    Absence.objects.filter(id__in=[row.id for row in to_delete]).delete()
    event = audit_record(
        actor=actor,
        action="attendance.saved",
        unit=school_class.school,
        target_type="school_class",
        target_id=str(school_class.uuid),
        summary=(
            f"Lớp {school_class.name} — điểm danh tuần {date_vi(week_start)}–{date_vi(week_end)}: "
            f"{len(to_create)} buổi nghỉ mới, {len(to_update)} sửa, {len(to_delete)} bỏ"
        ),
        changes=changes,
        client=client,
        school_year=year.name,
    )
    return WriteResult(len(to_create), len(to_update), len(to_delete), unchanged, event.id)


# --- conduct / training ratings (R12.3) ---------------------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    enrollment_id: int
    rating: str  # "" clears
    base_version: int = 0


@transaction.atomic
def conduct_save(
    *,
    actor: User,
    school_class: SchoolClass,
    period: str,
    ratings: Sequence[RatingInput],
    client: ClientInfo | None = None,
) -> WriteResult:
    """Save a column of ratings for one period, all or nothing (R12.3). Each rating names the
    version its screen showed; a rating changed since is refused (optimistic concurrency)."""
    _require_homeroom(actor, school_class)
    if period not in ConductPeriod.values:
        raise HomeroomError(MSG_BAD_PERIOD)
    regime_id = class_regime(school_class)
    if period == ConductPeriod.YEAR and not year_rating_entered(regime_id):
        raise HomeroomError(MSG_YEAR_COMPUTED)
    allowed = conduct_scale(regime_id, period)
    enrollments = _class_enrollments(school_class)
    problems: list[str] = []
    wanted: dict[int, RatingInput] = {}
    for item in ratings:
        enrollment = enrollments.get(item.enrollment_id)
        if enrollment is None:
            problems.append(MSG_NOT_IN_CLASS.format(class_name=school_class.name))
            continue
        text = " ".join(item.rating.split())
        if text and text not in allowed:
            problems.append(
                MSG_BAD_RATING.format(
                    name=enrollment.student.full_name, rating=text, allowed=", ".join(allowed)
                )
            )
            continue
        wanted[item.enrollment_id] = RatingInput(item.enrollment_id, text, item.base_version)
    if problems:
        raise HomeroomError(problems)
    existing = {
        r.enrollment_id: r
        for r in ConductRating.objects.select_for_update()
        .filter(enrollment_id__in=list(wanted), period=period)
        .order_by("id")
    }
    to_create: list[ConductRating] = []
    to_update: list[ConductRating] = []
    changes: list[dict[str, str]] = []
    unchanged = 0
    for enrollment_id, item in sorted(wanted.items()):
        row = existing.get(enrollment_id)
        student = enrollments[enrollment_id].student
        current_version = row.version if row else 0
        current = row.rating if row else ""
        if item.base_version != current_version:
            problems.append(
                MSG_STALE.format(name=student.full_name, current=current or "chưa đánh giá")
            )
            continue
        if current == item.rating:
            unchanged += 1
            continue
        if row is None:
            row = ConductRating(
                school_id=school_class.school_id,
                year_id=school_class.year_id,
                enrollment_id=enrollment_id,
                period=period,
            )
            to_create.append(row)
        else:
            to_update.append(row)
        row.rating = item.rating
        row.version = current_version + 1
        row.recorded_by = actor
        changes.append(
            {
                "object": f"conduct:{school_class.name}:{student.national_id}:{period}",
                "field": "rating",
                "old": current,
                "new": item.rating,
            }
        )
    if problems:
        raise HomeroomError(problems)
    if not changes:
        return WriteResult(0, 0, 0, unchanged, None)
    _ensure_open(school_class, period_semester(period), "đánh giá rèn luyện")
    ConductRating.objects.bulk_create(to_create)
    now = timezone.now()
    for row in to_update:
        row.updated_at = now
    ConductRating.objects.bulk_update(to_update, ["rating", "version", "recorded_by", "updated_at"])
    event = audit_record(
        actor=actor,
        action="conduct.saved",
        unit=school_class.school,
        target_type="school_class",
        target_id=str(school_class.uuid),
        summary=(
            f"Lớp {school_class.name} — đánh giá rèn luyện "
            f"{ConductPeriod(period).label}: {len(changes)} học sinh"
        ),
        changes=changes,
        client=client,
        school_year=school_class.year.name,
    )
    return WriteResult(len(to_create), len(to_update), 0, unchanged, event.id)


# --- comments (R12.8; học bạ "Nhận xét") ----------------------------------------------------------


def subject_teacher_assignment(
    actor: User, enrollment: Enrollment, subject: Subject
) -> TeachingAssignment | None:
    """The actor's teaching assignment of ``subject`` that reaches this student: the student's
    whole class, or a group drawn from several classes that the student belongs to."""
    return (
        TeachingAssignment.objects.filter(
            teacher=actor, subject=subject, year_id=enrollment.year_id
        )
        .filter(Q(group__school_class_id=enrollment.school_class_id) | Q(group__members=enrollment))
        .select_related("group")
        .first()
    )


@transaction.atomic
def comment_save(
    *,
    actor: User,
    enrollment: Enrollment,
    subject: Subject | None,
    semester: int,
    text: str,
    base_version: int = 0,
    client: ClientInfo | None = None,
) -> StudentComment:
    """Write a comment on a student (R12.8): the general one only by the class's homeroom
    teacher; a subject's only by the teacher of that subject for this student."""
    school_class = (
        SchoolClass.objects.select_related("school", "year")
        .filter(id=enrollment.school_class_id)
        .get()
    )
    if subject is None:
        if not can(actor, Perm.ENTER_HOMEROOM, school_class):
            raise PermissionDeniedError(MSG_NOT_HOMEROOM)
    else:
        assignment = subject_teacher_assignment(actor, enrollment, subject)
        if assignment is None or not can(actor, Perm.ENTER_MARKS, assignment):
            raise PermissionDeniedError(MSG_NOT_SUBJECT_TEACHER.format(subject=subject.name))
    if semester not in CommentPeriod.values:
        raise HomeroomError(MSG_BAD_SEMESTER)
    clean = text.strip()
    if len(clean) > COMMENT_MAX_LENGTH:
        raise HomeroomError(MSG_COMMENT_TOO_LONG.format(limit=COMMENT_MAX_LENGTH))
    row = (
        StudentComment.objects.select_for_update()
        .filter(enrollment=enrollment, subject=subject, semester=semester)
        .order_by("id")  # the default ordering joins the subject: no FOR UPDATE across it
        .first()
    )
    student = Student.objects.only("full_name", "national_id").get(id=enrollment.student_id)
    current_version = row.version if row else 0
    if base_version != current_version:
        raise HomeroomError(
            MSG_STALE.format(name=student.full_name, current=(row.text if row else "")[:60])
        )
    old = row.text if row else ""
    if row is not None and old == clean:
        return row
    _ensure_open(school_class, period_semester(semester), "nhận xét")
    if row is None:
        row = StudentComment(
            school_id=school_class.school_id,
            year_id=school_class.year_id,
            enrollment=enrollment,
            subject=subject,
            semester=semester,
        )
    row.text = clean
    row.version = current_version + 1
    row.author = actor
    row.save()
    what = subject.name if subject else "GVCN"
    audit_record(
        actor=actor,
        action="comment.saved",
        unit=school_class.school,
        target_type="student_comment",
        target_id=str(row.uuid),
        summary=(
            f"Nhận xét {what} — {student.full_name} ({school_class.name}) — "
            f"{CommentPeriod(semester).label}"
        ),
        changes=[
            {
                "object": (
                    f"comment:{school_class.name}:{student.national_id}:"
                    f"{subject.code if subject else 'gvcn'}:{semester}"
                ),
                "field": "text",
                "old": old,
                "new": clean,
            }
        ],
        client=client,
        school_year=school_class.year.name,
    )
    return row


# --- the student's profile (R12.1) ----------------------------------------------------------------

# What the homeroom teacher keeps up to date; the national id and the school are not among them
# (identity and transfers have their own procedures).
PROFILE_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "place_of_birth",
    "ethnicity",
    "nationality",
    "religion",
    "hometown",
    "permanent_address",
    "current_address",
    "phone",
    "email",
    "father_name",
    "father_occupation",
    "mother_name",
    "mother_occupation",
    "guardian_name",
    "guardian_occupation",
    "has_disability",
    "exemptions",
)


def _profile_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@transaction.atomic
def student_profile_update(
    *,
    actor: User,
    student: Student,
    changes: Mapping[str, object],
    client: ClientInfo | None = None,
) -> Student:
    """Update a student's profile (R12.1: at the start of the year and on every change), by the
    homeroom teacher of their class or the school's leadership/admins; audited field by field."""
    if not can(actor, Perm.EDIT_STUDENT, student):
        raise PermissionDeniedError()
    unknown = [name for name in changes if name not in PROFILE_FIELDS]
    if unknown:
        raise HomeroomError([MSG_FIELD_NOT_EDITABLE.format(field=name) for name in unknown])
    enrollment = (
        Enrollment.objects.filter(student=student, status=EnrollmentStatus.STUDYING)
        .select_related("school", "year")
        .order_by("-year__start_date")
        .first()
    )
    school: Unit | None = enrollment.school if enrollment else student.current_school
    locked = Student.objects.select_for_update().get(id=student.id)
    diff: list[dict[str, str]] = []
    fields: list[str] = []
    for name, value in changes.items():
        new = value.strip() if isinstance(value, str) else value
        old = getattr(locked, name)
        if _profile_text(old) == _profile_text(new):
            continue
        setattr(locked, name, new)
        fields.append(name)
        diff.append(
            {
                "object": f"student:{locked.national_id}",
                "field": name,
                "old": _profile_text(old),
                "new": _profile_text(new),
            }
        )
    if not fields:
        return locked
    try:
        locked.full_clean(exclude=[f.name for f in Student._meta.fields if f.name not in fields])
    except ValidationError as error:
        problems = [
            MSG_INVALID_PROFILE.format(
                field=str(getattr(Student._meta.get_field(field), "verbose_name", field)),
                message=" ".join(messages),
            )
            for field, messages in error.message_dict.items()
        ]
        raise HomeroomError(problems) from error
    # ``save`` recomputes the Vietnamese sort key when the name changes.
    locked.save(update_fields=[*fields, "name_sort_key", "updated_at"])
    audit_record(
        actor=actor,
        action="student.updated",
        unit=school,
        target_type="student",
        target_id=str(locked.uuid),
        summary=f"Sửa hồ sơ học sinh {locked.full_name}: {', '.join(fields)}",
        changes=diff,
        client=client,
        school_year=enrollment.year.name if enrollment else None,
    )
    return locked
