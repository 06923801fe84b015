"""The principal's progress page (R5.3, R11.5): figures on a small fixture (entered, submitted,
late against the schedule, missing after the due date), monthly timeliness, access, and a
constant number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    Student,
    TeachingAssignment,
    TeachingGroup,
)
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.assessment.models import DeadlineExtension, EntryDeadline, Mark, MarkState, MidtermTest
from hoso.core.names import name_sort_key
from hoso.reporting.selectors import school_progress
from tests.factories import subject as catalogue_subject
from tests.personas import World

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
REGULAR_DUE = dt.date(2025, 11, 29)
TODAY = dt.date(2025, 12, 10)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)


def students(world: World, school_class: SchoolClass, count: int, prefix: str) -> list[Enrollment]:
    people = Student.objects.bulk_create(
        Student(
            national_id=f"{prefix}{n:06d}",
            full_name=f"Học Sinh {n}",
            name_sort_key=name_sort_key(f"Học Sinh {n}"),
        )
        for n in range(count)
    )
    return Enrollment.objects.bulk_create(
        Enrollment(
            student=p, school_class=school_class, school=school_class.school, year=school_class.year
        )
        for p in people
    )


def mark(
    e: Enrollment,
    assignment: TeachingAssignment,
    kind: str,
    index: int,
    when: dt.datetime,
    state: str = MarkState.DRAFT,
) -> Mark:
    return Mark(
        school_id=e.school_id,
        year_id=e.year_id,
        enrollment=e,
        subject=assignment.subject,
        semester=1,
        kind=kind,
        index=index,
        value=Decimal("8.0"),
        state=state,
        entered_at=when,
    )


@pytest.fixture
def small(world: World) -> World:
    """10A1 (Toán, teacher_a): 4 students. TX1: 3 entered — 2 on time (submitted), 1 late;
    TX2: none; mid-term test 03/11 (due 10/11): 4 entered on 12/11 under an extension to 14/11."""
    EntryDeadline.objects.create(
        school=world.school_a,
        year=world.year,
        semester=1,
        kind="regular",
        due_on=REGULAR_DUE,
        set_by=world.principal_a,
    )
    MidtermTest.objects.create(
        school=world.school_a,
        group=world.assignment_a.group,
        subject=world.assignment_a.subject,
        semester=1,
        test_date=dt.date(2025, 11, 3),
        recorded_by=world.teacher_a,
    )
    DeadlineExtension.objects.create(
        school=world.school_a,
        year=world.year,
        semester=1,
        kind="midterm",
        teacher=world.teacher_a,
        until=dt.date(2025, 11, 14),
        reason="Ốm",
        granted_by=world.principal_a,
    )
    enrolled = [Enrollment.objects.get(student=world.student_a1)]
    enrolled += students(world, world.class_a1, 3, "77")
    a = world.assignment_a
    Mark.objects.bulk_create(
        [
            mark(enrolled[0], a, "regular", 1, at(dt.date(2025, 11, 20)), MarkState.SUBMITTED),
            mark(enrolled[1], a, "regular", 1, at(dt.date(2025, 11, 29), 23), MarkState.SUBMITTED),
            mark(enrolled[2], a, "regular", 1, at(dt.date(2025, 12, 2))),
            *[mark(e, a, "midterm", 1, at(dt.date(2025, 11, 12))) for e in enrolled],
        ]
    )
    return world


def test_figures_per_column_late_and_missing(small: World) -> None:
    progress = school_progress(school=small.school_a, year=small.year, semester=1, today=TODAY)
    (row,) = [a for a in progress.assignments if a.assignment == small.assignment_a]
    cols = {c.label: c for c in row.columns}
    assert [c.label for c in row.columns] == ["TX1", "TX2", "TX3", "TX4", "GK", "CK"]
    tx1 = cols["TX1"]
    assert (tx1.students, tx1.entered, tx1.submitted) == (4, 3, 2)
    assert tx1.late == 1  # entered 02/12 after the 29/11 deadline (23:00 on the day is on time)
    assert tx1.missing == 1 and cols["TX2"].missing == 4
    assert tx1.rate == Decimal("75.0")
    gk = cols["GK"]
    # Due 10/11 on the schedule; the extension to 14/11 let the teacher enter, late all the same.
    assert gk.due == dt.date(2025, 11, 10) and gk.extended_until == dt.date(2025, 11, 14)
    assert (gk.entered, gk.late, gk.missing) == (4, 4, 0)
    assert cols["CK"].due is None and cols["CK"].missing == 0  # no deadline: never missing
    assert row.totals.expected == 24 and row.totals.entered == 7 and row.totals.late == 5
    assert row.totals.missing == 1 + 4 * 3
    # Before the deadline nothing is missing yet.
    early = school_progress(
        school=small.school_a, year=small.year, semester=1, today=dt.date(2025, 11, 25)
    )
    (row,) = [a for a in early.assignments if a.assignment == small.assignment_a]
    assert row.totals.missing == 0


def test_monthly_timeliness_and_aggregates(small: World) -> None:
    progress = school_progress(school=small.school_a, year=small.year, semester=1, today=TODAY)
    assert progress.months == [dt.date(2025, 11, 1), dt.date(2025, 12, 1)]
    (teacher,) = [t for t in progress.timeliness if t.teacher == small.teacher_a]
    assert teacher.row == [(2, 4, Decimal("33.3")), (0, 1, Decimal("0.0"))]
    (by_teacher,) = [g for g in progress.by_teacher if g.key == "teacher_a"]
    assert (by_teacher.counts.entered, by_teacher.counts.late) == (7, 5)
    (by_class,) = [g for g in progress.by_class if g.label == "10A1"]
    assert by_class.counts.missing == 13
    assert [g.label for g in progress.by_subject] == ["Toán"]


def add_school_load(world: World, classes: int) -> None:
    teacher = User.objects.create_user(username=f"gv{classes}", password="x-pw-12345")
    RoleAssignment.objects.create(user=teacher, role=Role.SUBJECT_TEACHER, unit=world.school_a)
    for n in range(classes):
        school_class = SchoolClass.objects.create(
            school=world.school_a, year=world.year, grade=11, name=f"11L{classes}-{n}"
        )
        group = TeachingGroup.objects.create(
            school=world.school_a,
            year=world.year,
            name=school_class.name,
            school_class=school_class,
        )
        assignment = TeachingAssignment.objects.create(
            school=world.school_a,
            year=world.year,
            teacher=teacher,
            group=group,
            subject=world.assignment_a.subject,
        )
        enrolled = students(world, school_class, 5, f"8{classes:02d}{n:02d}")
        Mark.objects.bulk_create(
            mark(e, assignment, "regular", 1, at(dt.date(2025, 11, 20 + n % 5))) for e in enrolled
        )
    # And one group drawn from several classes.
    mixed = TeachingGroup.objects.create(
        school=world.school_a, year=world.year, name=f"MIX{classes}"
    )
    mixed.members.set(Enrollment.objects.filter(school=world.school_a)[:4])
    TeachingAssignment.objects.create(
        school=world.school_a,
        year=world.year,
        teacher=teacher,
        group=mixed,
        subject=world.assignment_a.subject,
    )


def test_constant_queries_whatever_the_school_size(small: World) -> None:
    add_school_load(small, 2)
    with CaptureQueriesContext(connection) as few:
        school_progress(school=small.school_a, year=small.year, semester=1, today=TODAY)
    add_school_load(small, 30)
    with CaptureQueriesContext(connection) as many:
        progress = school_progress(school=small.school_a, year=small.year, semester=1, today=TODAY)
    assert len(many) == len(few) <= 10
    assert len(progress.assignments) == 1 + 3 + 31


def test_mixed_groups_count_their_members_marks(small: World) -> None:
    mixed = TeachingGroup.objects.create(school=small.school_a, year=small.year, name="MUL10")
    members = list(Enrollment.objects.filter(school_class=small.class_a2))
    mixed.members.set(members)
    tin = TeachingAssignment.objects.create(
        school=small.school_a,
        year=small.year,
        teacher=small.teacher_a,
        group=mixed,
        subject=catalogue_subject("tin_hoc"),
    )
    Mark.objects.bulk_create(mark(e, tin, "regular", 1, at(dt.date(2025, 11, 3))) for e in members)
    progress = school_progress(school=small.school_a, year=small.year, semester=1, today=TODAY)
    (row,) = [a for a in progress.assignments if a.assignment == tin]
    assert row.students == len(members) and row.columns[0].entered == len(members)


# --- the page and the API -------------------------------------------------------------------------


def page(world: World) -> str:
    return reverse("school-progress", args=[world.school_a.uuid]) + "?nam=2025-2026&hk=1"


@pytest.mark.parametrize("persona", ["principal_a", "district_officer", "province_officer"])
def test_leadership_and_offices_read_the_page(client: Client, small: World, persona: str) -> None:
    client.force_login(getattr(small, persona))
    response = client.get(page(small))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiến độ nhập điểm" in html and "teacher_a" in html
    grid = f"/so-diem/{small.assignment_a.uuid}/hk1/"
    assert grid in html  # one click to the book behind each number


@pytest.mark.parametrize(
    ("persona", "linked"),
    [
        ("principal_a", True),
        ("district_officer", True),
        ("province_officer", True),
        ("teacher_a", False),
        ("homeroom_a", False),
        ("parent_a", False),
    ],
)
def test_the_home_page_links_to_the_page_for_those_who_may_read_it(
    client: Client, small: World, persona: str, linked: bool
) -> None:
    client.force_login(getattr(small, persona))
    html = client.get("/").content.decode()
    url = reverse("school-progress", args=[small.school_a.uuid])
    assert (url in html) is linked


@pytest.mark.parametrize("persona", ["teacher_a", "homeroom_a", "teacher_b", "parent_a"])
def test_everyone_else_gets_404(client: Client, small: World, persona: str) -> None:
    client.force_login(getattr(small, persona))
    assert client.get(page(small)).status_code == 404
    api = reverse("api:school-progress", args=[small.school_a.uuid])
    assert client.get(api).status_code == 404


def test_school_admin_reads_the_page(client: Client, small: World) -> None:
    admin = User.objects.create_user(username="quantri_a", password="x-pw-12345")
    RoleAssignment.objects.create(user=admin, role=Role.SCHOOL_ADMIN, unit=small.school_a)
    client.force_login(admin)
    assert client.get(page(small)).status_code == 200


def test_the_page_filters_to_one_teacher(client: Client, small: World) -> None:
    client.force_login(small.principal_a)
    html = client.get(page(small) + "&gv=teacher_a").content.decode()
    assert "Bỏ lọc" in html and "Toán" in html


def test_unfiltered_the_detail_shows_what_needs_attention_first(
    client: Client, small: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large school's page lists hundreds of assignments: unfiltered, only those that need
    attention (here capped at none) are listed, the rest on request."""
    from hoso.reporting import views

    monkeypatch.setattr(views, "DETAIL_LIMIT", 0)
    client.force_login(small.principal_a)
    grid = f'/so-diem/{small.assignment_a.uuid}/hk1/"'
    html = client.get(page(small)).content.decode()
    assert "phân công khác không hiện" in html and grid not in html
    assert grid in client.get(page(small) + "&tat-ca=1").content.decode()
    assert grid in client.get(page(small) + "&gv=teacher_a").content.decode()


def test_api_numbers(client: Client, small: World) -> None:
    client.force_login(small.principal_a)
    url = reverse("api:school-progress", args=[small.school_a.uuid])
    data = client.get(url, {"year": "2025-2026", "semester": "1"}).json()
    (row,) = [a for a in data["assignments"] if a["assignment"] == str(small.assignment_a.uuid)]
    gk = next(c for c in row["columns"] if c["column"] == "GK")
    assert gk["due"] == "2025-11-10" and gk["extended_until"] == "2025-11-14"
    assert gk["late"] == 4 and row["grid_url"] == f"/so-diem/{small.assignment_a.uuid}/hk1/"
    assert client.get(url, {"semester": "3"}).status_code == 400
