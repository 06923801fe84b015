"""Recording audit events: the only code that writes :class:`AuditEvent` rows.

Every write service calls :func:`audit_record` exactly once, inside its own transaction, listing
everything it changed (a column of 45 marks is one event with 45 changes). Call it as the *last*
write of the transaction: it locks the chain's head row until the transaction ends, so the later
it comes, the shorter other writers of the same school wait (interfaces.md: the chain's lock is
taken only for the moment of appending).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import ipaddress
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from hoso.audit import registry
from hoso.audit.errors import AuditTransactionError, InvalidChangeError
from hoso.audit.hashing import event_hash
from hoso.audit.models import AuditChain, AuditEvent

if TYPE_CHECKING:
    from hoso.accounts.models import User
    from hoso.organizations.models import Unit

USER_AGENT_MAX = AuditEvent._meta.get_field("user_agent").max_length or 300
_TEXT_LIMITS = {
    "actor_username": 150,
    "target_type": 64,
    "target_id": 128,
    "approval_ref": 128,
    "school_year": 16,
}


@dataclass(frozen=True)
class ClientInfo:
    """Where a request came from: the address and the client software, as recorded."""

    ip: str = ""
    user_agent: str = ""


@dataclass(frozen=True)
class Change:
    """One changed value: ``object`` names the row (e.g. ``"mark:123"`` or a student's name and
    column), ``field`` the column; ``old``/``new`` are None when the value did not exist."""

    object: str
    field: str
    old: Any
    new: Any


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _normalise_ip(raw: str) -> str:
    raw = raw.strip()
    if not raw:
        return ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return raw[:45]


def client_info_from_request(request: HttpRequest | None) -> ClientInfo:
    """The client's address and user agent.

    ``REMOTE_ADDR`` is the address unless ``HOSO_PROXY_COUNT`` (settings, default 0) says how many
    reverse proxies we trust in front of the application; then the address is taken that many
    entries from the right of ``X-Forwarded-For`` (the left part is client-supplied and can lie).
    """
    if request is None:
        return ClientInfo()
    meta = request.META
    ip = str(meta.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "HOSO_PROXY_COUNT", 0) or 0)
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", "") or "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            ip = hops[-proxies]
    agent = str(meta.get("HTTP_USER_AGENT", "") or "")
    return ClientInfo(ip=_normalise_ip(ip), user_agent=_nfc(agent)[:USER_AGENT_MAX])


def audit_value(value: Any) -> str | None:
    """A changed value as the text the event stores: Decimal keeps its exact digits ("8.5" stays
    "8.5", "8.50" stays "8.50"), dates are ISO, None stays None. Floats are refused: marks are
    never floats (style.md, dangerous constructs)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        raise InvalidChangeError(f"{InvalidChangeError.default_message} (số thực: {value!r})")
    if isinstance(value, enum.Enum):
        return audit_value(value.value)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise InvalidChangeError(f"{InvalidChangeError.default_message} (giờ không múi giờ)")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return _nfc(str(value))


def _normalise_change(change: Change | Mapping[str, Any]) -> dict[str, str | None]:
    if isinstance(change, Change):
        items: Mapping[str, Any] = {
            "object": change.object,
            "field": change.field,
            "old": change.old,
            "new": change.new,
        }
    elif isinstance(change, Mapping):
        items = change
    else:
        raise InvalidChangeError()
    if "field" not in items or "old" not in items or "new" not in items:
        raise InvalidChangeError(
            f"{InvalidChangeError.default_message} (cần 'field', 'old', 'new')"
        )
    normalised: dict[str, str | None] = {"object": ""}
    for key, value in items.items():
        if not isinstance(key, str):
            raise InvalidChangeError()
        normalised[_nfc(key)] = audit_value(value)
    return normalised


def _text(value: str | None, limit: int | None = None) -> str:
    text = _nfc(value or "")
    return text[:limit] if limit else text


def _optional_text(value: str | None, limit: int) -> str | None:
    return None if value is None else _text(value, limit)


def _lock_chain(unit: Unit | None) -> AuditChain:
    """The chain's head row, locked until the transaction ends (created on first use).

    Two first writers of one unit may both find no row: the unique constraint lets one insert
    win, the other's insert fails inside its savepoint and it reads the winner's row.
    """
    chains = AuditChain.objects.select_for_update()
    chain = chains.filter(unit=unit).first()
    if chain is None:
        try:
            with transaction.atomic():
                AuditChain.objects.create(unit=unit)
        except IntegrityError:
            pass
        chain = chains.get(unit=unit)
    return chain


def audit_record(
    *,
    actor: User | None,
    action: str,
    unit: Unit | None,
    target_type: str = "",
    target_id: str | int = "",
    summary: str = "",
    changes: Iterable[Change | Mapping[str, Any]] = (),
    reason: str = "",
    approval_ref: str | None = None,
    request: HttpRequest | None = None,
    client: ClientInfo | None = None,
    school_year: str | None = None,
    target: models.Model | None = None,
    actor_username: str | None = None,
) -> AuditEvent:
    """Append one event to ``unit``'s chain (``unit=None``: the system chain) and return it.

    Must run inside the caller's transaction (``transaction.atomic``), so that the change and its
    event commit or roll back together; raises :class:`AuditTransactionError` otherwise.
    ``action`` must be registered (:mod:`hoso.audit.registry`). ``target`` fills ``target_type``
    (``app_label.model``) and ``target_id`` (its pk) when they are not given. ``client`` wins
    over ``request`` for the address and user agent. ``actor_username`` defaults to the actor's.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditTransactionError()
    registry.require(action)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    info = client if client is not None else client_info_from_request(request)
    normalised_changes = [_normalise_change(change) for change in changes]
    if actor_username is None:
        actor_username = actor.get_username() if actor is not None else ""

    chain = _lock_chain(unit)
    event = AuditEvent(
        chain=chain,
        unit=unit,
        seq=chain.last_seq + 1,
        prev_hash=chain.last_hash,
        # Taken after the lock, so time never runs backwards along a chain.
        occurred_at=timezone.now(),
        actor=actor,
        actor_username=_text(actor_username, _TEXT_LIMITS["actor_username"]),
        ip_address=_normalise_ip(info.ip),
        user_agent=_text(info.user_agent, USER_AGENT_MAX),
        action=action,
        target_type=_text(target_type, _TEXT_LIMITS["target_type"]),
        target_id=_text(str(target_id), _TEXT_LIMITS["target_id"]),
        summary=_text(summary),
        changes=normalised_changes,
        reason=_text(reason),
        approval_ref=_optional_text(approval_ref, _TEXT_LIMITS["approval_ref"]),
        school_year=_optional_text(school_year, _TEXT_LIMITS["school_year"]),
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    AuditChain.objects.filter(pk=chain.pk).update(last_seq=event.seq, last_hash=event.hash)
    chain.last_seq, chain.last_hash = event.seq, event.hash
    return event
