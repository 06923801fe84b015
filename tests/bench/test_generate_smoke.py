"""The synthetic-province generator of ``bench/`` (issue 9) at a tiny scale, so it never rots:
the rows it writes fit the current schema, the counts add up, and the audit chains it builds
with the audit app's own hash verify."""

from __future__ import annotations

import pytest
from bench.generate import Plan, generate

from hoso.academics.models import Enrollment, SchoolClass, Student, TeachingAssignment
from hoso.accounts.models import User
from hoso.assessment.models import Mark, MarkRevision
from hoso.audit.models import AuditChain, AuditEvent
from hoso.audit.verify import verify_chains
from hoso.organizations.models import Unit


@pytest.mark.django_db
def test_generate_tiny_province() -> None:
    summary = generate(Plan(schools=2, students=90, big_school=0), progress=lambda _: None)

    assert Unit.objects.filter(kind="school", code__startswith="BS").count() == 2
    assert Student.objects.count() == 90
    assert Enrollment.objects.count() == 90
    classes = list(SchoolClass.objects.all())
    assert all(1 <= Enrollment.objects.filter(school_class=c).count() <= 45 for c in classes)
    assert TeachingAssignment.objects.count() > 0
    assert User.objects.filter(username="so.bench").exists()
    marks = Mark.objects.count()
    assert marks > 90 * 10
    assert MarkRevision.objects.count() == marks
    assert summary.counts[Mark._meta.db_table] == marks
    # One event per teaching assignment and semester, chained per school.
    assert AuditEvent.objects.count() == 2 * TeachingAssignment.objects.count()
    assert AuditChain.objects.count() == 2
    assert verify_chains().ok
    # Every revision points to its event; every mark is entered, draft, version 1.
    assert not MarkRevision.objects.filter(event_id__isnull=True).exists()
    assert not Mark.objects.exclude(version=1).exists()
    assert not Mark.objects.filter(value__isnull=True, comment="").exists()


def test_plan_is_deterministic() -> None:
    import random

    from bench.generate import SEED, _schools_plan

    plan = Plan.at_scale(0.05)
    assert (plan.schools, plan.students) == (50, 30_000)
    first = _schools_plan(plan, random.Random(SEED))
    assert first == _schools_plan(plan, random.Random(SEED))
    assert sum(sum(sizes) for _, sizes in first) == 30_000
    assert sum(first[0][1]) == 1_500 and first[0][1][0] == 45  # the big school, 6A1
    assert max(size for _, sizes in first for size in sizes) <= 45
