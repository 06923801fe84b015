"""The demo's first semester of 12T1 at LC-DEMO (issue 5): something for the homeroom teacher's
book and the principal's progress page to show.

Everything goes through the services (marks, revisions and audit events exist as in real use),
on the days it would have happened: the clock is set to each day of the story while its service
runs, so ``Mark.entered_at``, the revisions and the audit trail agree with the deadlines.

The story of HK I 2025-2026 (deadlines set by ``hieutruong``: regular marks by 29/11/2025,
end-of-term marks 22/12/2025–10/01/2026; mid-term marks within 7 days of the test, R4.5):
- every subject of 12T1 fully entered — Tin học from the real teacher's workbook — and most of
  it submitted (Hoàn tất, R4.2);
- Toán's mid-term marks entered late (test 03/11, due 10/11, entered 14/11 under an extension),
  two students still without one (make-up pending);
- Ngữ văn: three students without their fourth regular mark after the deadline;
- Giáo dục thể chất: one student Chưa đạt;
- absences in the week of 17/11/2025, one student at 41 sessions (near the 45 limit);
- HK I training ratings, a few homeroom comments and Tin học comments.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from hoso.academics.models import Enrollment, SchoolClass, SchoolYear, TeachingAssignment
from hoso.accounts.access import can
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.homeroom import (
    AbsenceInput,
    RatingInput,
    attendance_week_save,
    comment_save,
    conduct_save,
)
from hoso.assessment.models import ConductPeriod, DeadlineKind, MarkKind, Session
from hoso.assessment.selectors import group_enrollments
from hoso.assessment.services import (
    CellInput,
    deadline_extend,
    deadline_set,
    marks_save,
    marks_submit,
    midterm_test_record,
)
from hoso.demo.data import REAL_WORKBOOK
from hoso.interchange.teacher_workbook import read_teacher_workbook
from hoso.organizations.models import Unit
from hoso.rules.values import round_half_up_1

SCHOOL = "LC-DEMO"
CLASS = "12T1"
YEAR = "2025-2026"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
RANDOM_SEED = 12_2025

REGULAR_DUE = dt.date(2025, 11, 29)
FINAL_OPENS = dt.date(2025, 12, 22)
FINAL_DUE = dt.date(2026, 1, 10)
MIDTERM_TEST = dt.date(2025, 11, 3)  # due 10/11 (R4.5b)
TOAN_MIDTERM_ENTERED = dt.date(2025, 11, 14)  # late: after 10/11, under an extension to 16/11
DEMO_WEEK = dt.date(2025, 11, 17)
NEAR_LIMIT_DAYS = 40  # + 1 in the demo week = 41 sessions, within 5 of the 45 limit


@contextmanager
def on_day(day: dt.date, hour: int = 16) -> Iterator[None]:
    """Run services as if on ``day`` (school time): each call of ``timezone.now`` a second later,
    so the order of events is kept."""
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)
    ticks = itertools.count()
    with mock.patch("django.utils.timezone.now", lambda: start + dt.timedelta(seconds=next(ticks))):
        yield


def _score(rng: random.Random, low: float = 5.0) -> str:
    # Demo data only: a mark typed by a teacher, built as text with one decimal.
    tenths = rng.randint(int(low * 10), 100)
    return f"{tenths // 10},{tenths % 10}"


def _actor(assignment: TeachingAssignment, admin: User) -> tuple[User, str]:
    """The teacher enters their own marks; where the demo teacher holds no subject-teacher role
    (the homeroom teacher's activities), the school's admin enters them on their behalf."""
    if assignment.teacher_id and can(assignment.teacher, Perm.ENTER_MARKS, assignment):
        return assignment.teacher, "grid"
    return admin, "import"


def seed_assessment_demo() -> None:
    school = Unit.objects.get(code=SCHOOL)
    year = SchoolYear.objects.get(name=YEAR)
    school_class = SchoolClass.objects.select_related("school", "year").get(
        school=school, year=year, name=CLASS
    )
    principal = User.objects.get(username="hieutruong")
    admin = User.objects.get(username="quantri")
    homeroom = school_class.homeroom_teacher
    assert homeroom is not None
    rng = random.Random(RANDOM_SEED)

    with on_day(dt.date(2025, 10, 1), 8):
        deadline_set(
            actor=principal,
            school=school,
            year=year,
            semester=1,
            kind=DeadlineKind.REGULAR,
            due_on=REGULAR_DUE,
        )
        deadline_set(
            actor=principal,
            school=school,
            year=year,
            semester=1,
            kind=DeadlineKind.FINAL,
            due_on=FINAL_DUE,
            opens_on=FINAL_OPENS,
        )

    assignments = list(
        TeachingAssignment.objects.filter(group__school_class=school_class)
        .select_related("teacher", "subject", "group", "group__school_class", "school", "year")
        .order_by("subject__position")
    )
    # Tin học of 12T1 is the real teacher's sheet (its group is the class's own group).
    tin = TeachingAssignment.objects.select_related(
        "teacher", "subject", "group", "group__school_class", "school", "year"
    ).filter(group__school_class=school_class, subject__code="tin_hoc")
    assignments = [a for a in assignments if a.subject.code != "tin_hoc"] + list(tin)
    enrollments = list(group_enrollments(assignments[0].group))
    by_id = {e.student.national_id: e for e in enrollments}
    sheet = read_teacher_workbook(REAL_WORKBOOK).sheet(CLASS)

    for assignment in assignments:
        _seed_subject(assignment, enrollments, by_id, sheet, rng, admin, principal)

    _seed_absences(school_class, enrollments, homeroom)
    _seed_conduct(school_class, enrollments, homeroom, rng)
    _seed_comments(enrollments, homeroom, [a for a in assignments if a.subject.code == "tin_hoc"])


def _seed_subject(
    assignment: TeachingAssignment,
    enrollments: list[Enrollment],
    by_id: dict[str, Enrollment],
    sheet: object,
    rng: random.Random,
    admin: User,
    principal: User,
) -> None:
    subject = assignment.subject
    code = subject.code
    actor, source = _actor(assignment, admin)
    comment = subject.assessment == "comment"
    regular = subject.regular_marks or 2
    cells: dict[str, list[CellInput]] = {"regular": [], "midterm": [], "final": []}
    real = {row.national_id: row for row in getattr(sheet, "rows", ())} if code == "tin_hoc" else {}
    for position, enrollment in enumerate(enrollments):
        row = real.get(enrollment.student.national_id)
        for index in range(1, regular + 1):
            if code == "ngu_van" and index == regular and position in (2, 9, 17):
                continue  # three students without their last regular mark (missing)
            if row is not None and row.marks.get(f"TX{index}") is not None:
                text = str(row.marks[f"TX{index}"]).replace(".", ",")
            elif comment:
                text = "Đ"
            else:
                text = _score(rng)
            cells["regular"].append(CellInput(enrollment.id, MarkKind.REGULAR, index, text))
        for kind, key in ((MarkKind.MIDTERM, "GK"), (MarkKind.FINAL, "CK")):
            if code == "toan" and kind == MarkKind.MIDTERM and position in (4, 11):
                continue  # missed the test, make-up pending (D6)
            value: Decimal | None = None
            if row is not None and row.marks.get(f"{key}TN") is not None:
                # A test marked in parts: add exactly, round once (D18).
                value = round_half_up_1(
                    (row.marks.get(f"{key}TN") or Decimal(0))
                    + (row.marks.get(f"{key}TH") or Decimal(0))
                )
            if value is not None:
                text = str(value).replace(".", ",")
            elif comment:
                text = (
                    "CĐ"
                    if code == "giao_duc_the_chat" and kind == MarkKind.FINAL and (position == 6)
                    else "Đ"
                )
            else:
                text = _score(rng, 4.0 if position == 6 else 5.0)
            cells[kind].append(CellInput(enrollment.id, kind, 1, text))

    def save(day: dt.date, *kinds: str) -> None:
        with on_day(day):
            marks_save(
                actor=actor,
                assignment=assignment,
                semester=1,
                cells=[cell for kind in kinds for cell in cells[kind]],
                today=day,
                source=source,
            )

    position = assignment.subject.position
    with on_day(MIDTERM_TEST - dt.timedelta(days=7)):
        midterm_test_record(actor=actor, assignment=assignment, semester=1, test_date=MIDTERM_TEST)
    if code == "toan":
        with on_day(dt.date(2025, 11, 12), 9):
            deadline_extend(
                actor=principal,
                school=assignment.school,
                year=assignment.year,
                semester=1,
                kind=MarkKind.MIDTERM,
                teacher=assignment.teacher,
                until=dt.date(2025, 11, 16),
                reason="Giáo viên nghỉ ốm, nhập điểm giữa kì sau hạn.",
            )
        save(TOAN_MIDTERM_ENTERED, MarkKind.REGULAR, MarkKind.MIDTERM)
    else:
        # Regular and mid-term marks together, before both deadlines (R4.5a, R4.5b).
        save(MIDTERM_TEST + dt.timedelta(days=1 + position % 5), MarkKind.REGULAR, MarkKind.MIDTERM)
    save(dt.date(2026, 1, 5) + dt.timedelta(days=position % 4), MarkKind.FINAL)
    # Hoàn tất (R4.2): Tin học's whole book and Toán's regular marks; the rest stays in draft.
    if code in ("tin_hoc", "toan"):
        with on_day(dt.date(2026, 1, 10), 17):
            marks_submit(
                actor=actor,
                assignment=assignment,
                semester=1,
                kind=MarkKind.REGULAR if code == "toan" else None,
            )


def _seed_absences(
    school_class: SchoolClass, enrollments: list[Enrollment], homeroom: User
) -> None:
    frequent = enrollments[5]  # the student near the absence limit
    days = 0
    week = dt.date(2025, 9, 8)
    while days < NEAR_LIMIT_DAYS:
        items = []
        for offset in range(5):
            if days >= NEAR_LIMIT_DAYS:
                break
            items.append(
                AbsenceInput(
                    frequent.id,
                    week + dt.timedelta(days=offset),
                    Session.MORNING,
                    excused=offset % 2 == 0,
                    reason="Ốm" if offset % 2 == 0 else "",
                )
            )
            days += 1
        saturday = week + dt.timedelta(days=5)
        with on_day(saturday, 11):
            attendance_week_save(
                actor=homeroom,
                school_class=school_class,
                week_start=week,
                absences=items,
                today=saturday,
            )
        week += dt.timedelta(days=7)
    monday = DEMO_WEEK
    week_items = [
        AbsenceInput(frequent.id, monday + dt.timedelta(days=1), Session.MORNING),
        AbsenceInput(enrollments[0].id, monday, Session.MORNING, True, "Ốm, có giấy của gia đình"),
        AbsenceInput(
            enrollments[0].id, monday, Session.AFTERNOON, True, "Ốm, có giấy của gia đình"
        ),
        AbsenceInput(enrollments[3].id, monday + dt.timedelta(days=2), Session.AFTERNOON),
        AbsenceInput(
            enrollments[8].id, monday + dt.timedelta(days=3), Session.MORNING, True, "Việc gia đình"
        ),
        AbsenceInput(enrollments[12].id, monday + dt.timedelta(days=4), Session.MORNING),
    ]
    saturday = monday + dt.timedelta(days=5)
    with on_day(saturday, 11):
        attendance_week_save(
            actor=homeroom,
            school_class=school_class,
            week_start=monday,
            absences=week_items,
            today=saturday,
        )


def _seed_conduct(
    school_class: SchoolClass, enrollments: list[Enrollment], homeroom: User, rng: random.Random
) -> None:
    ratings = []
    for position, enrollment in enumerate(enrollments):
        rating = "Đạt" if position == 6 else rng.choice(("Tốt", "Tốt", "Tốt", "Khá"))
        ratings.append(RatingInput(enrollment.id, rating))
    with on_day(dt.date(2026, 1, 12), 15):
        conduct_save(
            actor=homeroom,
            school_class=school_class,
            period=ConductPeriod.SEMESTER_1,
            ratings=ratings,
        )


GENERAL_COMMENTS = (
    "Chăm chỉ, tích cực phát biểu xây dựng bài; cần cẩn thận hơn khi làm bài kiểm tra.",
    "Có tiến bộ rõ ở các môn tự nhiên; nên dành thêm thời gian cho Ngữ văn.",
    "Ngoan, lễ phép, tham gia đầy đủ các hoạt động của lớp.",
)


def _seed_comments(
    enrollments: list[Enrollment], homeroom: User, tin: list[TeachingAssignment]
) -> None:
    with on_day(dt.date(2026, 1, 13), 15):
        for enrollment, text in zip(enrollments, GENERAL_COMMENTS, strict=False):
            comment_save(actor=homeroom, enrollment=enrollment, subject=None, semester=1, text=text)
        for assignment in tin:
            for enrollment in enrollments[:2]:
                comment_save(
                    actor=assignment.teacher,
                    enrollment=enrollment,
                    subject=assignment.subject,
                    semester=1,
                    text="Thành thạo lập trình cơ bản; phần thực hành làm tốt.",
                )
