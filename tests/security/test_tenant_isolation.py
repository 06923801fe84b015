"""Tenant isolation over every URL the project serves (issue 8; R4.1, R8.3).

The URL patterns are walked at test time, so a new page or API endpoint is covered the day it
lands — or fails here loudly until its URL parameters are registered in ``BUILDERS`` (how to
make school A's object for that parameter) or it is listed in ``NOT_TENANT_DATA`` with a reason.

* every endpoint taking an id is requested by people of school B (its principal, a teacher) for
  school A's object: 404, as for an id that does not exist — never the page, never a change;
* teacher_a of school A asks for another class's (or teacher's) object of the same school: 404;
* every endpoint without an id answers people of school B without a trace of school A.
"""

from __future__ import annotations

import io
import re
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hoso.academics.models import Enrollment, Subject, TeachingAssignment, TeachingGroup
from hoso.accounts import services
from hoso.accounts.models import Role, RoleAssignment, User
from tests.personas import World

# Not tenant data, on purpose (reason given): never requested here.
NOT_TENANT_DATA = {
    "login": "the login page",
    "logout": "ends the caller's own session",
    "set_language": "the caller's language cookie",
    "healthz": "database liveness, no data",
    "api-schema": "the API's shape, no data",
    "api-docs": "the API's documentation page, no data",
    "printing-verify": "public by design: anyone holding a printed page checks its code (R6)",
    "printing-verify-search": "public by design: the form of the verification page",
    "account-sessions-end": "acts on the caller's own sessions only",
    "account-otp-setup": "the caller's own second factor",
    "account-otp-verify": "the caller's own second factor",
    "account-password": "the caller's own password",
}
SKIP_PREFIXES = ("admin/",)

# School A's markers: none may appear on a page served to school B.
MARKER_WORDS = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "THPT-A",
    "principal_a",
    "homeroom_a",
    "teacher_a",
)
MARKER = re.compile("|".join(rf"(?<![\w.-]){re.escape(word)}(?![\w-])" for word in MARKER_WORDS))


def _markers(text: str) -> list[str]:
    return sorted(set(MARKER.findall(text)))


@dataclass
class Objects:
    """Values for URL parameters: school A's objects, and for teacher_a the objects of the same
    school that are not theirs."""

    world: World
    other_teacher_assignment: TeachingAssignment
    mark_id: int
    other_mark_id: int
    extra: dict[str, Any]


def _build(world: World) -> Objects:
    from hoso.assessment.models import Mark, MarkKind, MarkState

    toan = Subject.objects.get(programme="2018", grade=10, code="toan")
    teacher_a2 = User.objects.create_user(username="teacher_a2", password="x" * 12)
    RoleAssignment.objects.create(user=teacher_a2, role=Role.SUBJECT_TEACHER, unit=world.school_a)
    group_a2 = TeachingGroup.objects.create(
        school=world.school_a, year=world.year, name="10A2", school_class=world.class_a2
    )
    other_assignment = TeachingAssignment.objects.create(
        school=world.school_a, year=world.year, teacher=teacher_a2, subject=toan, group=group_a2
    )
    own = Enrollment.objects.get(student=world.student_a1)
    other = Enrollment.objects.get(school_class=world.class_a2)

    def mark(enrollment: Enrollment) -> int:
        return Mark.objects.create(
            school=world.school_a,
            year=world.year,
            enrollment=enrollment,
            subject=toan,
            semester=1,
            kind=MarkKind.REGULAR,
            index=1,
            value=Decimal("8.5"),
            state=MarkState.SUBMITTED,
        ).pk

    extra: dict[str, Any] = {}
    services.anomaly_report_create(
        actor=world.teacher_a, page_url="/", seen_at=None, description="Điểm của Nguyễn Văn An"
    )
    extra["report"] = apps.get_model("accounts", "AnomalyReport").objects.get()
    return Objects(world, other_assignment, mark(own), mark(other), extra)


def _correction(objects: Objects) -> Any:
    model = apps.get_model("workflow", "CorrectionRequest")
    world = objects.world
    existing = objects.extra.get("correction")
    if existing is None:
        existing = model.objects.create(
            school=world.school_a,
            year=world.year,
            semester=1,
            assignment=world.assignment_a,
            requester=world.teacher_a,
            path=model._meta.get_field("path").choices[0][0],
            reason="Nhập nhầm",
        )
        objects.extra["correction"] = existing
    return existing


