"""The audit browser (issue 6; R4.3, R15): scoped to the reader's chains, filtered by person,
class, student, subject, kind and date; one mark's history; Excel export recorded as
``export.created``; an inspector's reading recorded as ``audit.viewed``."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from hoso.audit.browser import AuditFilters, audit_events_browse, mark_history
from hoso.audit.models import AuditEvent
from hoso.core.errors import NotFoundError
from hoso.workflow.services import ItemInput, correction_request_approve, correction_request_submit
from tests.workflow import conftest as workflow_conftest
from tests.workflow.conftest import TODAY, Corrections, png_evidence

# The correction personas' fixture (tests/workflow/conftest.py), shared with these tests.
corr = workflow_conftest.corr


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def corrected(corr: Corrections) -> None:
    request = correction_request_submit(
        actor=corr.world.teacher_a,
        assignment=corr.world.assignment_a,
        semester=1,
        items=[ItemInput(corr.tx1.id, "8,5")],
        reason="Nhầm",
        evidence=[png_evidence()],
        today=TODAY,
    )
    correction_request_approve(actor=corr.world.principal_a, request=request)


def actions(events: Any) -> list[str]:
    return [e.action for e in events]


def test_the_principal_sees_their_schools_chain_only(corr: Corrections) -> None:
    world = corr.world
    corrected(corr)
    seen = audit_events_browse(actor=world.principal_a, filters=AuditFilters())
    assert {e.unit_id for e in seen} == {world.school_a.id}
    assert "correction.applied" in actions(seen)
    # teacher B, a teacher of school A, a parent: nothing (the page is 404 for them)
    for outsider in (world.teacher_b, world.teacher_a, world.parent_a):
        assert not audit_events_browse(actor=outsider, filters=AuditFilters()).exists()
        assert logged_in(outsider).get(reverse("audit-browse")).status_code == 404


def test_filters_by_person_class_student_subject_kind_and_date(corr: Corrections) -> None:
    world = corr.world
    corrected(corr)

    def found(**kwargs: Any) -> list[str]:
        return actions(audit_events_browse(actor=world.principal_a, filters=AuditFilters(**kwargs)))

    assert set(found(person="teacher_a")) == {
        "marks.saved",
        "marks.submitted",
        "correction.requested",
    }
    assert found(person="principal_a", action="correction.") == ["correction.applied"]
    assert "correction.applied" in found(class_name="10A1", student="001", subject="toan")
    assert found(student="999") == [] and found(class_name="10A2") == []
    assert found(action="correction.requested") == ["correction.requested"]
    today = dt.date.today()
    assert len(found(date_from=today - dt.timedelta(days=1), date_to=today)) >= 4
    assert found(date_to=dt.date(2020, 1, 1)) == []


def test_the_inspector_reads_every_school_in_scope_and_is_recorded(corr: Corrections) -> None:
    world = corr.world
    corrected(corr)
    client = logged_in(world.inspector)
    before = AuditEvent.objects.filter(action="audit.viewed").count()
    page = client.get(reverse("audit-browse"), {"school": "THPT-A", "action": "correction."})
    assert page.status_code == 200 and "correction.applied" in page.content.decode()
    viewed = AuditEvent.objects.filter(action="audit.viewed")
    assert viewed.count() == before + 1
    event = viewed.latest("id")
    assert event.actor == world.inspector and event.unit == world.school_a
    assert "school=THPT-A" in event.summary
    # The principal's reading is not an inspection: not recorded
    logged_in(world.principal_a).get(reverse("audit-browse"))
    assert AuditEvent.objects.filter(action="audit.viewed").count() == before + 1


def test_one_marks_history_from_first_entry_to_today(corr: Corrections) -> None:
    world = corr.world
    corrected(corr)
    history = mark_history(actor=world.principal_a, mark_id=corr.tx1.id)
    assert [(s.old_text, s.new_text) for s in history.steps] == [
        ("", "6,0"),
        ("6,0", "6,0"),
        ("6,0", "8,5"),
    ]
    assert [s.event.action if s.event else None for s in history.steps] == [
        "marks.saved",
        "marks.submitted",
        "correction.applied",
    ]
    assert history.locked and history.current_text == "8,5"
    page = logged_in(world.inspector).get(reverse("audit-mark-history", args=[corr.tx1.id]))
    assert page.status_code == 200 and "correction.applied" in page.content.decode()
    with pytest.raises(NotFoundError):
        mark_history(actor=world.teacher_b, mark_id=corr.tx1.id)
    assert (
        logged_in(world.teacher_b)
        .get(reverse("audit-mark-history", args=[corr.tx1.id]))
        .status_code
        == 404
    )


def test_export_to_excel_is_recorded(corr: Corrections) -> None:
    world = corr.world
    corrected(corr)
    response = logged_in(world.principal_a).get(reverse("audit-export"), {"action": "correction."})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã sự kiện"
    assert sorted(r[6] for r in rows[1:]) == ["correction.applied", "correction.requested"]
    assert any("6,0 → 8,5" in (r[10] or "") for r in rows[1:])
    export = AuditEvent.objects.filter(action="export.created").latest("id")
    assert export.actor == world.principal_a and "2 sự kiện" in export.summary


def test_the_browser_costs_a_fixed_number_of_queries(
    corr: Corrections, django_assert_max_num_queries: Any
) -> None:
    corrected(corr)
    client = logged_in(corr.world.principal_a)
    client.get(reverse("audit-browse"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audit-browse"), {"class_name": "10A1"}).status_code == 200
