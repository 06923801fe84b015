"""The homeroom pages and REST endpoints (issue 5): the same services and checks; 404 for a class
of another school; every write audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hoso.academics.models import Enrollment, Student
from hoso.assessment.models import Absence, ConductRating, StudentComment
from hoso.audit.models import AuditEvent
from tests.personas import World

WEEK = "2025-11-17"


def url(name: str, world: World, **query: str) -> str:
    base = reverse(name, args=[world.class_a2.uuid])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_homeroom_teacher_records_a_week_a_column_and_comments(
    client: Client, world: World
) -> None:
    client.force_login(world.homeroom_a)
    e = Enrollment.objects.get(school_class=world.class_a2)
    hub = client.get(url("homeroom-hub", world)).content.decode()
    assert "Điểm danh tuần này" in hub and "Trần Thị Bình" in hub
    response = client.post(
        url("homeroom-attendance", world),
        {
            "tuan": WEEK,
            f"a-{e.id}-{WEEK}-sang": "1",
            f"p-{e.id}-{WEEK}-sang": "1",
            f"r-{e.id}": "Ốm",
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert absence.excused and absence.reason == "Ốm" and absence.session == "sang"
    page = client.get(url("homeroom-attendance", world, tuan=WEEK)).content.decode()
    assert "checked" in page
    response = client.post(
        url("homeroom-conduct", world), {"ky": "hk1", f"m-{e.id}": "Tốt", f"v-{e.id}": "0"}
    )
    assert response.status_code == 302 and ConductRating.objects.get().rating == "Tốt"
    response = client.post(
        url("homeroom-comments", world), {"ky": "1", f"c-{e.id}": "Chăm ngoan.", f"v-{e.id}": "0"}
    )
    assert response.status_code == 302 and StudentComment.objects.get().text == "Chăm ngoan."
    overview = client.get(url("homeroom-overview", world, hk="1")).content.decode()
    assert "Tổng hợp kết quả" in overview and "Trần Thị Bình" in overview
    assert (
        AuditEvent.objects.filter(
            action__in=["attendance.saved", "conduct.saved", "comment.saved"]
        ).count()
        == 3
    )


def test_a_stale_column_shows_the_problem_and_saves_nothing(client: Client, world: World) -> None:
    client.force_login(world.homeroom_a)
    e = Enrollment.objects.get(school_class=world.class_a2)
    client.post(url("homeroom-conduct", world), {"ky": "hk1", f"m-{e.id}": "Tốt", f"v-{e.id}": "0"})
    html = client.post(
        url("homeroom-conduct", world), {"ky": "hk1", f"m-{e.id}": "Khá", f"v-{e.id}": "0"}
    ).content.decode()
    assert "người khác thay đổi" in html and ConductRating.objects.get().rating == "Tốt"


def test_principal_reads_but_does_not_write(client: Client, world: World) -> None:
    client.force_login(world.principal_a)
    assert client.get(url("homeroom-overview", world, hk="2")).status_code == 200
    assert client.get(url("homeroom-attendance", world)).status_code == 200
    e = Enrollment.objects.get(school_class=world.class_a2)
    response = client.post(
        url("homeroom-attendance", world), {"tuan": WEEK, f"a-{e.id}-{WEEK}-sang": "1"}
    )
    assert response.status_code == 403 and not Absence.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "homeroom-hub",
        "homeroom-attendance",
        "homeroom-conduct",
        "homeroom-comments",
        "homeroom-overview",
    ],
)
def test_other_schools_get_404(client: Client, world: World, name: str) -> None:
    client.force_login(world.teacher_b)
    assert client.get(url(name, world)).status_code == 404


def test_profile_page_saves_and_audits(client: Client, world: World) -> None:
    client.force_login(world.homeroom_a)
    student = Student.objects.get(enrollments__school_class=world.class_a2)
    page = reverse("homeroom-student", args=[world.class_a2.uuid, student.uuid])
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {
            "full_name": student.full_name,
            "ethnicity": "Tày",
            "nationality": "Việt Nam",
            "current_address": "Xã Tân Dĩnh",
        },
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.ethnicity == "Tày" and student.current_address == "Xã Tân Dĩnh"
    event = AuditEvent.objects.get(action="student.updated")
    assert {c["field"] for c in event.changes} == {"ethnicity", "current_address"}


# --- REST -----------------------------------------------------------------------------------------


def api(name: str, world: World, *args: str) -> str:
    return reverse(f"api:{name}", args=[world.class_a2.uuid, *args])


def test_api_attendance_conduct_comment_overview(client: Client, world: World) -> None:
    client.force_login(world.homeroom_a)
    e = Enrollment.objects.get(school_class=world.class_a2)
    body = {
        "week_start": WEEK,
        "absences": [{"enrollment": str(e.uuid), "date": WEEK, "session": "chieu"}],
    }
    response = client.put(api("class-attendance", world), body, content_type="application/json")
    assert response.status_code == 200 and response.json()["created"] == 1
    got = client.get(api("class-attendance", world), {"week": WEEK}).json()
    assert got["absences"][0]["session"] == "chieu"
    body = {"ratings": [{"enrollment": str(e.uuid), "rating": "Khá", "version": 0}]}
    assert (
        client.put(
            api("class-conduct", world, "hk1"), body, content_type="application/json"
        ).status_code
        == 200
    )
    stale = client.put(api("class-conduct", world, "hk1"), body, content_type="application/json")
    assert stale.status_code == 400 and "problems" in stale.json()
    body = {"enrollment": str(e.uuid), "subject": None, "semester": 1, "text": "Tiến bộ."}
    response = client.put(reverse("api:comment-save"), body, content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 1
    data = client.get(api("class-overview", world), {"semester": "1"}).json()
    assert data["regime"] == "TT22_2021" and data["students"][0]["absences"]["total"] == 1
    assert data["students"][0]["conduct"] == "Khá"


def test_api_refuses_writers_without_the_right_and_other_schools(
    client: Client, world: World
) -> None:
    e = Enrollment.objects.get(school_class=world.class_a2)
    body = {"ratings": [{"enrollment": str(e.uuid), "rating": "Tốt", "version": 0}]}
    client.force_login(world.principal_a)
    assert (
        client.put(
            api("class-conduct", world, "hk1"), body, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(world.teacher_b)
    assert client.get(api("class-overview", world)).status_code == 404
    assert (
        client.put(
            api("class-conduct", world, "hk1"), body, content_type="application/json"
        ).status_code
        == 404
    )
    profile = reverse("api:student-profile", args=[e.student.uuid])
    assert client.patch(profile, {"phone": "1"}, content_type="application/json").status_code == 404
    assert not ConductRating.objects.exists()


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01", "2025-13-45", "abc"])
def test_a_week_far_outside_the_school_year_shows_the_nearest_week_of_it(
    client: Client, world: World, typed: str
) -> None:
    """A tampered ?tuan= used to overflow the next-week link (a 500)."""
    client.force_login(world.homeroom_a)
    response = client.get(url("homeroom-attendance", world, tuan=typed))
    assert response.status_code == 200