def _evidence(objects: Objects) -> Any:
    model = apps.get_model("workflow", "CorrectionEvidence")
    return model.objects.create(
        request=_correction(objects),
        file="corrections/x.pdf",
        kind=model._meta.get_field("kind").choices[0][0],
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )


def _batch(objects: Objects) -> Any:
    model = apps.get_model("printing", "PrintBatch")
    world = objects.world
    return model.objects.create(
        form="so-theo-doi", school=world.school_a, year=world.year, school_class=world.class_a1
    )


def _lock(objects: Objects) -> Any:
    model = apps.get_model("assessment", "BookLock")
    world = objects.world
    return model.objects.create(
        school=world.school_a,
        year=world.year,
        semester=1,
        scope=model._meta.get_field("scope").choices[0][0],
        decided_by=world.principal_a,
        locked_by=world.principal_a,
    )


def _grant(objects: Objects) -> Any:
    return RoleAssignment.objects.get(user=objects.world.teacher_a)


# URL parameter → (school A's object for school B's people, the not-theirs object of school A
# for teacher_a or None). Values are what goes into ``reverse``.
Builder = Callable[[Objects], Any]
BUILDERS: dict[str, tuple[Builder, Builder | None]] = {
    "school_uuid": (lambda o: o.world.school_a.uuid, lambda o: o.world.school_a.uuid),
    # A unit's statistics (school, district or province): school A itself, for both passes.
    "unit_uuid": (lambda o: o.world.school_a.uuid, lambda o: o.world.school_a.uuid),
    "class_uuid": (lambda o: o.world.class_a1.uuid, lambda o: o.world.class_a2.uuid),
    "student_uuid": (
        lambda o: o.world.student_a1.uuid,
        lambda o: Enrollment.objects.get(school_class=o.world.class_a2).student.uuid,
    ),
    "assignment_uuid": (
        lambda o: o.world.assignment_a.uuid,
        lambda o: o.other_teacher_assignment.uuid,
    ),
    "account_uuid": (lambda o: o.world.homeroom_a.uuid, lambda o: o.world.homeroom_a.uuid),
    "grant_uuid": (lambda o: _grant(o).uuid, None),
    "report_uuid": (lambda o: o.extra["report"].uuid, lambda o: o.extra["report"].uuid),
    "mark_id": (lambda o: o.mark_id, lambda o: o.other_mark_id),
    "request_uuid": (lambda o: _correction(o).uuid, None),
    "evidence_uuid": (lambda o: _evidence(o).uuid, None),
    "batch_uuid": (lambda o: _batch(o).uuid, None),
    "lock_uuid": (lambda o: _lock(o).uuid, None),
    # Not objects: the other parameters of a URL whose object is above.
    "semester": (lambda o: 1, lambda o: 1),
    "period": (lambda o: "hk1", lambda o: "hk1"),
    # An import in progress belongs to its own session: a made-up token, the assignment decides.
    "token": (lambda o: "khong-ton-tai", lambda o: "khong-ton-tai"),
}
# Parameters that are not the object: with only these, the endpoint is a list.
NOT_OBJECTS = {"semester", "period", "token"}


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str
    params: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.name} ({self.route})"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Endpoint]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIP_PREFIXES):
                continue
            params = tuple(pattern.pattern.converters)  # type: ignore[attr-defined]
            prefix_params = tuple(_prefix_params(prefix))
            yield Endpoint(route, f"{namespace}{pattern.name}", prefix_params + params)


