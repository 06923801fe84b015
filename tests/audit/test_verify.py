"""``audit_verify``: an intact trail passes; tampering behind the application's back is named."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from hoso.audit.models import AuditChain, AuditEvent
from hoso.audit.services import Change, audit_record
from hoso.audit.verify import CHAIN_HEAD, HASH, PREV_HASH, SEQ_GAP, verify_chains
from hoso.organizations.models import Unit
from tests.audit.conftest import AuditWorld, tampering_as_superuser

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def _events(world: AuditWorld, unit: Unit, count: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            audit_record(
                actor=world.principal_a,
                action="marks.saved",
                unit=unit,
                changes=[Change(object=f"student:{n}", field="tx1", old=None, new="8.5")],
            )
            for n in range(count)
        ]


def _verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_intact_trail_exits_0_and_counts_the_events(audit_world: AuditWorld) -> None:
    # Given events in two schools and the district office
    _events(audit_world, audit_world.school_a, 3)
    _events(audit_world, audit_world.school_b, 2)
    _events(audit_world, audit_world.district, 1)
    # When the trail is verified
    code, output = _verify()
    # Then it is intact and says how many events it read
    assert code == 0
    assert "nguyên vẹn: 6 sự kiện trong 3 chuỗi" in output
    # And one school alone can be verified
    code, output = _verify("--school", "THPT-AUD-B")
    assert (code, "2 sự kiện trong 1 chuỗi" in output) == (0, True)


def test_an_empty_trail_is_intact(db: None) -> None:
    assert _verify() == (0, "Nhật ký kiểm tra nguyên vẹn: 0 sự kiện trong 0 chuỗi.\n")


def test_an_unknown_school_code_is_a_usage_error(db: None) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify", "--school", "KHONG-CO")
    assert raised.value.returncode == 2 and "KHONG-CO" in str(raised.value)


@on_postgresql
def test_postgresql_refuses_update_and_delete_of_an_event(audit_world: AuditWorld) -> None:
    # Given a recorded event
    (event,) = _events(audit_world, audit_world.school_a, 1)
    # When anyone — raw SQL or the ORM — tries to change or delete it
    attempts = [
        lambda: _raw("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["x", event.pk]),
        lambda: _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk]),
        lambda: AuditEvent.objects.filter(pk=event.pk).update(reason="sửa lén"),
    ]
    for attempt in attempts:
        # Then the trigger refuses, in Vietnamese
        with pytest.raises(IntegrityError) as raised, transaction.atomic():
            attempt()
        assert "chỉ được ghi thêm" in str(raised.value)
    # And the chain head (not an event) stays updatable: the next append works
    _events(audit_world, audit_world.school_a, 1)
    assert _verify()[0] == 0


def test_a_raw_sql_update_of_an_events_changes_is_detected(audit_world: AuditWorld) -> None:
    # Given a school's trail of three mark saves
    events = _events(audit_world, audit_world.school_a, 3)
    victim = events[1]
    forged = json.dumps([{"object": "student:1", "field": "tx1", "old": None, "new": "10"}])
    sql = "UPDATE audit_auditevent SET changes = %s WHERE id = %s"
    if connection.vendor == "postgresql":
        # On PostgreSQL the application's connection cannot even do it
        with pytest.raises(DatabaseError), transaction.atomic():
            _raw(sql, [forged, victim.pk])
    # When a database superuser rewrites the mark in the event behind the application's back
    with tampering_as_superuser():
        _raw(sql, [forged, victim.pk])
    # Then audit_verify exits 1 and names the event, its chain and what differs
    code, output = _verify()
    assert code == 1
    assert f"sự kiện id={victim.pk}" in output
    assert "Chuỗi THPT-AUD-A" in output and "số thứ tự 2" in output
    assert "hash:" in output
    report = verify_chains()
    assert report.first_break is not None
    assert (report.first_break.event_id, report.first_break.kind) == (victim.pk, HASH)


def test_a_deleted_event_is_a_seq_gap(audit_world: AuditWorld) -> None:
    # Given four events; the second is deleted behind the application's back
    events = _events(audit_world, audit_world.school_a, 4)
    with tampering_as_superuser():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    # Then the event after the hole is named, with the gap
    code, output = _verify()
    assert code == 1 and f"sự kiện id={events[2].pk}" in output and "seq gap" in output
    first = verify_chains().first_break
    assert first is not None and (first.kind, first.expected, first.found) == (SEQ_GAP, "2", "3")


def test_a_deleted_last_event_is_caught_by_the_chain_head(audit_world: AuditWorld) -> None:
    # Given the newest event deleted (no later event shows a gap)
    events = _events(audit_world, audit_world.school_a, 3)
    with tampering_as_superuser():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    # Then the chain's head no longer matches its last event
    code, output = _verify("--school", "THPT-AUD-A")
    assert code == 1 and "chain head" in output and f"sự kiện id={events[1].pk}" in output
    first = verify_chains().first_break
    assert first is not None and first.kind == CHAIN_HEAD


def test_an_edited_prev_hash_is_detected(audit_world: AuditWorld) -> None:
    # Given an event re-linked to a forged predecessor
    events = _events(audit_world, audit_world.school_a, 3)
    with tampering_as_superuser():
        _raw("UPDATE audit_auditevent SET prev_hash = %s WHERE id = %s", ["f" * 64, events[2].pk])
    # Then the broken link is named
    code, output = _verify()
    assert code == 1 and f"sự kiện id={events[2].pk}" in output and "prev_hash" in output
    first = verify_chains().first_break
    assert first is not None and first.kind == PREV_HASH


def test_a_rewritten_chain_head_is_detected(audit_world: AuditWorld) -> None:
    # Given the head row pointed at a forged hash (the head is updatable: it is not an event)
    _events(audit_world, audit_world.school_a, 2)
    AuditChain.objects.filter(unit=audit_world.school_a).update(last_hash="e" * 64)
    # Then verify says the head differs
    assert verify_chains().first_break is not None
    assert _verify()[0] == 1


def test_tampering_in_one_school_leaves_the_other_intact(audit_world: AuditWorld) -> None:
    # Given tampering in school A only
    events = _events(audit_world, audit_world.school_a, 2)
    _events(audit_world, audit_world.school_b, 2)
    with tampering_as_superuser():
        _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", events[0].pk])
    # Then school B verifies clean and school A does not
    assert _verify("--school", "THPT-AUD-B")[0] == 0
    report = verify_chains()
    assert [item.chain_name for item in report.breaks] == ["THPT-AUD-A"]
