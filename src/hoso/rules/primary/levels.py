"""The codes of primary assessment: subject levels, quality/competency levels, year results.

TT27/2020 Art. 7.1.a (subjects: Hoàn thành tốt / Hoàn thành / Chưa hoàn thành), Art. 7.2.a
(qualities and competencies: Tốt / Đạt / Cần cố gắng), Art. 9.2 (year result, four levels).
TT30/2014 as amended by TT22/2016 uses the same subject and quality/competency codes.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from hoso.rules.errors import InvalidInput


def fold(text: str) -> str:
    """A spelling-insensitive key: NFC, trimmed, single spaces, casefolded, no commas, ỷ/ý → ỉ/í.

    Vietnamese writes the same word with y or i ("Thẩm mĩ" / "Thẩm mỹ", "kỉ luật" / "kỷ luật");
    both spellings are in use on official forms, so names are compared without the difference.
    """
    text = unicodedata.normalize("NFC", text).replace(",", " ").casefold()
    text = text.translate(str.maketrans("ỳýỷỹỵ", "ìíỉĩị"))
    return " ".join(text.split())


class SubjectLevel(StrEnum):
    """Level of a subject or educational activity at a checkpoint (TT27 Art. 7.1.a)."""

    T = "T"
    H = "H"
    C = "C"

    @property
    def label(self) -> str:
        return _SUBJECT_LABELS[self]

    @property
    def rank(self) -> int:
        return _SUBJECT_RANKS[self]


_SUBJECT_LABELS = {
    SubjectLevel.T: "Hoàn thành tốt",
    SubjectLevel.H: "Hoàn thành",
    SubjectLevel.C: "Chưa hoàn thành",
}
_SUBJECT_RANKS = {SubjectLevel.C: 0, SubjectLevel.H: 1, SubjectLevel.T: 2}


class RatingLevel(StrEnum):
    """Level of a quality or competency at a checkpoint (TT27 Art. 7.2.a)."""

    T = "T"
    D = "Đ"
    C = "C"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]

    @property
    def rank(self) -> int:
        return _RATING_RANKS[self]


_RATING_LABELS = {RatingLevel.T: "Tốt", RatingLevel.D: "Đạt", RatingLevel.C: "Cần cố gắng"}
_RATING_RANKS = {RatingLevel.C: 0, RatingLevel.D: 1, RatingLevel.T: 2}


class YearResult(StrEnum):
    """The four-level year-end result of TT27 Art. 9.2."""

    HTXS = "HTXS"
    HTT = "HTT"
    HT = "HT"
    CHT = "CHT"

    @property
    def label(self) -> str:
        return _RESULT_LABELS[self]

    @property
    def rank(self) -> int:
        return _RESULT_RANKS[self]

    @property
    def completes(self) -> bool:
        """TT27 Art. 11.1: HTXS, HTT and HT complete the grade's programme."""
        return self is not YearResult.CHT


_RESULT_LABELS = {
    YearResult.HTXS: "Hoàn thành xuất sắc",
    YearResult.HTT: "Hoàn thành tốt",
    YearResult.HT: "Hoàn thành",
    YearResult.CHT: "Chưa hoàn thành",
}
_RESULT_RANKS = {YearResult.CHT: 0, YearResult.HT: 1, YearResult.HTT: 2, YearResult.HTXS: 3}


class Checkpoint(StrEnum):
    """The four checkpoints of periodic assessment (TT27 Art. 7.1.a, 9.1)."""

    GK1 = "GK1"
    CK1 = "CK1"
    GK2 = "GK2"
    CN = "CN"

    @property
    def label(self) -> str:
        return _CHECKPOINT_LABELS[self]


_CHECKPOINT_LABELS = {
    Checkpoint.GK1: "giữa học kì I",
    Checkpoint.CK1: "cuối học kì I",
    Checkpoint.GK2: "giữa học kì II",
    Checkpoint.CN: "cuối năm học",
}

_SUBJECT_SPELLINGS = {
    **{fold(level.value): level for level in SubjectLevel},
    **{fold(level.label): level for level in SubjectLevel},
}
_RATING_SPELLINGS = {
    **{fold(level.value): level for level in RatingLevel},
    **{fold(level.label): level for level in RatingLevel},
    "d": RatingLevel.D,  # "Đ" typed without the bar on a keyboard without Vietnamese input
}
_RESULT_SPELLINGS = {
    **{fold(result.value): result for result in YearResult},
    **{fold(result.label): result for result in YearResult},
}


def parse_subject_level(value: object, field: str) -> SubjectLevel | None:
    """``T``/``H``/``C`` (or the full name); ``None`` means not entered (D6)."""
    if value is None:
        return None
    if isinstance(value, str) and fold(value) in _SUBJECT_SPELLINGS:
        return _SUBJECT_SPELLINGS[fold(value)]
    raise InvalidInput(
        field,
        f"mức đánh giá môn học phải là T (Hoàn thành tốt), H (Hoàn thành) hoặc C (Chưa hoàn "
        f"thành) theo TT27 Điều 7 khoản 1 điểm a; nhận được {value!r}",
    )


def parse_rating_level(value: object, field: str) -> RatingLevel | None:
    """``T``/``Đ``/``C`` (or the full name); ``None`` means not entered (D6)."""
    if value is None:
        return None
    if isinstance(value, str) and fold(value) in _RATING_SPELLINGS:
        return _RATING_SPELLINGS[fold(value)]
    raise InvalidInput(
        field,
        f"mức phẩm chất, năng lực phải là T (Tốt), Đ (Đạt) hoặc C (Cần cố gắng) theo TT27 "
        f"Điều 7 khoản 2 điểm a; nhận được {value!r}",
    )


def parse_year_result(value: object, field: str) -> YearResult | None:
    """``HTXS``/``HTT``/``HT``/``CHT`` (or the full name); ``None`` means not computed."""
    if value is None or isinstance(value, YearResult):
        return value
    if isinstance(value, str) and fold(value) in _RESULT_SPELLINGS:
        return _RESULT_SPELLINGS[fold(value)]
    raise InvalidInput(
        field,
        f"kết quả giáo dục phải là HTXS, HTT, HT hoặc CHT (TT27 Điều 9 khoản 2); "
        f"nhận được {value!r}",
    )


def parse_checkpoint(value: object, field: str) -> Checkpoint:
    """``GK1``/``CK1``/``GK2``/``CN``."""
    if isinstance(value, str) and value.strip().upper() in Checkpoint.__members__:
        return Checkpoint[value.strip().upper()]
    raise InvalidInput(
        field, f"thời điểm đánh giá phải là GK1, CK1, GK2 hoặc CN; nhận được {value!r}"
    )
