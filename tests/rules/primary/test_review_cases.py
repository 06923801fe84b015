"""Review cases (primary): new evaluate inputs for every rule of primary.md, expected outputs
computed by hand from TT27 Art. 7, 9, 11, 13 and decisions D6, D8, D9, D16, D17, D21.

Each row is ``(id, input, expected year)``; ``expected`` keys must equal the output's ``year``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from hoso.rules.errors import InvalidInput
from hoso.rules.evaluate import evaluate_document

from .primary_builders import changed, rated, tt27_input, tt30_input, without_subject

Case = tuple[str, dict[str, Any], dict[str, Any]]
HTXS = {"result": "HTXS", "completes_grade": True, "title": "Học sinh Xuất sắc"}
HTT = {"result": "HTT", "completes_grade": True, "title": None}
HT = {"result": "HT", "completes_grade": True, "title": None}
CHT = {"result": "CHT", "completes_grade": False, "title": None}
INCOMPLETE = {"result": None, "completes_grade": None, "title": None}


def run(data: Any) -> Any:
    return evaluate_document(json.loads(json.dumps(data), parse_float=Decimal))


def lowest_test(grade: int, lowest: int, subject: str = "Toán") -> dict[str, Any]:
    """Every subject T, every rating T, tests 10 except ``subject`` at ``lowest``."""
    return changed(tt27_input(grade, test=10), subject, test=lowest)


CASES: list[Case] = [
    # Art. 9.2 thresholds on the lowest end-of-year test, all levels T (inclusive: ≥ 9, ≥ 7, ≥ 5).
    ("tt27-lowest-9-htxs", lowest_test(4, 9), HTXS),
    ("tt27-lowest-8-htt", lowest_test(4, 8), HTT),
    ("tt27-lowest-7-htt", lowest_test(4, 7, "Khoa học"), HTT),
    ("tt27-lowest-6-ht", lowest_test(4, 6, "Lịch sử và Địa lí"), HT),
    (
        "tt27-lowest-5-ht",
        lowest_test(5, 5, "Tin học và Công nghệ"),
        HT | {"completes_primary": True},
    ),
    ("tt27-lowest-4-cht", lowest_test(4, 4, "Ngoại ngữ 1"), CHT),
    # Art. 7.1.d: 0 is a valid mark (TT27 dropped the "no 0" rule) → lowest 0 < 5 → CHT.
    ("tt27-zero-is-a-mark", lowest_test(3, 0, "Tiếng Việt"), CHT),
    # One H anywhere (an activity, untested) caps at HT even with every test 10 (pitfall 2).
    ("tt27-one-h-caps-ht", changed(tt27_input(4), "Hoạt động trải nghiệm", level="H"), HT),
    # One quality at Đ → HT; one competency at C → CHT; one subject at C → CHT.
    ("tt27-quality-dat-ht", rated(tt27_input(4), "qualities", "Trung thực", "Đ"), HT),
    ("tt27-competency-c-cht", rated(tt27_input(4), "competencies", "Thể chất", "C"), CHT),
    ("tt27-subject-c-cht", changed(tt27_input(2), "Đạo đức", level="C"), CHT),
    # D17: a tested subject without a year-end mark → incomplete (never CHT, D6).
    ("tt27-tested-subject-no-mark", changed(tt27_input(4), "Khoa học", test=None), INCOMPLETE),
    # D6: a missing level, quality or competency of the configured list → incomplete.
    ("tt27-missing-level", changed(tt27_input(4), "Mĩ thuật", level=None), INCOMPLETE),
    ("tt27-missing-quality", rated(tt27_input(4), "qualities", "Nhân ái", None), INCOMPLETE),
    # D8: Ngoại ngữ 1 in grade 2 is an elective: with level H it counts (→ HT); without a level it
    # is left out (→ HTXS); its test counts when given (8 → HTT).
    ("tt27-elective-h-counts", changed(tt27_input(2), "Ngoại ngữ 1", level="H", test=None), HT),
    ("tt27-elective-no-level", changed(tt27_input(2), "Ngoại ngữ 1", level=None, test=None), HTXS),
    ("tt27-elective-test-8", changed(tt27_input(2), "Ngoại ngữ 1", level="T", test=8), HTT),
    # Tiếng dân tộc thiểu số: elective in every grade, no required test.
    (
        "tt27-minority-language-no-test",
        changed(tt27_input(4), "Tiếng dân tộc thiểu số", level="T", test=None),
        HTXS,
    ),
    # D16: exempt subject left out (→ HTXS).
    (
        "tt27-exempt-left-out",
        changed(tt27_input(5), "Giáo dục thể chất", level=None, test=None, exempt=True),
        HTXS | {"completes_primary": True},
    ),
    # D9: the default specific competencies are the five of the form; a Công nghệ rating given
    # without the configuration is not considered; switched on, it must be rated.
    (
        "tt27-competency-not-configured",
        rated(tt27_input(4), "competencies", "Công nghệ", "C"),
        HTXS,
    ),
    (
        "tt27-competency-configured-missing",
        tt27_input(4)
        | {
            "specific_competencies": [
                "Ngôn ngữ",
                "Tính toán",
                "Khoa học",
                "Công nghệ",
                "Tin học",
                "Thẩm mĩ",
                "Thể chất",
            ]
        },
        INCOMPLETE,
    ),
    # D21: alias "Tiếng Anh" is Ngoại ngữ 1 (tested in grade 4); unknown name accepted as an
    # ordinary subject: at H it caps the result at HT.
    (
        "tt27-alias-tested",
        changed(without_subject(tt27_input(4), "Ngoại ngữ 1"), "Tiếng Anh", level="T", test=7),
        HTT,
    ),
    ("tt27-unknown-subject", changed(tt27_input(4), "Cờ vua", level="H", test=None), HT),
    # Art. 11: absences are not a criterion.
    ("tt27-absences-ignored", tt27_input(4) | {"absences": 120}, HTXS),
    # Grade 5 completion: "Hoàn thành chương trình tiểu học" only when the grade is completed.
    ("tt27-grade5-cht", lowest_test(5, 4), CHT | {"completes_primary": False}),
    # TT30 + TT22/2016: completion only (no four-level result); reward for all T, tests ≥ 9.
    (
        "tt30-completes-and-reward",
        tt30_input(5, test=9),
        {"result": None, "completes_grade": True, "completes_primary": True},
    ),
    (
        "tt30-test-4-not-completed",
        changed(tt30_input(5), "Toán", test=4),
        {"result": None, "completes_grade": False, "reward": None},
    ),
]


@pytest.mark.parametrize(("case_id", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_review_case(case_id: str, data: dict[str, Any], expected: dict[str, Any]) -> None:
    year = run(data)["year"]
    assert {key: year[key] for key in expected} == expected, case_id


def test_missing_test_is_named_in_the_explanation() -> None:
    out = run(changed(tt27_input(4), "Khoa học", test=None))
    assert any("Khoa học" in line and "kiểm tra" in line for line in out["explanation"])
    assert out["year"]["missing"] == ["điểm kiểm tra định kì cuối năm môn Khoa học"]


def test_exempt_subject_output_is_flagged_and_printed_mien() -> None:
    out = run(changed(tt27_input(4), "Âm nhạc", level=None, test=None, exempt=True))
    (music,) = [s for s in out["subjects"] if s["name"] == "Âm nhạc"]
    assert music["exempt"] is True and music["level"] is None and music["printed"] == "Miễn"


def test_regulation_omitted_is_chosen_and_named() -> None:
    data = tt27_input(4, school_year="2023-2024")
    del data["regulation"]
    assert run(data)["regulation"] == "TT27_2020"
    old = tt30_input(5, school_year="2023-2024")
    del old["regulation"]
    assert run(old)["regulation"] == "TT30_2014"


@pytest.mark.parametrize(
    ("test", "field"),
    [("8,5", "subjects[0].test"), (8.5, "subjects[0].test"), (11, "subjects[0].test")],
)
def test_decimal_or_out_of_range_test_mark_is_refused(test: object, field: str) -> None:
    """Art. 7.1.d: whole marks 0–10 only (primary.md §4.3)."""
    with pytest.raises(InvalidInput) as error:
        run(changed(tt27_input(4), "Tiếng Việt", test=test))
    assert error.value.field == field
