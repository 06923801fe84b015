"""The subject teacher's mark grid and the principal's locks page (issue 4; R4.2, R4.4, R4.5,
R14.2): the page, its JSON save endpoint, 'Hoàn tất', the mid-term date, locks and deadlines —
all through the services, out of scope answered 404."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hoso.academics.models import Enrollment, TeachingAssignment, TeachingGroup
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.assessment.errors import (
    MSG_LOCKED,
    MSG_NOT_A_MARK,
    MSG_OUT_OF_RANGE,
    MSG_SUBMITTED,
    MSG_TOO_MANY_DECIMALS,
)
from hoso.assessment.models import (
    BookLock,
    DeadlineExtension,
    EntryDeadline,
    LockScope,
    Mark,
    MarkState,
    MidtermTest,
)
from hoso.assessment.services import book_lock
from hoso.audit.models import AuditEvent
from tests import factories as f
from tests.personas import World


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grid_url(assignment: TeachingAssignment, semester: int = 1) -> str:
    return reverse("mark-grid", args=[assignment.uuid, semester])


def save_url(assignment: TeachingAssignment, semester: int = 1) -> str:
    return reverse("mark-grid-save", args=[assignment.uuid, semester])


def enrollment(world: World) -> Enrollment:
    return Enrollment.objects.get(student=world.student_a1)


def cell(world: World, kind: str, index: int, text: str, version: int = 0) -> dict[str, Any]:
    return {
        "enrollment": str(enrollment(world).uuid),
        "kind": kind,
        "index": index,
        "text": text,
        "base_version": version,
    }


def post_cells(
    client: Client, world: World, *cells: dict[str, Any], semester: int = 1
) -> tuple[int, dict[str, Any]]:
    response = client.post(
        save_url(world.assignment_a, semester),
        json.dumps({"cells": list(cells)}),
        content_type="application/json",
    )
    return response.status_code, response.json()


@pytest.fixture
def teacher(client: Client, world: World) -> Client:
    client.force_login(world.teacher_a)
    return client


def other_teacher_same_school(world: World) -> tuple[User, TeachingAssignment]:
    user = f.UserFactory(username="gv.van.a", full_name="Đặng Thị Văn")
    RoleAssignment.objects.create(user=user, role=Role.SUBJECT_TEACHER, unit=world.school_a)
    group = TeachingGroup.objects.get(school_class=world.class_a1)
    assignment = TeachingAssignment.objects.create(
        school=world.school_a,
        year=world.year,
        teacher=user,
        subject=f.subject("ngu_van"),
        group=group,
    )
    return user, assignment


# --- The page ------------------------------------------------------------------------------


def test_given_the_teacher_when_opening_the_grid_then_rows_columns_and_inputs(
    teacher: Client, world: World
) -> None:
    response = teacher.get(grid_url(world.assignment_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Văn An" in html and "Toán" in html and "Học kì I" in html
    # Toán 10 requires 4 regular marks (TT22 Art. 6.2), one spare up to the school's maximum.
    for label in ("TX1", "TX4", "TX5", "GK", "CK", "ĐTBmhkI"):
        assert label in html
    assert "ĐTBmcn" not in html  # only in semester 2
    inputs = re.findall(r"<input class=\"mark\"[^>]*>", html)
    assert len(inputs) == 7
    first = inputs[0]
    for attribute in (
        'inputmode="decimal"',
        "data-enrollment=",
        'data-kind="regular"',
        'data-index="1"',
        'data-version="0"',
    ):
        assert attribute in first
    assert "readonly" not in first
    assert "hoso/grid.js" in html and 'id="grid-messages"' in html
    assert "Thông tư 22/2021" in html


def test_semester_two_shows_the_year_average(teacher: Client, world: World) -> None:
    html = teacher.get(grid_url(world.assignment_a, 2)).content.decode()
    assert "ĐTBmhkII" in html and "ĐTBmcn" in html


def test_the_grid_is_404_for_another_schools_teacher_and_another_teacher_of_the_school(
    client: Client, world: World
) -> None:
    client.force_login(world.teacher_b)
    assert client.get(grid_url(world.assignment_a)).status_code == 404
    other, other_assignment = other_teacher_same_school(world)
    client.force_login(other)
    assert client.get(grid_url(other_assignment)).status_code == 200
    # the same teacher, the colleague's uuid in the URL
    assert client.get(grid_url(world.assignment_a)).status_code == 404
    status, _ = post_cells(client, world, cell(world, "regular", 1, "8"))
    assert status == 404
    # and the colleague's grid is out of teacher_a's reach
    client.force_login(world.teacher_a)
    assert client.get(grid_url(other_assignment)).status_code == 404
    assert client.get(f"/so-diem/{world.assignment_a.uuid}/hk3/").status_code == 404
    assert not Mark.objects.exists()


def test_the_principal_sees_the_grid_read_only_and_cannot_save(
    client: Client, world: World
) -> None:
    client.force_login(world.principal_a)
    html = client.get(grid_url(world.assignment_a)).content.decode()
    assert "Bạn chỉ được xem sổ điểm này." in html
    assert all("readonly" in i for i in re.findall(r"<input class=\"mark\"[^>]*>", html))
    assert "hoso/grid.js" not in html
    status, body = post_cells(client, world, cell(world, "regular", 1, "8"))
    assert status == 403 and body["message"]
    assert not Mark.objects.exists()


# --- Saving --------------------------------------------------------------------------------


def test_saving_returns_versions_texts_and_the_engines_average(
    teacher: Client, world: World
) -> None:
    status, body = post_cells(
        teacher,
        world,
        cell(world, "regular", 1, "8"),
        cell(world, "regular", 2, "6"),
        cell(world, "regular", 3, "7,5"),
        cell(world, "regular", 4, "9"),
        cell(world, "midterm", 1, "7"),
        cell(world, "final", 1, "5"),
    )
    assert status == 200
    assert {(c["kind"], c["index"], c["text"], c["version"]) for c in body["saved"]} >= {
        ("regular", 1, "8,0", 1),
        ("regular", 3, "7,5", 1),
    }
    (row,) = body["rows"]
    assert row["enrollment"] == str(enrollment(world).uuid)
    # (8 + 6 + 7.5 + 9 + 2×7 + 3×5) / 9 = 6.61… → 6,6 — the rules engine's, never the browser's
    assert row["semester_average"] == "6,6"
    assert row["missing"] == []
    assert AuditEvent.objects.filter(action="marks.saved").count() == 1  # one column, one event


@pytest.mark.parametrize(
    ("typed", "message", "suggestion"),
    [
        ("11", MSG_OUT_OF_RANGE, ""),
        ("-1", MSG_OUT_OF_RANGE, ""),
        ("8,55", MSG_TOO_MANY_DECIMALS.format(suggestion="8,6"), "8,6"),
        ("abc", MSG_NOT_A_MARK, ""),
    ],
)
def test_a_bad_cell_is_refused_in_place_and_nothing_is_saved(
    teacher: Client, world: World, typed: str, message: str, suggestion: str
) -> None:
    status, body = post_cells(
        teacher, world, cell(world, "regular", 1, "8"), cell(world, "regular", 2, typed)
    )
    assert status == 422
    (problem,) = body["problems"]
    assert problem["index"] == 2 and problem["code"] == "invalid"
    assert problem["message"] == message and problem["suggestion"] == suggestion
    assert not Mark.objects.exists()  # the good cell of the same save neither (R4.2, all or none)


def test_decimal_comma_and_point_are_both_eight_and_a_half(teacher: Client, world: World) -> None:
    status, _ = post_cells(
        teacher, world, cell(world, "regular", 1, "8,5"), cell(world, "regular", 2, "8.5")
    )
    assert status == 200
    assert [m.value for m in Mark.objects.order_by("index")] == [Decimal("8.5"), Decimal("8.5")]


def test_an_empty_cell_is_not_entered_and_zero_is_a_mark(teacher: Client, world: World) -> None:
    status, body = post_cells(
        teacher, world, cell(world, "regular", 1, "0"), cell(world, "regular", 2, "")
    )
    assert status == 200
    assert Mark.objects.get().value == Decimal("0.0")
    assert "TX2" in body["rows"][0]["missing"] and "TX1" not in body["rows"][0]["missing"]


def test_a_stale_save_is_409_with_the_current_value(teacher: Client, world: World) -> None:
    assert post_cells(teacher, world, cell(world, "midterm", 1, "7"))[0] == 200
    # another screen still shows the empty cell (version 0)
    status, body = post_cells(teacher, world, cell(world, "midterm", 1, "9", version=0))
    assert status == 409
    (problem,) = body["problems"]
    assert problem["code"] == "stale"
    assert problem["current_text"] == "7,0" and problem["current_version"] == 1
    assert Mark.objects.get().value == Decimal("7.0")
    # the person chose to keep theirs: based on the current version it goes through
    assert post_cells(teacher, world, cell(world, "midterm", 1, "9", version=1))[0] == 200


def test_malformed_bodies_are_400_with_a_vietnamese_reason(teacher: Client, world: World) -> None:
    url = save_url(world.assignment_a)
    for body in ("not json", json.dumps({"cells": []}), json.dumps({"cells": [{"kind": 1}]})):
        response = teacher.post(url, body, content_type="application/json")
        assert response.status_code == 400
        assert "Dữ liệu gửi lên" in response.json()["message"]
    assert teacher.get(url).status_code == 405


def test_a_student_outside_the_group_is_refused(teacher: Client, world: World) -> None:
    stranger = Enrollment.objects.get(student=world.student_b1)
    status, body = post_cells(
        teacher, world, {**cell(world, "regular", 1, "8"), "enrollment": str(stranger.uuid)}
    )
    assert status == 422 and "không thuộc nhóm" in body["problems"][0]["message"]
    assert body["problems"][0]["enrollment"] == str(stranger.uuid)


def test_csrf_is_required_and_the_pages_token_passes(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.teacher_a)
    html = client.get(grid_url(world.assignment_a)).content.decode()
    token = re.search(r'data-csrf="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    body = json.dumps({"cells": [cell(world, "regular", 1, "8")]})
    url = save_url(world.assignment_a)
    assert client.post(url, body, content_type="application/json").status_code == 403
    response = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


# --- Hoàn tất, mid-term date ---------------------------------------------------------------


def test_after_hoan_tat_the_teacher_cannot_change_the_column(teacher: Client, world: World) -> None:
    post_cells(teacher, world, cell(world, "regular", 1, "8"), cell(world, "regular", 2, "7"))
    submit = reverse("mark-grid-submit", args=[world.assignment_a.uuid, 1])
    response = teacher.post(submit, {"kind": "regular", "index": "1"})
    assert response.status_code == 302
    states = dict(Mark.objects.values_list("index", "state"))
    assert states == {1: MarkState.SUBMITTED, 2: MarkState.DRAFT}
    version = Mark.objects.get(index=1).version
    status, body = post_cells(teacher, world, cell(world, "regular", 1, "9", version=version))
    assert status == 409
    assert body["problems"][0]["code"] == "refused"
    assert body["problems"][0]["message"] == MSG_SUBMITTED
    html = teacher.get(grid_url(world.assignment_a)).content.decode()
    first = re.findall(r"<input class=\"mark\"[^>]*>", html)[0]
    assert "readonly" in first and MSG_SUBMITTED in first
    # the whole semester
    teacher.post(submit, {})
    assert not Mark.objects.filter(state=MarkState.DRAFT).exists()


def test_the_teacher_records_the_midterm_test_date(teacher: Client, world: World) -> None:
    url = reverse("mark-grid-midterm", args=[world.assignment_a.uuid, 1])
    assert teacher.post(url, {"test_date": "2025-11-10"}).status_code == 302
    assert MidtermTest.objects.get().test_date == dt.date(2025, 11, 10)
    html = teacher.get(grid_url(world.assignment_a)).content.decode()
    assert "17/11/2025" in html  # due 7 days after (R4.5b)
    # the test was long ago: the mid-term column is closed, with the reason on screen
    assert "Đã quá hạn nhập ĐĐGgk (17/11/2025)" in html


# --- Locks ---------------------------------------------------------------------------------


def test_a_locked_class_refuses_the_grid_save(teacher: Client, world: World) -> None:
    book_lock(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        scope=LockScope.CLASS,
        school_class=world.class_a1,
    )
    status, body = post_cells(teacher, world, cell(world, "regular", 1, "8"))
    assert status == 409
    assert body["problems"][0]["message"] == MSG_LOCKED
    assert not Mark.objects.exists()
    html = teacher.get(grid_url(world.assignment_a)).content.decode()
    assert "Sổ đã khóa (R4.4)" in html
    assert all("readonly" in i for i in re.findall(r"<input class=\"mark\"[^>]*>", html))
    # semester 2 is open
    assert post_cells(teacher, world, cell(world, "regular", 1, "8"), semester=2)[0] == 200


def test_a_mixed_group_has_one_grid_and_marks_go_to_each_students_class(
    teacher: Client, world: World
) -> None:
    a1 = Enrollment.objects.get(student=world.student_a1)
    a2 = Enrollment.objects.get(school_class=world.class_a2)
    group = TeachingGroup.objects.create(school=world.school_a, year=world.year, name="MUL10")
    group.members.add(a1, a2)
    assignment = TeachingAssignment.objects.create(
        school=world.school_a,
        year=world.year,
        teacher=world.teacher_a,
        subject=f.subject("tin_hoc"),
        group=group,
    )
    teacher.force_login(User.objects.get(pk=world.teacher_a.pk))  # a fresh scope
    html = teacher.get(grid_url(assignment)).content.decode()
    assert "10A1" in html and "10A2" in html and ">Lớp<" in html
    cells = [
        {"enrollment": str(e.uuid), "kind": "regular", "index": 1, "text": "9", "base_version": 0}
        for e in (a1, a2)
    ]
    response = teacher.post(
        save_url(assignment), json.dumps({"cells": cells}), content_type="application/json"
    )
    assert response.status_code == 200
    assert {(m.enrollment.school_class.name, m.school_id) for m in Mark.objects.all()} == {
        ("10A1", world.school_a.id),
        ("10A2", world.school_a.id),
    }


def locks_url(world: World) -> str:
    return reverse("school-locks", args=[world.school_a.uuid])


def test_the_locks_page_is_the_principals(client: Client, world: World) -> None:
    for outsider in (world.teacher_a, world.teacher_b, world.district_officer):
        client.force_login(outsider)
        assert client.get(locks_url(world)).status_code == 404
    client.force_login(world.principal_a)
    response = client.get(locks_url(world))
    assert response.status_code == 200
    assert "Chưa khóa sổ nào trong năm học này." in response.content.decode()


def test_the_principal_locks_unlocks_sets_deadlines_and_extends(
    client: Client, world: World
) -> None:
    client.force_login(world.principal_a)
    url = locks_url(world)
    response = client.post(
        url,
        {"action": "lock", "scope": "class", "period": "1", "school_class": world.class_a1.pk},
    )
    assert response.status_code == 302
    lock = BookLock.objects.get()
    assert lock.school_class == world.class_a1 and lock.semester == 1
    assert lock.decided_by == world.principal_a
    assert "Lớp 10A1 — HK I" in client.get(url).content.decode()
    client.post(url, {"action": "unlock", "lock": str(lock.uuid), "note": "Sửa sai"})
    lock.refresh_from_db()
    assert lock.unlocked_at is not None
    client.post(
        url, {"action": "deadline", "semester": "1", "kind": "regular", "due_on": "2025-12-20"}
    )
    assert EntryDeadline.objects.get().due_on == dt.date(2025, 12, 20)
    client.post(
        url,
        {
            "action": "extend",
            "semester": "1",
            "kind": "regular",
            "teacher": world.teacher_a.pk,
            "until": "2025-12-27",
            "reason": "Giáo viên ốm",
        },
    )
    extension = DeadlineExtension.objects.get()
    assert extension.teacher == world.teacher_a and extension.reason == "Giáo viên ốm"
    assert (
        AuditEvent.objects.filter(
            action__in=["book.locked", "book.unlocked", "deadline.set", "deadline.extended"]
        ).count()
        == 4
    )


def test_a_grade_lock_for_the_year_covers_the_class(client: Client, world: World) -> None:
    client.force_login(world.principal_a)
    client.post(
        locks_url(world), {"action": "lock", "scope": "grade", "period": "nam", "grade": "10"}
    )
    lock = BookLock.objects.get()
    assert lock.grade == 10 and lock.semester is None
    client.force_login(world.teacher_a)
    assert post_cells(client, world, cell(world, "regular", 1, "8"), semester=2)[0] == 409


def test_an_admin_locks_only_naming_the_principal_and_the_request(
    client: Client, world: World
) -> None:
    admin = f.UserFactory(username="quantri.a", full_name="Lý Văn Quản")
    RoleAssignment.objects.create(user=admin, role=Role.SCHOOL_ADMIN, unit=world.school_a)
    client.force_login(admin)
    url = locks_url(world)
    page = client.get(url).content.decode()
    assert "Theo quyết định của Hiệu trưởng" in page
    response = client.post(url, {"action": "lock", "scope": "school", "period": "1"})
    assert response.status_code == 400 and "R14.2" in response.content.decode()
    assert not BookLock.objects.exists()
    client.post(
        url,
        {
            "action": "lock",
            "scope": "school",
            "period": "1",
            "decided_by": world.principal_a.pk,
            "note": "Hiệu trưởng yêu cầu khóa sổ HK I ngày 15/01",
        },
    )
    lock = BookLock.objects.get()
    assert lock.decided_by == world.principal_a and lock.locked_by == admin
    # deadlines are the principal's own (R4.5): refused to the admin, nothing written
    response = client.post(
        url, {"action": "deadline", "semester": "1", "kind": "regular", "due_on": "2025-12-20"}
    )
    assert response.status_code == 400 and not EntryDeadline.objects.exists()


def test_after_the_deadline_the_column_is_closed_until_an_extension(
    teacher: Client, world: World
) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    EntryDeadline.objects.create(
        school=world.school_a,
        year=world.year,
        semester=1,
        kind="regular",
        due_on=yesterday,
        set_by=world.principal_a,
    )
    status, body = post_cells(teacher, world, cell(world, "regular", 1, "8"))
    assert status == 409 and "quá hạn nhập ĐĐGtx" in body["problems"][0]["message"]
    html = teacher.get(grid_url(world.assignment_a)).content.decode()
    assert "Đã quá hạn nhập ĐĐGtx" in html
    DeadlineExtension.objects.create(
        school=world.school_a,
        year=world.year,
        semester=1,
        kind="regular",
        teacher=world.teacher_a,
        until=timezone.localdate(),
        reason="Ốm",
        granted_by=world.principal_a,
    )
    assert post_cells(teacher, world, cell(world, "regular", 1, "8"))[0] == 200


# --- Home page links -----------------------------------------------------------------------


def test_the_home_page_links_the_grids_and_the_locks_page(client: Client, world: World) -> None:
    client.force_login(world.teacher_a)
    html = client.get(reverse("home")).content.decode()
    assert grid_url(world.assignment_a, 1) in html and grid_url(world.assignment_a, 2) in html
    client.force_login(world.principal_a)
    assert locks_url(world) in client.get(reverse("home")).content.decode()


# --- Performance ---------------------------------------------------------------------------


def class_of(world: World, size: int) -> TeachingAssignment:
    school_class = f.SchoolClassFactory(school=world.school_a, year=world.year, name=f"Q{size}")
    for _ in range(size):
        f.EnrollmentFactory(school_class=school_class)
    return TeachingAssignment.objects.create(
        school=world.school_a,
        year=world.year,
        teacher=world.teacher_a,
        subject=f.subject(),
        group=f.TeachingGroupFactory(school_class=school_class),
    )


def test_the_grid_page_costs_the_same_queries_for_5_and_40_students(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    small, large = class_of(world, 5), class_of(world, 40)
    client.force_login(world.teacher_a)
    for assignment in (small, large):  # marks in every row
        cells = [
            {
                "enrollment": str(e.uuid),
                "kind": "regular",
                "index": 1,
                "text": "8",
                "base_version": 0,
            }
            for e in Enrollment.objects.filter(school_class=assignment.group.school_class)
        ]
        response = client.post(
            save_url(assignment), json.dumps({"cells": cells}), content_type="application/json"
        )
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(grid_url(small)).status_code == 200
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        assert client.get(grid_url(large)).status_code == 200
    assert len(small_queries.captured_queries) <= 25
