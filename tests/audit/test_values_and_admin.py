"""How changed values are written, and the read-only admin."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from hoso.accounts.models import Role
from hoso.audit.errors import InvalidChangeError
from hoso.audit.hashing import canonical_json, event_hash, event_payload
from hoso.audit.models import AuditEvent
from hoso.audit.services import audit_record, audit_value
from tests.audit.conftest import AuditWorld


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (Decimal("8.5"), "8.5"),
        (Decimal("10.00"), "10.00"),
        (7, "7"),
        (True, "true"),
        (False, "false"),
        ("Đạt", "Đạt"),
        (dt.date(2026, 5, 20), "2026-05-20"),
        (dt.datetime(2026, 5, 20, 8, 30, tzinfo=dt.UTC), "2026-05-20T08:30:00.000000+00:00"),
        (Role.PRINCIPAL, "principal"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    ],
)
def test_changed_values_are_stored_as_exact_text(value: object, text: str | None) -> None:
    assert audit_value(value) == text


@pytest.mark.parametrize("value", [8.5, dt.datetime(2026, 5, 20, 8, 30)])
def test_floats_and_naive_datetimes_are_refused(value: object) -> None:
    with pytest.raises(InvalidChangeError):
        audit_value(value)


def test_the_admin_shows_events_but_cannot_add_change_or_delete(
    client: Client, audit_world: AuditWorld
) -> None:
    # Given a superuser and one recorded event
    boss = audit_world.principal_a
    boss.is_staff = boss.is_superuser = True
    boss.save()
    with transaction.atomic():
        event = audit_record(actor=boss, action="book.locked", unit=audit_world.school_a)
    client.force_login(boss)
    # Then the list and the event can be read
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200
    # But not added or deleted, and a posted change changes nothing
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"summary": "sửa"})
    assert AuditEvent.objects.get(pk=event.pk).summary == ""
    assert client.get(reverse("admin:audit_auditchain_changelist")).status_code == 200


HANOI = dt.timezone(dt.timedelta(hours=7))


def test_the_hash_formula_is_fixed() -> None:
    # Given an event with known fields (not saved)
    event = AuditEvent(
        uuid=uuid.UUID(int=7),
        unit_id=3,
        seq=2,
        prev_hash="a" * 64,
        occurred_at=dt.datetime(
            2026, 5, 20, 15, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=7))
        ),
        actor_id=None,
        actor_username="gvbm.tin",
        ip_address="127.0.0.1",
        user_agent="",
        action="marks.saved",
        target_type="",
        target_id="",
        summary="Lưu điểm",
        changes=[{"object": "hs:1", "field": "tx1", "old": None, "new": "8.5"}],
        reason="",
        approval_ref=None,
        school_year="2025-2026",
    )
    # Then its canonical form and hash are exactly those docs/audit.md describes; a change here
    # would make every stored event fail verification — a new formula is a new version instead
    assert canonical_json(event_payload(event)).decode() == (
        '{"action":"marks.saved","actor":null,"actor_username":"gvbm.tin","approval_ref":null,'
        '"changes":[{"field":"tx1","new":"8.5","object":"hs:1","old":null}],'
        '"ip_address":"127.0.0.1","occurred_at":"2026-05-20T08:04:05.000006+00:00",'
        f'"prev_hash":"{"a" * 64}","reason":"","school_year":"2025-2026","seq":2,'
        '"summary":"Lưu điểm","target_id":"","target_type":"","unit":3,"user_agent":"",'
        '"uuid":"00000000-0000-0000-0000-000000000007","v":1}'
    )
    assert event_hash(event) == hashlib.sha256(canonical_json(event_payload(event))).hexdigest()
    assert event_hash(event) == "b97efc4c1fd7661e5d5edb6d59246260b185682c9dec17d3511435a784fbdccb"
