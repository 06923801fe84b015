"""Walking the hash chains: recompute every event's hash in sequence order, chain by chain.

For each chain the walk checks, event by event: the sequence number follows the previous one
(a gap means an event was deleted), ``prev_hash`` equals the previous event's hash (the first
event's equals ``GENESIS_HASH``), the stored hash equals the recomputed one (a field was
changed), the event's unit is its chain's; at the end, the chain row's head (``last_seq``,
``last_hash``) equals the last event (events deleted at the tail, or a forged head). Only the
first break of each chain is reported — everything after it is suspect anyway.

Events stream in one query ordered by (chain, seq) — the unique index's order — in chunks of
2,000 rows, so a province's table never sits in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hoso.audit.hashing import event_hash
from hoso.audit.models import GENESIS_HASH, SYSTEM_CHAIN_NAME, AuditChain, AuditEvent

CHUNK_SIZE = 2000

# What differs, as the command prints it (stable tokens, for scripts and tests).
HASH = "hash"
PREV_HASH = "prev_hash"
SEQ_GAP = "seq gap"
CHAIN_HEAD = "chain head"
UNIT = "unit"

_DETAILS = {
    HASH: "nội dung sự kiện không khớp mã băm đã lưu (sự kiện đã bị sửa)",
    PREV_HASH: "mã băm trước không khớp sự kiện liền trước (chuỗi bị nối sai)",
    SEQ_GAP: "số thứ tự bị đứt quãng (có sự kiện đã bị xóa hoặc chèn)",
    CHAIN_HEAD: "đầu chuỗi không khớp sự kiện cuối (sự kiện cuối đã bị xóa hoặc đầu chuỗi bị sửa)",
    UNIT: "đơn vị của sự kiện khác đơn vị của chuỗi",
}


@dataclass(frozen=True)
class ChainBreak:
    chain_id: int
    chain_name: str
    kind: str
    event_id: int | None
    seq: int | None
    expected: str
    found: str

    @property
    def detail(self) -> str:
        return _DETAILS[self.kind]

    def describe(self) -> str:
        event = f"sự kiện id={self.event_id}" if self.event_id is not None else "không có sự kiện"
        seq = f", số thứ tự {self.seq}" if self.seq is not None else ""
        return (
            f"Chuỗi {self.chain_name}: {event}{seq} — {self.kind}: {self.detail} "
            f"(cần {self.expected}, thấy {self.found})"
        )


@dataclass
class VerifyReport:
    chains: int = 0
    events: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first_break(self) -> ChainBreak | None:
        return self.breaks[0] if self.breaks else None


@dataclass
class _Walk:
    chain: AuditChain
    name: str
    seq: int = 0
    hash: str = GENESIS_HASH
    last_event_id: int | None = None
    broken: bool = False


def verify_chains(unit_code: str | None = None) -> VerifyReport:
    """Verify every chain, or only the chain of the unit with ``unit_code``."""
    chains = AuditChain.objects.select_related("unit").order_by("id")
    if unit_code is not None:
        chains = chains.filter(unit__code=unit_code)
    walks = {
        chain.pk: _Walk(chain=chain, name=chain.unit.code if chain.unit else SYSTEM_CHAIN_NAME)
        for chain in chains
    }
    report = VerifyReport(chains=len(walks))
    events = AuditEvent.objects.order_by("chain_id", "seq")
    if unit_code is not None:
        events = events.filter(chain_id__in=list(walks))
    for event in events.iterator(chunk_size=CHUNK_SIZE):
        report.events += 1
        walk = walks.get(event.chain_id)
        if walk is None or walk.broken:
            continue  # a chain created after the chain rows were read, or already broken
        found = _check_event(walk, event)
        if found is not None:
            walk.broken = True
            report.breaks.append(found)
            continue
        walk.seq, walk.hash, walk.last_event_id = event.seq, event.hash, event.pk
    for walk in walks.values():
        if walk.broken:
            continue
        head = (walk.chain.last_seq, walk.chain.last_hash)
        if head != (walk.seq, walk.hash):
            walk.broken = True
            report.breaks.append(
                ChainBreak(
                    chain_id=walk.chain.pk,
                    chain_name=walk.name,
                    kind=CHAIN_HEAD,
                    event_id=walk.last_event_id,
                    seq=walk.seq or None,
                    expected=f"#{walk.seq} {walk.hash[:12]}",
                    found=f"#{head[0]} {head[1][:12]}",
                )
            )
    report.breaks.sort(key=lambda item: (item.event_id is None, item.event_id or 0))
    return report


def _check_event(walk: _Walk, event: AuditEvent) -> ChainBreak | None:
    def broken(kind: str, expected: object, found: object) -> ChainBreak:
        return ChainBreak(
            chain_id=walk.chain.pk,
            chain_name=walk.name,
            kind=kind,
            event_id=event.pk,
            seq=event.seq,
            expected=str(expected),
            found=str(found),
        )

    if event.seq != walk.seq + 1:
        return broken(SEQ_GAP, walk.seq + 1, event.seq)
    if event.prev_hash != walk.hash:
        return broken(PREV_HASH, walk.hash[:12], event.prev_hash[:12])
    if event.unit_id != walk.chain.unit_id:
        return broken(UNIT, walk.chain.unit_id, event.unit_id)
    recomputed = event_hash(event)
    if recomputed != event.hash:
        return broken(HASH, recomputed[:12], event.hash[:12])
    return None
