"""Recording events: one chain per unit, continuous, exact values, registered kinds only."""

from __future__ import annotations

import itertools
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory, override_settings

from hoso.audit import registry
from hoso.audit.errors import (
    ActionConflictError,
    AppendOnlyError,
    AuditTransactionError,
    InvalidActionNameError,
    InvalidChangeError,
    UnknownActionError,
)
from hoso.audit.hashing import event_hash
from hoso.audit.models import GENESIS_HASH, AuditChain, AuditEvent
from hoso.audit.services import Change, ClientInfo, audit_record, client_info_from_request
from hoso.audit.verify import verify_chains
from tests.audit.conftest import AuditWorld


def _record(
    world: AuditWorld, unit: object, action: str = "marks.saved", **kw: object
) -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor=world.principal_a, action=action, unit=unit, **kw)  # type: ignore[arg-type]


def test_events_of_two_schools_form_two_continuous_chains(audit_world: AuditWorld) -> None:
    # Given two schools
    a, b = audit_world.school_a, audit_world.school_b
    # When events are recorded in both, interleaved
    events = [_record(audit_world, unit) for unit in (a, b, a, a, b)]
    # Then each school has its own chain numbered 1, 2, 3… linked by hash from the genesis
    for unit, expected_seqs in ((a, [1, 2, 3]), (b, [1, 2])):
        chain = AuditChain.objects.get(unit=unit)
        mine = [event for event in events if event.unit_id == unit.pk]
        assert [event.seq for event in mine] == expected_seqs
        assert mine[0].prev_hash == GENESIS_HASH
        for previous, event in itertools.pairwise(mine):
            assert event.prev_hash == previous.hash
        assert (chain.last_seq, chain.last_hash) == (mine[-1].seq, mine[-1].hash)
    # And every stored hash is the recomputed one, read back from the database
    for stored in AuditEvent.objects.all():
        assert event_hash(stored) == stored.hash


def test_a_column_save_is_one_event_listing_every_cell_with_exact_text(
    audit_world: AuditWorld,
) -> None:
    # Given a column of 45 marks, some Decimals with trailing zeros
    changes = [
        Change(object=f"student:{n}", field="tx1", old=None, new=Decimal("8.50") if n % 2 else 9)
        for n in range(45)
    ]
    # When the save is recorded
    event = _record(
        audit_world,
        audit_world.school_a,
        changes=changes,
        summary="Lưu điểm Toán 10A1",
        reason="Nhập điểm",
        approval_ref=None,
        school_year="2025-2026",
    )
    # Then it is one event with 45 cells, each value a string with its exact digits
    stored = AuditEvent.objects.get(pk=event.pk)
    assert AuditEvent.objects.count() == 1
    assert len(stored.changes) == 45
    assert stored.changes[1] == {"object": "student:1", "field": "tx1", "old": None, "new": "8.50"}
    assert stored.changes[0]["new"] == "9"
    assert stored.school_year == "2025-2026" and stored.approval_ref is None


def test_text_is_stored_in_nfc(audit_world: AuditWorld) -> None:
    # Given a reason typed in decomposed Unicode (a combining tone mark, as some keyboards send)
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" as e + circumflex + tilde
    # When it is recorded
    event = _record(audit_world, audit_world.school_a, reason=decomposed)
    # Then the stored text is the composed form, and the hash still verifies
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.reason == "Nguyễn"
    assert event_hash(stored) == stored.hash


def test_a_float_mark_is_refused(audit_world: AuditWorld) -> None:
    with pytest.raises(InvalidChangeError):
        _record(audit_world, audit_world.school_a, changes=[Change("m", "tx1", None, 8.5)])
    assert not AuditEvent.objects.exists()


def test_a_change_without_old_and_new_is_refused(audit_world: AuditWorld) -> None:
    with pytest.raises(InvalidChangeError):
        _record(audit_world, audit_world.school_a, changes=[{"field": "tx1", "new": "8"}])


def test_an_unregistered_action_is_refused_and_nothing_written(audit_world: AuditWorld) -> None:
    # When a service records a kind nobody registered (a typo)
    with pytest.raises(UnknownActionError) as raised:
        _record(audit_world, audit_world.school_a, action="marks.savd")
    # Then it fails loudly, in Vietnamese, and no event or chain was written
    assert "chưa được đăng ký" in raised.value.message
    assert not AuditEvent.objects.exists()


def test_the_registry_describes_every_kind_in_vietnamese() -> None:
    assert registry.ACTIONS["auth.login"] == "Đăng nhập"
    assert registry.describe("marks.saved") == "Lưu điểm"
    assert registry.describe("book.locked") == "Khóa sổ"
    for name, description in registry.ACTIONS.items():
        assert registry.ACTION_NAME.match(name) and description