def _prefix_params(prefix: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", prefix)


def endpoints() -> list[Endpoint]:
    return [
        e
        for e in _walk(get_resolver().url_patterns)
        if e.name.split(":")[-1] not in NOT_TENANT_DATA
    ]


def test_every_endpoint_is_named_and_its_parameters_known() -> None:
    unnamed = [e.route for e in _walk(get_resolver().url_patterns) if e.name.endswith("None")]
    assert unnamed == [], "name every URL pattern so the isolation test can report it"
    unknown = sorted({(str(e), p) for e in endpoints() for p in e.params if p not in BUILDERS})
    assert unknown == [], (
        "Register these URL parameters in tests/security/test_tenant_isolation.py BUILDERS "
        f"(how to build school A's object), or list the endpoint in NOT_TENANT_DATA: {unknown}"
    )


def _url(endpoint: Endpoint, objects: Objects, *, which: int, missing: bool = False) -> str | None:
    """The URL with school A's objects — or, with ``missing``, with ids that exist nowhere."""
    kwargs = {}
    for param in endpoint.params:
        builder = BUILDERS[param][which]
        if builder is None:
            return None
        value = builder(objects)
        if missing and param not in NOT_OBJECTS:
            value = 987654321 if isinstance(value, int) else uuid.uuid4()
        kwargs[param] = value
    return reverse(endpoint.name, kwargs=kwargs)


def _leak(client: Client, endpoint: Endpoint, objects: Objects, *, which: int) -> str | None:
    """What is wrong with the answer for another's object, or None: it must be a 404, or at
    least exactly the answer for an id that does not exist (an API refusing a malformed body
    before looking the object up) and without a trace of school A."""
    url = _url(endpoint, objects, which=which)
    assert url is not None
    response = _request(client, url)
    if response.status_code == 404:
        return None
    missing = _request(client, str(_url(endpoint, objects, which=which, missing=True)))
    text = _text(response)
    if (
        response.status_code == missing.status_code
        and response.status_code < 500
        and not _markers(text)
    ):
        return None
    return f"{endpoint}: {response.status_code} (missing id: {missing.status_code})"


def _request(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
        if response.status_code == 405:
            response = client.put(url, b"{}", content_type="application/json")
    return response


def _text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if "pdf" in content_type or "zip" in content_type:
        return ""  # documents are only served for an authorized object, checked by the id pass
    return body.decode("utf-8", errors="replace")


@pytest.fixture
def school_b_people(world: World) -> dict[str, User]:
    principal_b = User.objects.create_user(username="principal_b", password="x" * 12)
    RoleAssignment.objects.create(user=principal_b, role=Role.PRINCIPAL, unit=world.school_b)
    return {"principal_b": principal_b, "teacher_b": world.teacher_b}


def _client(user: User) -> Client:
    # A crashing page answers 500 here instead of raising into the test.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_school_b_cannot_reach_school_a_by_id(
    world: World, school_b_people: dict[str, User]
) -> None:
    objects = _build(world)
    leaks: list[str] = []
    covered = 0
    for endpoint in endpoints():
        if not set(endpoint.params) - NOT_OBJECTS:
            continue
        covered += 1
        for who, user in school_b_people.items():
            leak = _leak(_client(user), endpoint, objects, which=0)
            if leak:
                leaks.append(f"{who} → {leak}")
    assert covered > 0
    assert leaks == [], "\n".join(leaks)


def test_a_teacher_cannot_reach_another_class_of_their_school(world: World) -> None:
    objects = _build(world)
    client = _client(world.teacher_a)
    leaks = []
    for endpoint in endpoints():
        if not set(endpoint.params) - NOT_OBJECTS:
            continue
        if any(BUILDERS[p][1] is None for p in endpoint.params):
            continue
        leak = _leak(client, endpoint, objects, which=1)
        if leak:
            leaks.append(f"teacher_a → {leak}")
    assert leaks == [], "\n".join(leaks)


def test_lists_show_school_b_nothing_of_school_a(
    world: World, school_b_people: dict[str, User]
) -> None:
    _build(world)
    leaks: list[str] = []
    errors: list[str] = []
    for endpoint in endpoints():
        if set(endpoint.params) - NOT_OBJECTS:
            continue
        url = _url(endpoint, _build_noop(world), which=0)
        assert url is not None
        for who, user in school_b_people.items():
            response = _request(_client(user), url)
            if response.status_code >= 500:
                # A crash on an empty request is its page's bug, not a leak: the text below
                # is still checked (and the owner is told, see docs/security.md).
                errors.append(f"{who} → {endpoint}: {response.status_code}")
            text = _text(response)
            found = _markers(text)
            if found:
                leaks.append(f"{who} → {endpoint}: {found}")
    assert leaks == [], "\n".join(leaks)
    if errors:
        warnings.warn("pages that crashed on an empty request: " + "; ".join(errors), stacklevel=1)


def _build_noop(world: World) -> Objects:
    return Objects(world, None, 0, 0, {})  # type: ignore[arg-type]


def test_the_walk_finds_the_known_pages() -> None:
    names = {e.name for e in endpoints()}
    assert {"class-detail", "school-detail", "account-detail", "child-detail"} <= names
    assert any(name.startswith("api:") for name in names)
