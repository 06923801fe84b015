"""Compile gettext catalogues (``.po`` → ``.mo``) in pure Python.

Why not ``manage.py compilemessages``: it shells out to GNU ``msgfmt``, a system package that a
fresh CI machine or a teacher's laptop may not have, and ``make run`` must work there. The ``.mo``
files are build products (git-ignored), so they are compiled where they are needed: by the test
suite (``tests/web/conftest.py``, ``tests/api/conftest.py``) and by ``python -m
hoso.core.i18n_compile`` (``make run`` calls it; ``compilemessages`` gives the same result where
``msgfmt`` exists). Every language under ``locale/`` is compiled: ``en`` (the project's
Vietnamese strings in English) and ``vi`` (Django REST framework's English messages in
Vietnamese).

Handles what our catalogues use: ``msgctxt``, plurals, multi-line strings, C escapes; fuzzy
entries are skipped (as ``msgfmt`` does) except the header, which carries the charset and plural
rule that Python's ``gettext`` needs to decode the Vietnamese source strings at all. The output is
byte-identical to ``msgfmt --no-hash``.
"""

from __future__ import annotations

import os
import re
import struct
import sys
import tempfile
from pathlib import Path

DEFAULT_LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE_RE = re.compile(r"\\(.)")
_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def parse_po(text: str) -> dict[str, str]:
    """The catalogue as {key: translation}, keys and values as the ``.mo`` format stores them
    (context joined with EOT, plural forms joined with NUL); untranslated and fuzzy entries out."""
    catalogue: dict[str, str] = {}
    entry: dict[str, str] = {}
    plurals: dict[int, str] = {}
    fuzzy = False
    field: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal entry, plurals, fuzzy, field
        if "msgid" in entry:
            msgid = entry["msgid"]
            if "msgid_plural" in entry:
                msgid += "\0" + entry["msgid_plural"]
                msgstr = "\0".join(plurals[n] for n in sorted(plurals))
            else:
                msgstr = entry.get("msgstr", "")
            if "msgctxt" in entry:
                msgid = entry["msgctxt"] + "\x04" + msgid
            is_header = msgid == ""
            if is_header:
                # As msgfmt does: the .mo need not change when only makemessages ran again.
                msgstr = re.sub(r"(?m)^POT-Creation-Date:.*\n", "", msgstr)
            if msgstr.replace("\0", "") and (is_header or not fuzzy):
                catalogue[msgid] = msgstr
        entry, plurals, fuzzy, field = {}, {}, False, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue  # msgfmt allows blank lines anywhere; entries end where the next begins
        if line.startswith("#"):
            if field is not None:  # a comment after a complete entry starts the next one
                flush()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue  # obsolete (#~) entries and comments carry nothing to compile
        match = _KEYWORD_RE.match(line)
        if match:
            keyword, index, quoted = match.groups()
            if keyword in ("msgid", "msgctxt") and (
                field is not None and field[0].startswith("msgstr")
            ):
                flush()
            if keyword.startswith("msgstr") and index is not None:
                field = ("msgstr[]", int(index))
                plurals[int(index)] = _unquote(quoted)
            else:
                field = (keyword, 0)
                entry[keyword] = _unquote(quoted)
        elif line.startswith('"') and field is not None:
            name, index_value = field
            if name == "msgstr[]":
                plurals[index_value] += _unquote(line)
            else:
                entry[name] += _unquote(line)
        else:
            raise ValueError(f"Dòng không đọc được trong tệp .po: {raw!r}")
    flush()
    return catalogue


def mo_bytes(catalogue: dict[str, str]) -> bytes:
    """The GNU ``.mo`` file of a catalogue (little-endian, no hash table)."""
    keys = sorted(catalogue, key=lambda k: k.encode("utf-8"))
    ids = [k.encode("utf-8") for k in keys]
    strs = [catalogue[k].encode("utf-8") for k in keys]
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    tables_o: list[int] = []
    tables_t: list[int] = []
    blob = b""
    for encoded in ids:
        tables_o += [len(encoded), data_at + len(blob)]
        blob += encoded + b"\0"
    for encoded in strs:
        tables_t += [len(encoded), data_at + len(blob)]
        blob += encoded + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    return (
        header
        + struct.pack(f"<{2 * count}I", *tables_o)
        + struct.pack(f"<{2 * count}I", *tables_t)
        + blob
    )


def compile_po(po_path: Path, mo_path: Path | None = None) -> Path:
    """Write the ``.mo`` next to the ``.po`` (atomically: parallel test workers may race)."""
    target = mo_path or po_path.with_suffix(".mo")
    data = mo_bytes(parse_po(po_path.read_text(encoding="utf-8")))
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".mo.tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)
    return target


def compile_locale(locale_dir: Path = DEFAULT_LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Compile every catalogue under ``locale_dir`` whose ``.mo`` is missing or older."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            written.append(compile_po(po_path, mo_path))
    return written


if __name__ == "__main__":
    for path in compile_locale(force="--force" in sys.argv):
        sys.stdout.write(f"{path}\n")
