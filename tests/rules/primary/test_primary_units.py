"""Small pieces: test-mark validity (TT27 Art. 7.1.d, TT22/2016), level codes, D9 configuration."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import pytest

from hoso.rules.errors import InvalidInput
from hoso.rules.primary import (
    DEFAULT_CONFIG,
    SpecificCompetencyConfig,
    SpecificCompetencyRule,
    YearResult,
    evaluate_json,
    tt27_completes_grade,
    tt27_test_mark_valid,
    tt30_tt22_2016_test_mark_valid,
)
from hoso.rules.primary.levels import RatingLevel, SubjectLevel

from .primary_builders import COMPETENCIES, changed, tt27_input, tt30_input

# TT27 Art. 7.1.d: whole marks 0–10, 0 allowed. TT22/2016: whole marks 1–10, no 0.
MARKS = [
    # value, valid under TT27, valid under TT30 + TT22/2016
    (-1, False, False),
    (0, True, False),
    (1, True, True),
    (4, True, True),
    (5, True, True),
    (9, True, True),
    (10, True, True),
    (11, False, False),
    (8.5, False, False),
    ("8,5", False, False),
    ("8.5", False, False),
    ("9", True, True),
    (" 9,0 ", True, True),
    (9.0, True, True),
    (Decimal("7"), True, True),
    (Decimal("7.5"), False, False),
    (Decimal("0"), True, False),
    (True, False, False),
    (None, False, False),
    ("", False, False),
    ("chín", False, False),
    (float("nan"), False, False),
    ([9], False, False),
]


@pytest.mark.parametrize(("value", "tt27", "tt30"), MARKS)
def test_mark_validity(value: object, tt27: bool, tt30: bool) -> None:
    new, old = tt27_test_mark_valid(value), tt30_tt22_2016_test_mark_valid(value)
    assert (new.valid, old.valid) == (tt27, tt30)
    assert (new.mark is not None, old.mark is not None) == (tt27, tt30)
    assert "TT27 Điều 7 khoản 1 điểm d" in new.explanation
    assert "TT22/2016" in old.explanation


def test_level_codes() -> None:
    assert [level.rank for level in SubjectLevel] == [2, 1, 0]
    assert [level.label for level in SubjectLevel] == [
        "Hoàn thành tốt",
        "Hoàn thành",
        "Chưa hoàn thành",
    ]
    assert [level.rank for level in RatingLevel] == [2, 1, 0]
    assert [level.label for level in RatingLevel] == ["Tốt", "Đạt", "Cần cố gắng"]
    assert [result.rank for result in YearResult] == [3, 2, 1, 0]
    assert (YearResult.HTXS.value, RatingLevel.D.value) == ("HTXS", "Đ")


@pytest.mark.parametrize("value", ["Giỏi", 3, "HTXSS"])
def test_year_result_codes_refused(value: object) -> None:
    with pytest.raises(InvalidInput, match="HTXS, HTT, HT hoặc CHT") as raised:
        tt27_completes_grade(value)  # type: ignore[arg-type]
    assert raised.value.field == "result"


# D9: the specific competencies are effective-dated configuration per grade.
UPPER = ("Ngôn ngữ", "Tính toán", "Khoa học", "Công nghệ", "Tin học", "Thẩm mĩ", "Thể chất")
PROVINCE = SpecificCompetencyConfig(
    (
        SpecificCompetencyRule(2026, frozenset({3, 4, 5}), UPPER),
        SpecificCompetencyRule(2024, frozenset({5}), UPPER[:3]),
        SpecificCompetencyRule(2020, frozenset({5}), UPPER),
    )
)


@pytest.mark.parametrize(
    ("grade", "start", "names"),
    [
        (4, 2025, DEFAULT_CONFIG.for_grade(4, 2025)),
        (4, 2026, UPPER),
        (2, 2030, ("Ngôn ngữ", "Tính toán", "Khoa học", "Thẩm mĩ", "Thể chất")),
        (5, 2021, UPPER),
        (5, 2024, UPPER[:3]),
        (5, 2027, UPPER),
    ],
)
def test_configuration_is_effective_dated(grade: int, start: int, names: tuple[str, ...]) -> None:
    assert PROVINCE.for_grade(grade, start) == names


def test_default_is_the_five_of_the_form() -> None:
    assert DEFAULT_CONFIG.for_grade(3, 2025) == (
        "Ngôn ngữ",
        "Tính toán",
        "Khoa học",
        "Thẩm mĩ",
        "Thể chất",
    )


@pytest.mark.parametrize(
    ("grades", "names", "words"),
    [
        (frozenset({1, 2, 3}), UPPER, "chỉ được bật cho lớp 3–5"),
        (frozenset({4}), ("Ngôn ngữ", "Âm nhạc"), "không có trong chương trình"),
        (frozenset({4}), ("Ngôn ngữ", "Ngôn ngữ"), "lặp lại"),
    ],
)
def test_configuration_refuses(grades: frozenset[int], names: tuple[str, ...], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        SpecificCompetencyRule(2026, grades, names)


def test_evaluate_uses_the_configuration() -> None:
    data = tt27_input(4, school_year="2026-2027")
    # the five of the form only: Công nghệ and Tin học missing → incomplete
    assert evaluate_json(data, PROVINCE)["year"]["result"] is None  # type: ignore[index]
    assert evaluate_json(data)["year"]["result"] == "HTXS"  # type: ignore[index]
    data["competencies"] |= {"Công nghệ": "T", "Tin học": "Đ"}
    out = evaluate_json(data, PROVINCE)
    assert out["year"]["result"] == "HT"  # type: ignore[index]
    assert list(out["competencies"]) == [*COMPETENCIES[:3], *UPPER]  # type: ignore[call-overload]


def test_evaluate_input_may_name_the_specific_competencies() -> None:
    data = tt27_input(3) | {"specific_competencies": ["ngôn ngữ", "Tính toán", "Tin học"]}
    out = evaluate_json(data)
    assert out["year"]["missing"] == ["mức cuối năm của năng lực Tin học"]  # type: ignore[index]
    lines = cast("list[str]", out["explanation"])
    assert any("Khoa học: năng lực đặc thù không có trong danh sách" in line for line in lines)


def test_tt30_unrecognised_subject_is_ordinary() -> None:
    data = changed(tt30_input(), "Kĩ năng sống", level="H", test=None)
    out = evaluate_json(data)
    assert out["year"]["completes_grade"] is True  # type: ignore[index]
    assert out["year"]["reward"] is None  # type: ignore[index]