def test_register_refuses_bad_names_and_conflicting_descriptions() -> None:
    assert registry.register("auth.login", "Đăng nhập") == "auth.login"  # same again: harmless
    with pytest.raises(ActionConflictError):
        registry.register("auth.login", "Vào hệ thống")
    for bad in ("login", "Auth.Login", "auth.", "auth login", "auth.login-failed"):
        with pytest.raises(InvalidActionNameError):
            registry.register(bad, "x")
    with pytest.raises(TypeError):
        registry.ACTIONS["x.y"] = "z"  # type: ignore[index]


def test_events_without_a_unit_share_the_one_system_chain(audit_world: AuditWorld) -> None:
    # When two events belong to no unit
    first = _record(audit_world, None, action="auth.login_failed")
    second = _record(audit_world, None, action="auth.login_failed")
    # Then they are consecutive in one chain
    assert first.chain_id == second.chain_id and (first.seq, second.seq) == (1, 2)
    # And the database refuses a second system chain (NULLs are not distinct here)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditChain.objects.create(unit=None)


def test_a_second_chain_for_one_unit_is_refused(audit_world: AuditWorld) -> None:
    _record(audit_world, audit_world.school_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditChain.objects.create(unit=audit_world.school_a)


def test_target_client_and_actor_are_recorded(audit_world: AuditWorld) -> None:
    # Given a request from a browser
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox/130")
    # When an event names its target object and comes with the request
    event = _record(
        audit_world, audit_world.school_a, target=audit_world.teacher_b, request=request
    )
    # Then who, from where and on what are all there
    assert event.actor_id == audit_world.principal_a.pk
    assert event.actor_username == "principal_a"
    assert (event.ip_address, event.user_agent) == ("203.0.113.7", "Firefox/130")
    assert (event.target_type, event.target_id) == ("accounts.user", str(audit_world.teacher_b.pk))
    # And explicit client info wins over the request
    event2 = _record(
        audit_world, audit_world.school_a, request=request, client=ClientInfo("2001:DB8::1", "cli")
    )
    assert (event2.ip_address, event2.user_agent) == ("2001:db8::1", "cli")


def test_forwarded_for_is_trusted_only_behind_declared_proxies() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    # Without a declared proxy the header is the client's word: ignored
    assert client_info_from_request(request).ip == "10.0.0.2"
    # Behind one proxy, the address it appended (the rightmost) is the client's
    with override_settings(HOSO_PROXY_COUNT=1):
        assert client_info_from_request(request).ip == "198.51.100.4"
    assert client_info_from_request(None) == ClientInfo()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_audit_record_refuses(audit_world: AuditWorld) -> None:
    # Given no open transaction (autocommit): a change saved here would commit without its event
    # When audit_record is called
    with pytest.raises(AuditTransactionError) as raised:
        audit_record(actor=audit_world.principal_a, action="marks.saved", unit=audit_world.school_a)
    # Then it refuses, says why in Vietnamese, and writes nothing
    assert "cùng giao dịch" in raised.value.message
    assert not AuditEvent.objects.exists()


def test_the_event_rolls_back_with_the_change_it_describes(audit_world: AuditWorld) -> None:
    # Given a service whose write fails after recording its event
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=audit_world.principal_a, action="marks.saved", unit=audit_world.school_a)
        raise RuntimeError("the write failed")
    # Then neither the event nor the chain head moved
    assert not AuditEvent.objects.exists()
    assert not AuditChain.objects.filter(unit=audit_world.school_a, last_seq__gt=0).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers with its file lock"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_school_keep_one_unbroken_chain(
    audit_world: AuditWorld,
) -> None:
    # Given eight writers that start together on a school whose chain does not exist yet
    writers, each = 8, 5
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                with transaction.atomic():
                    audit_record(actor=None, action="marks.saved", unit=audit_world.school_a)
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    # When they all append at once
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then no writer failed, one chain was created and it is numbered 1…40 without a fork
    assert errors == []
    assert AuditChain.objects.filter(unit=audit_world.school_a).count() == 1
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * each + 1))
    report = verify_chains()
    assert report.ok and report.events == writers * each


def test_a_saved_event_cannot_be_saved_again_or_deleted(audit_world: AuditWorld) -> None:
    # Given a recorded event
    event = _record(audit_world, audit_world.school_a)
    # When code tries to edit and save it, or delete it, through the ORM
    event.summary = "sửa lén"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    # Then it is unchanged and still verifies
    assert AuditEvent.objects.get(pk=event.pk).summary == ""
    assert verify_chains().ok
