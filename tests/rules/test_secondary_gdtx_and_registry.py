"""Continuing education (TT43 with 5 for 6, D10, D19; the old rules) and the registry (D11)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules.secondary_builders import GDTX_COMMENT, GDTX_SCORE, tt22_student, tt58_student

from hoso.rules.errors import InvalidInput
from hoso.rules.evaluate import evaluate_document
from hoso.rules.registry import (
    evaluate_id,
    regime,
    rulebook,
    school_year_start,
    uses_periodic_tests,
)


def evaluate(data: dict[str, Any]) -> dict[str, Any]:
    result = evaluate_document(data)
    assert isinstance(result, dict)
    return result


def gdtx_student(*values: object, **options: Any) -> dict[str, Any]:
    scores = dict(zip(GDTX_SCORE, values, strict=True))
    comments = dict.fromkeys(GDTX_COMMENT, "Đ")
    data = tt22_student(scores, {}, regulation="GDTX", grade=11, **options)
    data["subjects"] = [s for s in data["subjects"] if s["assessment"] == "score"]
    data["subjects"] += [
        {
            "name": name,
            "assessment": "comment",
            "semester_1": {"regular": ["Đ", "Đ"], "midterm": result, "final": "Đ"},
            "semester_2": {"regular": ["Đ", "Đ"], "midterm": result, "final": "Đ"},
        }
        for name, result in comments.items()
    ]
    return data


def test_tt43_counts_five_and_gives_no_title() -> None:
    out = evaluate(gdtx_student(9, 9, 9, 9, 9, "7.5", "6.5"))
    assert out["regulation"] == "GDTX"
    assert out["regime"] == "TT43_2021"
    assert out["year"]["learning"] == "Tốt"
    assert out["year"]["title"] is None
    assert any("D19" in line for line in out["explanation"])


def test_tt43_adjustment_counts_five() -> None:
    out = evaluate(gdtx_student(8, 8, 8, 8, 8, "6.5", 4))
    assert out["year"]["learning"] == "Khá"  # table Đạt, would-be Tốt, one cause (D2, D10)


def test_tt43_promotion_follows_tt22() -> None:
    out = evaluate(gdtx_student(8, 8, 8, 8, 8, 8, 8, conduct=("Khá", "Chưa đạt")))
    assert out["year"]["promotion"] == "summer_training"


@pytest.mark.parametrize(("school_year", "average"), [("2022-2023", "7.0"), ("2018-2019", "7.0")])
def test_old_gdtx_reads_as_tt58_without_titles(school_year: str, average: str) -> None:
    data = tt58_student(
        {"Toán": 7, "Ngữ văn": 7, "Vật lí": 7}, {}, regulation="GDTX_old", school_year=school_year
    )
    if school_year < "2020":
        for s in data["subjects"]:
            for semester in ("semester_1", "semester_2"):
                s[semester]["periodic"] = [s[semester].pop("midterm")]
    out = evaluate(data)
    assert out["regulation"] == "GDTX_old"
    assert out["year"]["average"] == average
    assert out["year"]["learning"] == "Khá"
    assert out["year"]["title"] is None
    assert out["semester_1"]["title"] is None


def test_old_gdtx_without_school_year_is_read_as_amended() -> None:
    data = tt58_student({"Toán": 7}, {}, regulation="GDTX_old")
    del data["school_year"]
    assert evaluate(data)["regime"] == "GDTX_old"
    assert uses_periodic_tests("GDTX_old", None) is False


@pytest.mark.parametrize(
    ("level", "school_year", "grade", "continuing", "programme", "expected"),
    [
        ("secondary", "2011-2012", 9, False, None, "TT58_2011_original"),
        ("secondary", "2019-2020", 6, False, None, "TT58_2011_original"),
        ("secondary", "2020-2021", 6, False, None, "TT58_2011"),
        ("secondary", "2021-2022", 6, False, None, "TT22_2021"),
        ("secondary", "2021-2022", 7, False, None, "TT58_2011"),
        ("secondary", "2022-2023", 7, False, None, "TT22_2021"),
        ("secondary", "2022-2023", 10, False, None, "TT22_2021"),
        ("secondary", "2022-2023", 11, False, None, "TT58_2011"),
        ("secondary", "2023-2024", 8, False, None, "TT22_2021"),
        ("secondary", "2023-2024", 9, False, None, "TT58_2011"),
        ("secondary", "2024-2025", 9, False, None, "TT22_2021"),
        ("secondary", "2024-2025", 12, False, None, "TT22_2021"),
        ("secondary", "2023-2024", 9, False, "2018", "TT22_2021"),
        ("secondary", "2024-2025", 9, False, "old", "TT58_2011"),
        ("secondary", "2023-2024", 11, True, None, "TT43_2021"),
        ("secondary", "2023-2024", 9, True, None, "GDTX_old"),
        ("primary", "2019-2020", 1, False, None, "TT30_2014"),
        ("primary", "2020-2021", 1, False, None, "TT27_2020"),
        ("primary", "2023-2024", 5, False, None, "TT30_2014"),
        ("primary", "2024-2025", 5, False, None, "TT27_2020"),
        ("primary", "2023-2024", 5, False, "2018", "TT27_2020"),
        ("primary", "2025-2026", 3, False, "old", "TT30_2014"),
    ],
)
def test_regime_by_year_grade_programme(
    level: str,
    school_year: str,
    grade: int,
    continuing: bool,
    programme: str | None,
    expected: str,
) -> None:
    assert regime(level, school_year, grade, continuing, programme) == expected


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("secondary", "2025-2027", 9), "school_year"),
        (("secondary", "2025", 9), "school_year"),
        (("secondary", "2010-2011", 9), "school_year"),
        (("secondary", "2025-2026", 5), "grade"),
        (("primary", "2025-2026", 6), "grade"),
        (("primary", "2013-2014", 3), "school_year"),
        (("tertiary", "2025-2026", 9), "level"),
    ],
)
def test_regime_refuses(args: tuple[str, str, int], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        regime(*args)
    assert error.value.field == field


def test_regime_refuses_an_unknown_programme() -> None:
    with pytest.raises(InvalidInput) as error:
        regime("secondary", "2025-2026", 9, programme="2006")
    assert error.value.field == "programme"


def test_school_year_forms_and_ids() -> None:
    assert school_year_start("2023–2024") == 2023
    assert school_year_start(" 2023/2024 ") == 2023
    assert evaluate_id("TT43_2021") == "GDTX"
    assert evaluate_id("TT22_2021") == "TT22_2021"
    assert rulebook("TT22_2021") is not None
