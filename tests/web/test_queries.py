"""Pages cost a fixed number of queries, whatever the number of classes (no N+1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoso.accounts.models import Role
from tests import factories as f
from tests.web.conftest import World, grant

# Absolute ceilings, so a slow creep shows up even when it does not grow with the data.
HOME_MAX = 20
PAGE_MAX = 12


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def add_classes(world: World, how_many: int) -> None:
    """More classes at school A, each with students, a homeroom teacher and a subject taught by
    teacher_a (so every list on every page grows)."""
    for number in range(how_many):
        school_class = f.SchoolClassFactory(
            school=world.school_a,
            year=world.year,
            grade=10 + number % 3,
            name=f"X{number:02d}",
            homeroom_teacher=world.homeroom_a,
        )
        for _ in range(3):
            f.EnrollmentFactory(school_class=school_class)
        f.TeachingAssignmentFactory(
            teacher=world.teacher_a, group=f.TeachingGroupFactory(school_class=school_class)
        )
        # One more school under the district per class, for the offices' lists.
        f.UnitFactory(parent=world.pgd_a)


def home(world: World) -> str:
    return reverse("home")


def school_page(world: World) -> str:
    return reverse("school-detail", args=[world.school_a.uuid])


def class_page(world: World) -> str:
    return reverse("class-detail", args=[world.class_a.uuid])


@pytest.mark.parametrize(
    ("persona", "page", "ceiling"),
    [
        ("principal_a", home, HOME_MAX),
        ("teacher_a", home, HOME_MAX),
        ("homeroom_a", home, HOME_MAX),
        ("district_officer", home, HOME_MAX),
        ("province_officer", home, HOME_MAX),
        ("inspector", home, HOME_MAX),
        ("parent_a", home, HOME_MAX),
        ("principal_a", school_page, PAGE_MAX),
        ("district_officer", school_page, PAGE_MAX),
        ("principal_a", class_page, PAGE_MAX),
        ("teacher_a", class_page, PAGE_MAX),
    ],
)
def test_queries_do_not_grow_with_classes(
    client: Client,
    world: World,
    django_assert_max_num_queries: Any,
    persona: str,
    page: Callable[[World], str],
    ceiling: int,
) -> None:
    user = getattr(world, persona)
    client.force_login(user)
    with_few = count_queries(client, page(world))
    assert with_few <= ceiling
    add_classes(world, 9)  # 10 classes at school A's grade 10 instead of 1
    with django_assert_max_num_queries(with_few):
        assert client.get(page(world)).status_code == 200


def test_many_roles_still_cost_a_bounded_number_of_queries(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    # One person holding every school role at A, plus teaching and homeroom.
    user = world.homeroom_a
    for role in (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_ADMIN, Role.SUBJECT_TEACHER):
        grant(user, role, world.school_a)
    add_classes(world, 10)
    client.force_login(user)
    with django_assert_max_num_queries(HOME_MAX + 4):
        html = client.get(reverse("home")).content.decode()
    assert html.count("X09") >= 4  # the class shows in every section that lists it
