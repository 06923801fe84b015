"""Frozen document → JSON → Typst template → PDF bytes. No database access here (issue 7).

Typst sees only the bundled fonts (``fonts/``): system fonts and Typst's own embedded fonts are
switched off, so a template asking for a missing family cannot fall back silently to another face
(tests check which font ends up embedded). Templates import nothing from the Typst package
registry (``@preview/…`` would need the internet); QR codes come in as SVG text made by segno.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import io
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import segno
import typst

from hoso.core.formatting import date_vi, decimal_vi
from hoso.printing.errors import RenderError

PACKAGE_DIR = Path(__file__).resolve().parent
FONTS_DIR = PACKAGE_DIR / "fonts"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONT_FAMILY = "Liberation Serif"
# Archived forms are PDF/A-2b (ISO 19005-2, level B: the look is preserved for the long term).
PDF_A: Final = "a-2b"


@dataclass(frozen=True)
class PrintStamp:
    """What every page shows about the print itself (not part of the data fingerprint)."""

    code: str  # short verification code, e.g. "K7QF-M2XD"
    url: str  # the verification page the QR code opens
    printed_on: dt.date
    ad_hoc: bool = False
    reason: str = ""
    printed_by: str = ""


def jsonable(value: Any) -> Any:
    """Plain JSON values, every text in NFC (forms.md §8.2); Decimal with a decimal comma and dates
    dd/mm/yyyy — a builder normally formats them already, this is the safety net."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Decimal):
        return decimal_vi(value)
    if isinstance(value, dt.datetime):
        raise RenderError("Văn bản in không được chứa giờ chưa định dạng.")
    if isinstance(value, dt.date):
        return date_vi(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float):
        raise RenderError("Văn bản in không được chứa số thực (float).")
    raise RenderError(f"Không chuyển được sang JSON: {type(value).__name__}")


def document_json(document: object) -> str:
    """The canonical JSON of a document (sorted keys): what the template reads, and what the data
    fingerprint is computed over."""
    return json.dumps(jsonable(document), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(document_text: str) -> str:
    return hashlib.sha256(document_text.encode("utf-8")).hexdigest()


def qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", border=0, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")


def stamp_json(stamp: PrintStamp | None) -> str:
    if stamp is None:
        return json.dumps({"code": "", "url": "", "qr": "", "printed_on": "", "ad_hoc": False})
    return json.dumps(
        {
            "code": stamp.code,
            "url": stamp.url,
            "qr": qr_svg(stamp.url),
            "printed_on": date_vi(stamp.printed_on),
            "ad_hoc": stamp.ad_hoc,
            "reason": jsonable(stamp.reason),
            "printed_by": jsonable(stamp.printed_by),
        },
        ensure_ascii=False,
    )


@functools.cache
def bundled_fonts() -> typst.Fonts:
    """The bundled font folder only (loaded once per process)."""
    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS_DIR)]
    )


def template_path(form_name: str) -> Path:
    path = TEMPLATES_DIR / f"{form_name}.typ"
    if not path.is_file():
        raise RenderError(f"Không có mẫu Typst {path.name}.")
    return path


def compile_json(
    form_name: str, data_text: str, stamp_text: str, *, archived: bool = True
) -> bytes:
    """Compile ``templates/<form>.typ`` with the given JSON texts (the bare Typst step)."""
    try:
        pdf = typst.compile(
            str(template_path(form_name)),
            root=str(TEMPLATES_DIR),
            font_paths=bundled_fonts(),
            ignore_system_fonts=True,
            sys_inputs={"data": data_text, "print": stamp_text},
            pdf_standards=[PDF_A] if archived else [],
        )
    except typst.TypstError as exc:  # a template bug: say where
        raise RenderError(f"{RenderError.default_message} {exc.message} {exc.diagnostic}") from exc
    assert isinstance(pdf, bytes)
    return pdf


def render(
    form_name: str, document: object, stamp: PrintStamp | None = None, *, archived: bool = True
) -> bytes:
    """The PDF of one frozen document (``render(form_name, document) -> bytes``)."""
    return compile_json(form_name, document_json(document), stamp_json(stamp), archived=archived)
