"""Two schools, a district office and the people who act in them, for the audit tests:
``principal_a`` of school A, ``teacher_b`` of school B, ``district_officer`` of the district."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import connection

from hoso.accounts.models import Role, User
from hoso.audit.append_only import TRIGGER_NAME
from hoso.organizations.models import Unit
from tests.factories import (
    DistrictFactory,
    ProvinceFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)


@dataclass
class AuditWorld:
    province: Unit
    district: Unit
    school_a: Unit
    school_b: Unit
    principal_a: User
    teacher_b: User
    district_officer: User


@pytest.fixture
def audit_world(db: None) -> AuditWorld:
    province = ProvinceFactory(code="SO-AUD")
    district = DistrictFactory(code="PGD-AUD", parent=province)
    school_a = UnitFactory(code="THPT-AUD-A", parent=district)
    school_b = UnitFactory(code="THPT-AUD-B", parent=province)
    principal_a = UserFactory(username="principal_a")
    RoleAssignmentFactory(user=principal_a, role=Role.PRINCIPAL, unit=school_a)
    teacher_b = UserFactory(username="teacher_b")
    RoleAssignmentFactory(user=teacher_b, role=Role.SUBJECT_TEACHER, unit=school_b)
    district_officer = UserFactory(username="district_officer")
    RoleAssignmentFactory(user=district_officer, role=Role.DISTRICT_OFFICER, unit=district)
    return AuditWorld(
        province=province,
        district=district,
        school_a=school_a,
        school_b=school_b,
        principal_a=principal_a,
        teacher_b=teacher_b,
        district_officer=district_officer,
    )


@contextmanager
def tampering_as_superuser() -> Iterator[None]:
    """What a database superuser can do behind the application's back: switch the append-only
    trigger off (PostgreSQL; SQLite has none). Inside the test's transaction, so rolled back."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # The test's own inserts left deferred foreign-key checks pending; ALTER TABLE refuses to
        # run over them, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER_NAME}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER_NAME}")
