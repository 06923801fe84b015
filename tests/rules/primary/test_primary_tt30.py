"""TT30/2014 as amended by TT22/2016: boundary tables (docs/regulations/tt30-2014.md)."""

from __future__ import annotations

from typing import Any, cast

import pytest

from hoso.rules.errors import InvalidInput
from hoso.rules.primary import evaluate_json, tt30_tt22_2016_year_end
from hoso.rules.primary.tt30 import REWARD_EXCELLENT

from .primary_builders import changed, rated, tt30_input


def year(data: dict[str, Any]) -> dict[str, Any]:
    return cast("dict[str, Any]", evaluate_json(data)["year"])


def explanation(data: dict[str, Any]) -> str:
    return "\n".join(evaluate_json(data)["explanation"])  # type: ignore[arg-type]


# Art. 14: end-of-year tests ≥ 5 complete; Art. 16: all T, all Tốt and tests ≥ 9 → reward.
@pytest.mark.parametrize(
    ("mark", "completes", "reward"),
    [
        (1, False, None),
        (4, False, None),
        (5, True, None),
        (8, True, None),
        (9, True, REWARD_EXCELLENT),
        (10, True, REWARD_EXCELLENT),
    ],
)
@pytest.mark.parametrize("grade", [4, 5])
def test_lowest_test(grade: int, mark: int, completes: bool, reward: str | None) -> None:
    school_year = "2023-2024" if grade == 5 else "2022-2023"
    got = year(changed(tt30_input(grade, school_year=school_year), "Toán", test=mark))
    assert got["result"] is None  # no four-level result in this rulebook
    assert got["completes_grade"] is completes
    assert got["completes_primary"] is (completes and grade == 5)
    assert got["reward"] == got["title"] == reward


@pytest.mark.parametrize(
    ("change", "completes"),
    [
        (lambda d: changed(d, "Thể dục", level="H"), True),
        (lambda d: changed(d, "Kĩ thuật", level="C"), False),
        (lambda d: rated(d, "qualities", "Trung thực, kỉ luật", "Đ"), True),
        (lambda d: rated(d, "competencies", "Hợp tác", "C"), False),
    ],
)
def test_levels(change: Any, completes: bool) -> None:
    got = year(change(tt30_input()))
    assert got["completes_grade"] is completes
    assert got["reward"] is None


def test_incomplete() -> None:
    data = changed(tt30_input(), "Tin học", test=None)
    got = year(data)
    assert (got["completes_grade"], got["completes_primary"], got["reward"]) == (None, None, None)
    assert "Tin học" in explanation(data)


def test_old_elective_without_level_is_left_out() -> None:
    data = changed(tt30_input(), "Tiếng dân tộc", level=None, test=None)
    assert year(data)["reward"] == REWARD_EXCELLENT


def test_explanation() -> None:
    text = explanation(tt30_input())
    assert "TT30 Điều 14" in text and "TT30 Điều 16" in text and "tiểu học" in text
    text = explanation(changed(tt30_input(), "Toán", test=4))
    assert "Toán: điểm 4 < 5" in text


def test_checkpoint_and_absences() -> None:
    data = tt30_input() | {"checkpoint": "CK1", "absences": 3}
    got = year(data)
    assert got == {
        "result": None,
        "result_label": None,
        "completes_grade": None,
        "completes_primary": None,
        "title": None,
        "missing": [],
        "reward": None,
    }
    assert "Số buổi nghỉ (3)" in explanation(data)
    assert "CK1" in explanation(data)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (tt30_input(5, school_year="2024-2025"), "regulation", "theo TT27/2020"),
        (tt30_input(4, school_year="2015-2016"), "school_year", "TT22/2016"),
        (changed(tt30_input(), "Toán", test=0), "subjects[1].test", "từ 1 đến 10"),
        (changed(tt30_input(), "Đạo đức", test=7), "subjects[6].test", "TT30 Điều 10"),
        (changed(tt30_input(), "Tự nhiên và Xã hội", level="T"), "subjects[11].name", "lớp 5"),
        (changed(tt30_input(), "Tin học và Công nghệ", level="T"), "subjects[11].name", "lớp 5"),
        (rated(tt30_input(), "qualities", "Yêu nước", "T"), "qualities.Yêu nước", "Chăm học"),
    ],
)
def test_refused(data: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        evaluate_json(data)
    assert raised.value.field == field
    assert words in raised.value.message


def test_old_spellings() -> None:
    data = changed(tt30_input(), "Kĩ thuật", name="Kỹ thuật")
    data = changed(data, "Ngoại ngữ", name="Tiếng Anh")
    data["qualities"] = {k.replace("kỉ", "kỷ"): v for k, v in data["qualities"].items()}
    assert year(data)["reward"] == REWARD_EXCELLENT


def test_formula_function_takes_plain_values() -> None:
    outcome = tt30_tt22_2016_year_end(
        school_year="2019-2020",
        grade=1,
        subjects={
            "Tiếng Việt": {"level": "T", "test": 9},
            "Toán": {"level": "T", "test": 10},
            "Thủ công": {"level": "T", "test": None},
        },
        competencies={
            "Tự phục vụ, tự quản": "T",
            "Hợp tác": "T",
            "Tự học và giải quyết vấn đề": "T",
        },
        qualities={
            "Chăm học, chăm làm": "T",
            "Tự tin, trách nhiệm": "T",
            "Trung thực, kỉ luật": "T",
            "Đoàn kết, yêu thương": "T",
        },
    )
    assert (outcome.completes_grade, outcome.completes_primary, outcome.reward) == (
        True,
        False,
        REWARD_EXCELLENT,
    )
