"""Values the circulars speak of: marks, the one rounding rule, comment results, levels.

Every mark and average is a ``Decimal``; binary floats and Python's ``round()`` (half to even)
are never used near a mark (secondary.md §8.1). One rounding function serves every defined
quantity (D1).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from hoso.rules.errors import InvalidInput

TENTH = Decimal("0.1")
MARK_MIN = Decimal(0)
MARK_MAX = Decimal(10)

_MARK_TEXT = re.compile(r"^[0-9]+(?:[.,][0-9]+)?$")


def round_half_up_1(exact: Decimal) -> Decimal:
    """Round once, half up, to one decimal (D1).

    "Lấy đến chữ số thập phân thứ nhất sau khi làm tròn số". Called on the exact value of each
    defined quantity; later steps use the rounded value.
    """
    return exact.quantize(TENTH, rounding=ROUND_HALF_UP)


def decimal_text(value: Decimal) -> str:
    """The JSON form of a mark or average: one decimal, decimal point (``"7.0"``)."""
    return str(round_half_up_1(value))


def vn(value: Decimal) -> str:
    """The form people read in explanations and on paper: one decimal, decimal comma (``"7,0"``)."""
    # decimal_text inlined: explanations call this some hundred times per student (issue 9).
    return str(value.quantize(TENTH, rounding=ROUND_HALF_UP)).replace(".", ",")


def parse_mark(raw: object, field: str, label: str = "") -> Decimal | None:
    """A recorded mark 0–10 with at most one decimal, or ``None`` when not entered (D6).

    Accepts numbers and strings with a decimal point or a decimal comma. Refuses a second
    significant decimal (D20: rounding a recorded mark is the importer's job), values out of range
    and anything else, with a Vietnamese message naming the field.
    """
    where = f" ({label})" if label else ""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise InvalidInput(field, f"điểm{where} phải là một số từ 0 đến 10, không phải {raw!r}")
    value: Decimal
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise InvalidInput(field, f"điểm{where} không hợp lệ: {raw!r}")
        # repr() of a float read from text gives back that text (8.5 → "8.5"), never 8.4999…
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip()
        if not _MARK_TEXT.match(text):
            raise InvalidInput(field, f"điểm{where} không hợp lệ: {raw!r} (viết như 8 hoặc 8,5)")
        value = Decimal(text.replace(",", "."))
    else:
        raise InvalidInput(field, f"điểm{where} phải là một số từ 0 đến 10, không phải {raw!r}")
    if not (value.is_finite() and MARK_MIN <= value <= MARK_MAX):
        raise InvalidInput(field, f"điểm{where} phải từ 0 đến 10, nhận được {raw!r}")
    if value != value.quantize(TENTH):
        raise InvalidInput(
            field,
            f"điểm{where} {raw!r} có quá một chữ số thập phân; điểm ghi sổ chỉ có một chữ số "
            "thập phân (D20)",
        )
    return value.quantize(TENTH)


class Comment(StrEnum):
    """Result of a comment-only assessment or subject: Đạt / Chưa đạt."""

    DAT = "Đ"
    CHUA_DAT = "CĐ"


_COMMENT_SPELLINGS = {
    "đ": Comment.DAT,
    "đạt": Comment.DAT,
    "cđ": Comment.CHUA_DAT,
    "chưa đạt": Comment.CHUA_DAT,
}


def parse_comment(raw: object, field: str, label: str = "") -> Comment | None:
    """``Đ`` / ``CĐ`` (also written out: ``Đạt`` / ``Chưa đạt``), or ``None`` when not entered."""
    if raw is None:
        return None
    if isinstance(raw, str):
        key = " ".join(unicodedata.normalize("NFC", raw).split()).casefold()
        if key in _COMMENT_SPELLINGS:
            return _COMMENT_SPELLINGS[key]
    where = f" ({label})" if label else ""
    raise InvalidInput(field, f"kết quả{where} phải là Đ hoặc CĐ, nhận được {raw!r}")


class Assessment(StrEnum):
    """Form of assessment of a subject (TT22 Art. 5, TT58 Art. 6)."""

    SCORE = "score"
    COMMENT = "comment"


class Rating(StrEnum):
    """TT22/TT43 levels: kết quả học tập and kết quả rèn luyện (rank = position, low to high)."""

    CHUA_DAT = "Chưa đạt"
    DAT = "Đạt"
    KHA = "Khá"
    TOT = "Tốt"

    @property
    def rank(self) -> int:
        return _RATING_RANKS[self]


class AcademicLevel(StrEnum):
    """TT58 học lực (rank = position, low to high)."""

    KEM = "Kém"
    YEU = "Yếu"
    TRUNG_BINH = "Trung bình"
    KHA = "Khá"
    GIOI = "Giỏi"

    @property
    def rank(self) -> int:
        return _ACADEMIC_RANKS[self]


class Conduct(StrEnum):
    """TT58 hạnh kiểm (rank = position, low to high)."""

    YEU = "Yếu"
    TRUNG_BINH = "Trung bình"
    KHA = "Khá"
    TOT = "Tốt"

    @property
    def rank(self) -> int:
        return _CONDUCT_RANKS[self]


# Positions looked up, not searched for (issue 9: ranks are compared for every level tried). One
# table per scale: members of a StrEnum are equal to their text, and "Khá" is on all three.
_RATING_RANKS = {member: position for position, member in enumerate(Rating)}
_ACADEMIC_RANKS = {member: position for position, member in enumerate(AcademicLevel)}
_CONDUCT_RANKS = {member: position for position, member in enumerate(Conduct)}


class Promotion(StrEnum):
    """The year-end decision, as the evaluate output names it."""

    PROMOTED = "promoted"
    RETEST = "retest"
    SUMMER_TRAINING = "summer_training"
    RETAINED = "retained"
    INCOMPLETE = "incomplete"


SEMESTER_LABELS = {1: "HK I", 2: "HK II"}
