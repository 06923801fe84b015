"""Bad input on the API is answered in Vietnamese (DRF's own messages translated in
``locale/vi``), in English for whoever chose English; unreadable JSON — even nested too deep for
the parser — is a 400 with the grid's message, never a 500."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework import exceptions, fields, relations, serializers
from rest_framework.test import APIClient

from hoso.academics.models import Enrollment
from hoso.api.parsers import MSG_NOT_JSON
from tests.personas import World

DEEP = "[" * 100_000 + "]" * 100_000  # json.loads: RecursionError, not ValueError


@pytest.fixture
def api(world: World) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.teacher_a)
    return client


def choose(client: Client, language: str) -> None:
    """The language switch, as a user works it (tests/web/test_i18n.py)."""
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


def marks_url(world: World) -> str:
    return f"/api/v1/assignments/{world.assignment_a.uuid}/marks/"


def bad_marks(world: World, **changes: Any) -> dict[str, Any]:
    enrollment = Enrollment.objects.get(student=world.student_a1)
    cell = {"enrollment": str(enrollment.uuid), "kind": "regular", "index": 1, "text": "8"}
    cell["base_version"] = 0
    body: dict[str, Any] = {"semester": 1, "cells": [cell]}
    for key, value in changes.items():
        if key in body:
            body[key] = value
        else:
            cell[key] = value
    return body


def test_a_bad_uuid_and_a_bad_integer_are_refused_in_vietnamese(
    api: APIClient, world: World
) -> None:
    response = api.post(
        marks_url(world), bad_marks(world, semester="một", enrollment="abc"), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "vi"
    errors = response.json()
    assert errors["semester"] == ["Cần một số nguyên hợp lệ."]
    assert errors["cells"]["0"]["enrollment"] == ["Phải là một mã UUID hợp lệ."]
    assert "valid" not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "where", "vietnamese"),
    [
        ({"semester": 3}, "semester", "Giá trị phải nhỏ hơn hoặc bằng 2."),
        (
            {"cells": "abc"},
            "cells",
            {"non_field_errors": ['Cần một danh sách nhưng nhận được kiểu "str".']},
        ),
        ({"kind": "zzz"}, "kind", '"zzz" không phải là lựa chọn hợp lệ.'),
        ({"text": None}, "text", "Trường này không được để trống (null)."),
    ],
)
def test_the_other_messages_the_tester_saw_are_vietnamese(
    api: APIClient, world: World, changes: dict[str, Any], where: str, vietnamese: object
) -> None:
    response = api.post(marks_url(world), bad_marks(world, **changes), format="json")
    assert response.status_code == 400
    errors = response.json()
    found = errors[where] if where in errors else errors["cells"]["0"][where]
    assert found == (vietnamese if isinstance(vietnamese, dict) else [vietnamese])


def test_english_chosen_gets_drf_english(api: APIClient, world: World) -> None:
    choose(api, "en")
    response = api.post(
        marks_url(world), bad_marks(world, semester="một", enrollment="abc"), format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["semester"] == ["A valid integer is required."]
    assert errors["cells"]["0"]["enrollment"] == ["Must be a valid UUID."]
    assert "Phải là" not in response.content.decode()


def test_every_drf_message_a_client_can_see_has_vietnamese() -> None:
    """A DRF upgrade that adds a message shows up here, not in front of a teacher."""
    english: dict[str, str] = {}
    with translation.override(None):  # no catalogue: the lazy messages give their msgids
        for module in (fields, serializers, relations):
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                for key, message in getattr(cls, "default_error_messages", {}).items():
                    english[f"{cls.__name__}.{key}"] = str(message)
        for _name, cls in inspect.getmembers(exceptions, inspect.isclass):
            if issubclass(cls, exceptions.APIException):
                english[cls.__name__] = str(cls.default_detail)
    assert english["UUIDField.invalid"] == "Must be a valid UUID."
    untranslated = []
    with translation.override("vi"):
        for where, text in english.items():
            if text == str(translation.gettext(text)):
                untranslated.append(where)
    assert untranslated == []


@pytest.mark.parametrize("body", ["{", DEEP])
@pytest.mark.parametrize("endpoint", ["marks", "submit"])
def test_unreadable_json_on_the_api_is_a_vietnamese_400(
    api: APIClient, world: World, endpoint: str, body: str
) -> None:
    response = api.post(
        f"/api/v1/assignments/{world.assignment_a.uuid}/{endpoint}/",
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": MSG_NOT_JSON}


def test_json_nested_too_deep_on_the_grid_is_a_vietnamese_400(client: Client, world: World) -> None:
    # The web grid's save (hoso.assessment.views.grid_save) parses its body itself.
    client.force_login(world.teacher_a)
    response = client.post(
        reverse("mark-grid-save", args=[world.assignment_a.uuid, 1]),
        DEEP,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == MSG_NOT_JSON
