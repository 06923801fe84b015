"""The hash of an audit event: SHA-256 over the canonical JSON of every stored field.

Canonical JSON: keys sorted, no whitespace, UTF-8 with non-ASCII characters as they are
(``ensure_ascii=False``), datetimes as ISO 8601 in UTC with microseconds, foreign keys as their
integer ids. Text is NFC-normalised once, when the event is recorded (services.py); the verifier
hashes the stored values exactly as they are, so any later change of bytes — even one that looks
the same on screen — is detected. ``prev_hash`` is part of the hashed object, which is what chains
the events. Changing this formula is a new ``HASH_VERSION``, never an edit of version 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hoso.audit.models import AuditEvent

HASH_VERSION = 1


def canonical_time(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime in an audit event")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "v": HASH_VERSION,
        "uuid": str(event.uuid),
        "unit": event.unit_id,
        "seq": event.seq,
        "prev_hash": event.prev_hash,
        "occurred_at": canonical_time(event.occurred_at),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "summary": event.summary,
        "changes": event.changes,
        "reason": event.reason,
        "approval_ref": event.approval_ref,
        "school_year": event.school_year,
    }


def canonical_json(payload: Any) -> bytes:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_json(event_payload(event))).hexdigest()
