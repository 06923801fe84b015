"""Who reaches what: one ``can()`` and the scoped selectors (issue 2: "a district officer sees
only their district's schools; a teacher of school A sees nothing of school B")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from hoso.accounts.access import (
    access_class,
    can,
    classes_visible,
    schools_visible,
    scope_of,
)
from hoso.accounts.models import Role, RoleAssignment
from hoso.accounts.permissions import Perm
from hoso.core.errors import NotFoundError
from tests.personas import World


def test_district_officer_sees_only_the_district_schools(world: World) -> None:
    assert list(schools_visible(world.district_officer)) == [world.school_a]
    assert set(classes_visible(world.district_officer)) == {world.class_a1, world.class_a2}
    assert can(world.district_officer, Perm.VIEW_MARKS, world.class_a1)
    assert not can(world.district_officer, Perm.VIEW_MARKS, world.class_b1)
    assert not can(world.district_officer, Perm.ENTER_MARKS, world.class_a1)


def test_province_officer_sees_every_school_of_the_province(world: World) -> None:
    assert set(schools_visible(world.province_officer)) == {world.school_a, world.school_b}


def test_teacher_of_school_b_sees_nothing_of_school_a(world: World) -> None:
    teacher = world.teacher_b
    assert not any(c.school_id == world.school_a.id for c in classes_visible(teacher))
    for perm in Perm:
        assert not can(teacher, perm, world.class_a1)
        assert not can(teacher, perm, world.student_a1)
        assert not can(teacher, perm, world.school_a)
    with pytest.raises(NotFoundError):
        access_class(teacher, world.class_a1.id, Perm.VIEW_CLASS)


def test_subject_teacher_reaches_only_the_classes_and_subjects_taught(world: World) -> None:
    teacher = world.teacher_a
    assert list(classes_visible(teacher)) == [world.class_a1]
    assert can(teacher, Perm.ENTER_MARKS, world.assignment_a)
    assert can(teacher, Perm.VIEW_STUDENT, world.student_a1)
    assert not can(teacher, Perm.VIEW_CLASS, world.class_a2)
    assert not can(teacher, Perm.LOCK_BOOK, world.class_a1)
    # another teacher of the same school does not get the assignment's rights
    assert not can(world.homeroom_a, Perm.ENTER_MARKS, world.assignment_a)


def test_homeroom_teacher_reaches_their_own_class(world: World) -> None:
    assert list(classes_visible(world.homeroom_a)) == [world.class_a2]
    assert can(world.homeroom_a, Perm.ENTER_HOMEROOM, world.class_a2)
    assert not can(world.homeroom_a, Perm.ENTER_HOMEROOM, world.class_a1)


def test_principal_reaches_every_class_of_the_school_and_locks(world: World) -> None:
    assert set(classes_visible(world.principal_a)) == {world.class_a1, world.class_a2}
    assert can(world.principal_a, Perm.LOCK_BOOK, world.class_a1)
    assert can(world.principal_a, Perm.MANAGE_ACCOUNTS, world.school_a)
    assert not can(world.principal_a, Perm.VIEW_CLASS, world.class_b1)


def test_inspector_reads_but_never_writes_and_only_in_the_period(world: World) -> None:
    inspector = world.inspector
    assert can(inspector, Perm.VIEW_MARKS, world.class_b1)
    for perm in (Perm.ENTER_MARKS, Perm.LOCK_BOOK, Perm.EDIT_STUDENT, Perm.MANAGE_ACCOUNTS):
        assert not can(inspector, perm, world.class_b1)
    assert scope_of(inspector, on=dt.date(2025, 1, 1)).school_ids == set()


def test_parent_sees_their_child_and_nothing_else(world: World) -> None:
    parent = world.parent_a
    assert can(parent, Perm.VIEW_MARKS, world.student_a1)
    assert not can(parent, Perm.VIEW_MARKS, world.student_b1)
    assert not can(parent, Perm.VIEW_CLASS, world.class_a1)
    assert list(classes_visible(parent)) == []


def test_anonymous_and_disabled_users_reach_nothing(world: World) -> None:
    assert not can(AnonymousUser(), Perm.VIEW_CLASS, world.class_a1)
    world.principal_a.is_active = False
    world.principal_a.save()
    assert not can(world.principal_a, Perm.VIEW_CLASS, world.class_a1)


def test_an_expired_grant_gives_nothing(world: World) -> None:
    RoleAssignment.objects.filter(user=world.principal_a).update(valid_to=dt.date(2020, 1, 1))
    world.principal_a.refresh_from_db()
    assert list(classes_visible(world.principal_a)) == []


def test_scope_is_computed_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    RoleAssignment.objects.create(
        user=world.teacher_a, role=Role.HOMEROOM_TEACHER, unit=world.school_a
    )
    world.teacher_a.refresh_from_db()
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        scope_of(world.teacher_a)


def test_the_api_lists_only_the_callers_classes(world: World) -> None:
    client = Client()
    client.force_login(world.teacher_b)
    names = [row["name"] for row in client.get("/api/v1/classes/").json()]
    assert names == ["10B1"]
    client.force_login(world.district_officer)
    names = [row["name"] for row in client.get("/api/v1/classes/").json()]
    assert names == ["10A1", "10A2"]


def test_a_teacher_changing_the_id_in_the_url_gets_404(world: World) -> None:
    client = Client()
    client.force_login(world.teacher_b)
    response = client.get(f"/lop/{world.class_a1.uuid}/")
    assert response.status_code == 404
