"""Mark entry over REST (issue 4): the same services and checks as the grid — 200 saved, 422
invalid with messages and suggestions, 409 stale / submitted / locked, 404 out of scope, 403 not
allowed; locks, deadlines and extensions for the principal (R4.4, R4.5, R14.2); the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from hoso.academics.models import Enrollment
from hoso.accounts.models import Role, RoleAssignment
from hoso.assessment.errors import MSG_LOCKED, MSG_SUBMITTED
from hoso.assessment.models import BookLock, DeadlineExtension, EntryDeadline, Mark, MarkState
from hoso.audit.models import AuditEvent
from tests import factories as f
from tests.personas import World


@pytest.fixture
def api(world: World) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.teacher_a)
    return client


def base(world: World) -> str:
    return f"/api/v1/assignments/{world.assignment_a.uuid}"


def cell(world: World, kind: str, index: int, text: str, version: int = 0) -> dict[str, Any]:
    student = Enrollment.objects.get(student=world.student_a1)
    return {
        "enrollment": str(student.uuid),
        "kind": kind,
        "index": index,
        "text": text,
        "base_version": version,
    }


def save(client: APIClient, world: World, *cells: dict[str, Any], semester: int = 1) -> Any:
    return client.post(
        f"{base(world)}/marks/", {"semester": semester, "cells": list(cells)}, format="json"
    )


def test_the_teacher_lists_their_assignments_only(api: APIClient, world: World) -> None:
    response = api.get("/api/v1/assignments/")
    assert response.status_code == 200
    (only,) = response.json()
    assert only["uuid"] == str(world.assignment_a.uuid)
    assert only["subject"]["name"] == "Toán" and only["group"]["name"] == "10A1"
    assert api.get("/api/v1/assignments/?year=1999-2000").json() == []
    other = APIClient()
    other.force_authenticate(world.teacher_b)
    assert str(world.assignment_a.uuid) not in str(other.get("/api/v1/assignments/").json())


def test_the_grid_has_columns_rows_cells_and_averages_with_a_decimal_point(
    api: APIClient, world: World
) -> None:
    save(
        api,
        world,
        cell(world, "regular", 1, "8"),
        cell(world, "regular", 2, "6"),
        cell(world, "regular", 3, "7,5"),
        cell(world, "regular", 4, "9"),
        cell(world, "midterm", 1, "7"),
        cell(world, "final", 1, "5"),
    )
    response = api.get(f"{base(world)}/grid/?semester=1")
    assert response.status_code == 200
    grid = response.json()
    assert [c["label"] for c in grid["columns"]] == ["TX1", "TX2", "TX3", "TX4", "TX5", "GK", "CK"]
    assert grid["editable"] is True and grid["regime"] == "TT22_2021"
    (row,) = grid["rows"]
    assert row["student"]["full_name"] == "Nguyễn Văn An" and row["class_name"] == "10A1"
    first = row["cells"][2]
    assert first == {
        "kind": "regular",
        "index": 3,
        "text": "7.5",
        "version": 1,
        "state": "draft",
        "locked": False,
        "closed_reason": None,
    }
    assert row["averages"] == {"semester": "6.6", "year": None}
    assert api.get(f"{base(world)}/grid/?semester=3").status_code == 400


def test_saving_answers_the_saved_cells_and_the_rows_averages(api: APIClient, world: World) -> None:
    response = save(api, world, cell(world, "regular", 1, "8,5"), cell(world, "regular", 2, "8.5"))
    assert response.status_code == 200
    body = response.json()
    assert sorted((c["index"], c["text"], c["version"]) for c in body["saved"]) == [
        (1, "8.5", 1),
        (2, "8.5", 1),
    ]
    assert body["rows"][0]["missing"] == ["TX3", "TX4", "GK", "CK"]
    assert [m.value for m in Mark.objects.order_by("index")] == [Decimal("8.5"), Decimal("8.5")]


@pytest.mark.parametrize(
    ("typed", "suggestion"), [("11", ""), ("-1", ""), ("8,55", "8.6"), ("abc", "")]
)
def test_invalid_cells_are_422_and_nothing_is_saved(
    api: APIClient, world: World, typed: str, suggestion: str
) -> None:
    response = save(api, world, cell(world, "regular", 1, "8"), cell(world, "regular", 2, typed))
    assert response.status_code == 422
    (problem,) = response.json()["problems"]
    assert problem["code"] == "invalid" and problem["suggestion"] == suggestion
    assert problem["message"].startswith("Điểm")
    assert not Mark.objects.exists()


def test_a_stale_save_is_409_with_the_current_value(api: APIClient, world: World) -> None:
    assert save(api, world, cell(world, "final", 1, "7")).status_code == 200
    response = save(api, world, cell(world, "final", 1, "9", version=0))
    assert response.status_code == 409
    (problem,) = response.json()["problems"]
    assert problem["code"] == "stale"
    assert problem["current_text"] == "7.0" and problem["current_version"] == 1
    assert Mark.objects.get().value == Decimal("7.0")


def test_out_of_scope_is_404_and_not_allowed_is_403(world: World) -> None:
    other = APIClient()
    other.force_authenticate(world.teacher_b)
    assert other.get(f"{base(world)}/grid/").status_code == 404
    assert save(other, world, cell(world, "regular", 1, "8")).status_code == 404
    assert other.post(f"{base(world)}/submit/", {"semester": 1}).status_code == 404
    principal = APIClient()
    principal.force_authenticate(world.principal_a)
    assert principal.get(f"{base(world)}/grid/").json()["editable"] is False
    assert save(principal, world, cell(world, "regular", 1, "8")).status_code == 403
    assert APIClient().get(f"{base(world)}/grid/").status_code == 403  # not signed in
    assert not Mark.objects.exists()


def test_after_submit_the_teacher_cannot_edit(api: APIClient, world: World) -> None:
    save(api, world, cell(world, "regular", 1, "8"))
    response = api.post(f"{base(world)}/submit/", {"semester": 1, "kind": "regular", "index": 1})
    assert response.status_code == 200 and response.json() == {"submitted": 1}
    mark = Mark.objects.get()
    assert mark.state == MarkState.SUBMITTED
    response = save(api, world, cell(world, "regular", 1, "9", version=mark.version))
    assert response.status_code == 409
    assert response.json()["problems"][0]["message"] == MSG_SUBMITTED


def test_the_midterm_test_date_gives_the_due_date(api: APIClient, world: World) -> None:
    response = api.post(
        f"{base(world)}/midterm-test/", {"semester": 1, "test_date": "2025-11-10"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"semester": 1, "test_date": "2025-11-10", "due": "2025-11-17"}


def schools(world: World) -> str:
    return f"/api/v1/schools/{world.school_a.uuid}"


def test_the_principal_locks_a_class_and_the_api_refuses_its_marks(
    api: APIClient, world: World
) -> None:
    principal = APIClient()
    principal.force_authenticate(world.principal_a)
    response = principal.post(
        f"{schools(world)}/locks/",
        {"scope": "class", "semester": 1, "school_class": str(world.class_a1.uuid)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    lock = response.json()
    assert lock["open"] is True and lock["decided_by"]["username"] == "principal_a"
    refused = save(api, world, cell(world, "regular", 1, "8"))
    assert refused.status_code == 409
    assert refused.json()["problems"][0]["message"] == MSG_LOCKED
    grid = api.get(f"{base(world)}/grid/?semester=1").json()
    assert grid["rows"][0]["locked"] is True and grid["rows"][0]["cells"][0]["locked"] is True
    assert [x["uuid"] for x in principal.get(f"{schools(world)}/locks/").json()] == [lock["uuid"]]
    response = principal.post(
        f"{schools(world)}/locks/{lock['uuid']}/unlock/", {"note": "Sửa sai"}, format="json"
    )
    assert response.status_code == 200 and response.json()["open"] is False
    assert save(api, world, cell(world, "regular", 1, "8")).status_code == 200


def test_locks_are_out_of_reach_of_teachers_and_other_schools(world: World) -> None:
    for user in (world.teacher_a, world.teacher_b, world.district_officer):
        client = APIClient()
        client.force_authenticate(user)
        assert client.get(f"{schools(world)}/locks/").status_code == 404
        response = client.post(
            f"{schools(world)}/locks/", {"scope": "school", "semester": 1}, format="json"
        )
        assert response.status_code == 404
    assert not BookLock.objects.exists()


def test_an_admin_locks_on_the_principals_recorded_request_only(world: World) -> None:
    admin = f.UserFactory(username="quantri.a")
    RoleAssignment.objects.create(user=admin, role=Role.SCHOOL_ADMIN, unit=world.school_a)
    client = APIClient()
    client.force_authenticate(admin)
    url = f"{schools(world)}/locks/"
    response = client.post(url, {"scope": "school", "semester": None}, format="json")
    assert response.status_code == 400 and "R14.2" in response.json()["detail"]
    response = client.post(
        url,
        {"scope": "school", "semester": None, "decided_by": "teacher_a", "note": "…"},
        format="json",
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "scope": "school",
            "semester": None,
            "decided_by": "principal_a",
            "note": "Hiệu trưởng yêu cầu khóa sổ cả năm ngày 25/05",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["locked_by"]["username"] == "quantri.a"
    event = AuditEvent.objects.get(action="book.locked")
    assert event.approval_ref == "principal:principal_a"
    # deadlines are the principal's own (R4.5)
    response = client.post(
        f"{schools(world)}/deadlines/",
        {"semester": 1, "kind": "regular", "due_on": "2025-12-20"},
        format="json",
    )
    assert response.status_code == 403


def test_the_principal_sets_deadlines_and_extensions(world: World) -> None:
    client = APIClient()
    client.force_authenticate(world.principal_a)
    response = client.post(
        f"{schools(world)}/deadlines/",
        {"semester": 1, "kind": "final", "opens_on": "2025-12-20", "due_on": "2025-12-31"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["due_on"] == "2025-12-31"
    assert EntryDeadline.objects.get().opens_on == dt.date(2025, 12, 20)
    assert len(client.get(f"{schools(world)}/deadlines/").json()) == 1
    response = client.post(
        f"{schools(world)}/extensions/",
        {
            "semester": 1,
            "kind": "final",
            "teacher": "teacher_a",
            "until": "2026-01-05",
            "reason": "Giáo viên ốm",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert DeadlineExtension.objects.get().teacher == world.teacher_a
    assert client.get(f"{schools(world)}/extensions/").json()[0]["reason"] == "Giáo viên ốm"
    response = client.post(
        f"{schools(world)}/extensions/",
        {"semester": 1, "until": "2026-01-05", "reason": "x", "teacher": "teacher_b"},
        format="json",
    )
    assert response.status_code == 400


def test_the_schema_documents_the_endpoints(world: World) -> None:
    client = APIClient()
    client.force_authenticate(world.teacher_a)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/assignments/",
        "/api/v1/assignments/{assignment_uuid}/grid/",
        "/api/v1/assignments/{assignment_uuid}/marks/",
        "/api/v1/assignments/{assignment_uuid}/submit/",
        "/api/v1/assignments/{assignment_uuid}/midterm-test/",
        "/api/v1/schools/{school_uuid}/locks/",
        "/api/v1/schools/{school_uuid}/locks/{lock_uuid}/unlock/",
        "/api/v1/schools/{school_uuid}/deadlines/",
        "/api/v1/schools/{school_uuid}/extensions/",
    ):
        assert path in paths, path
    marks = paths["/api/v1/assignments/{assignment_uuid}/marks/"]["post"]
    assert {"200", "409", "422", "403", "404"} <= set(marks["responses"])
