"""What a person types into a mark cell, read the Vietnamese way.

``8,5`` and ``8.5`` are 8.5; an empty cell is "not entered" (never 0, D6); ``0`` is a mark.
``11``, ``-1`` and ``abc`` are refused with the reason; ``8,55`` is refused and ``8,6`` offered
(D20: a typed mark has one decimal; only importers round).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from hoso.assessment.errors import (
    MSG_NOT_A_COMMENT,
    MSG_NOT_A_MARK,
    MSG_OUT_OF_RANGE,
    MSG_TOO_MANY_DECIMALS,
    MarkInputError,
)
from hoso.core.formatting import decimal_vi
from hoso.rules.values import round_half_up_1

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$|^[+-]?[.,]\d+$")
_COMMENTS = {"đ": "Đ", "đạt": "Đ", "d": "Đ", "cđ": "CĐ", "cd": "CĐ", "chưa đạt": "CĐ"}
TEN = Decimal(10)
TENTH = Decimal("0.1")


def parse_typed_score(text: str) -> Decimal | None:
    """A typed score mark, or ``None`` for an empty cell; ``MarkInputError`` otherwise."""
    cleaned = unicodedata.normalize("NFC", text).strip()
    if cleaned == "":
        return None
    if not _NUMBER.match(cleaned):
        raise MarkInputError(MSG_NOT_A_MARK)
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise MarkInputError(MSG_NOT_A_MARK) from error
    if value < 0 or value > TEN:
        raise MarkInputError(MSG_OUT_OF_RANGE)
    if value != value.quantize(TENTH):
        suggestion = round_half_up_1(value)
        raise MarkInputError(
            MSG_TOO_MANY_DECIMALS.format(suggestion=decimal_vi(suggestion)), suggestion
        )
    return value.quantize(TENTH)


def parse_typed_comment(text: str) -> str:
    """``Đ`` / ``CĐ`` (also ``Đạt``, ``Chưa đạt``, ``d``, ``cd``), or ``""`` for an empty cell."""
    cleaned = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    if cleaned == "":
        return ""
    if cleaned not in _COMMENTS:
        raise MarkInputError(MSG_NOT_A_COMMENT)
    return _COMMENTS[cleaned]
