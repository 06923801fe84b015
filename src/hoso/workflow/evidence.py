"""Evidence files (R4.6a): what is accepted, judged by the content, never by the name or the
browser's content type.

JPEG, PNG and PDF only, at most 10 MB each; read in chunks, so a large upload never sits in
memory whole. The file is stored under ``MEDIA_ROOT`` at a path built from UUIDs and is served
only by the permission-checked download view (there is no public media URL).
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from hoso.workflow.errors import MSG_FILE_EMPTY, MSG_FILE_SIZE, MSG_FILE_TYPE, EvidenceError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
# The first bytes of each accepted format (their "magic numbers").
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class EvidenceInput:
    """One uploaded file: a Django ``File``/``UploadedFile`` (or any binary file object), its
    kind (``EvidenceKind``) and the name it had on the person's computer."""

    file: IO[bytes] | Any
    kind: str
    name: str = ""


@dataclass(frozen=True)
class CheckedEvidence:
    source: EvidenceInput
    original_name: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The uploaded name as it is shown (never used as a path): base name only, NFC, no
    control characters, at most 200 characters."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    return base.strip()[:200] or "tep"


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_evidence(upload: EvidenceInput) -> CheckedEvidence:
    """The file's type (by content), size and SHA-256; ``EvidenceError`` when it is not a JPEG,
    PNG or PDF, is empty or is over 10 MB."""
    name = clean_name(upload.name or str(getattr(upload.file, "name", "") or ""))
    handle = upload.file
    if hasattr(handle, "seek"):
        handle.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    chunks = (
        handle.chunks(CHUNK) if hasattr(handle, "chunks") else iter(lambda: handle.read(CHUNK), b"")
    )
    for chunk in chunks:
        if not head:
            head = bytes(chunk[:16])
        size += len(chunk)
        if size > MAX_EVIDENCE_BYTES:
            raise EvidenceError(MSG_FILE_SIZE.format(name=name, limit=MAX_EVIDENCE_BYTES // 2**20))
        digest.update(chunk)
    if size == 0:
        raise EvidenceError(MSG_FILE_EMPTY.format(name=name))
    content_type = sniff(head)
    if content_type is None:
        raise EvidenceError(MSG_FILE_TYPE.format(name=name))
    if hasattr(handle, "seek"):
        handle.seek(0)
    return CheckedEvidence(
        source=upload,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )
