"""A change made behind the application's back is detected (issue 6): a raw SQL UPDATE of a
mark's value (``marks_verify`` names the mark), and of an event (``audit_verify`` names it)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hoso.audit.marks_verify import EVENT, NO_REVISION, VALUE, verify_marks
from hoso.workflow.services import ItemInput, correction_request_approve, correction_request_submit
from tests.audit.conftest import tampering_as_superuser
from tests.workflow import conftest as workflow_conftest
from tests.workflow.conftest import TODAY, Corrections, png_evidence

# The correction personas' fixture (tests/workflow/conftest.py), shared with these tests.
corr = workflow_conftest.corr


def run(command: str, *args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(command, *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_marks_written_by_the_services_verify_clean(corr: Corrections) -> None:
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
    code, output = run("marks_verify")
    assert code == 0 and "2 điểm" in output
    assert run("audit_verify")[0] == 0


def test_a_raw_sql_update_of_a_marks_value_is_named(corr: Corrections) -> None:
    # Given a submitted 6,0 raised to 10 behind the application's back
    raw("UPDATE assessment_mark SET value = %s WHERE id = %s", ["10.0", corr.tx1.id])
    # Then marks_verify exits 1 and names the mark: id, class, student, subject, column
    code, output = run("marks_verify", "--school", "THPT-A")
    assert code == 1
    assert f"Điểm id={corr.tx1.id}" in output and "10A1 001 toan HK1 regular1" in output
    assert "value" in output and "'6,0'" in output and "'10,0'" in output
    (mismatch,) = verify_marks().mismatches
    assert (mismatch.mark_id, mismatch.kind) == (corr.tx1.id, VALUE)


def test_a_forged_revision_inserted_with_the_raw_update_is_named(corr: Corrections) -> None:
    # The forger also appends a revision (inserts pass the append-only trigger) citing an
    # existing event — which does not list the forged value
    raw(
        "UPDATE assessment_mark SET value = %s, version = version + 1 WHERE id = %s",
        ["10.0", corr.tx1.id],
    )
    raw(
        "INSERT INTO assessment_markrevision (mark_id, school_id, old_text, new_text, old_state,"
        " new_state, version, changed_by_id, changed_at, event_id, reason)"
        " SELECT id, school_id, '6,0', '10,0', 'submitted', 'submitted', version, NULL,"
        " CURRENT_TIMESTAMP, (SELECT MAX(id) FROM audit_auditevent), '' FROM assessment_mark"
        " WHERE id = %s",
        [corr.tx1.id],
    )
    (mismatch,) = verify_marks().mismatches
    assert (mismatch.mark_id, mismatch.kind) == (corr.tx1.id, EVENT)


def test_a_mark_inserted_without_history_is_named(corr: Corrections) -> None:
    raw(
        "INSERT INTO assessment_mark (school_id, year_id, enrollment_id, subject_id, semester,"
        ' kind, "index", value, comment, state, locked, version)'
        " SELECT school_id, year_id, enrollment_id, subject_id, 1, 'regular', 4, 9.0, '',"
        " 'submitted', %s, 1 FROM assessment_mark WHERE id = %s",
        [False, corr.tx1.id],
    )
    kinds = {m.kind for m in verify_marks().mismatches}
    assert kinds == {NO_REVISION}


def test_a_raw_sql_update_of_the_correction_event_fails_audit_verify(corr: Corrections) -> None:
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
    from hoso.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="correction.applied")
    with tampering_as_superuser():
        raw("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ["[]", event.pk])
    code, output = run("audit_verify")
    assert code == 1 and f"sự kiện id={event.pk}" in output and "hash" in output


def test_an_unknown_school_is_a_usage_error(db: None) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("marks_verify", "--school", "KHONG-CO")
    assert raised.value.returncode == 2
