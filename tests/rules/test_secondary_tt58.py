"""TT58/2011 as amended by TT26 and in its original form: học lực thresholds, core and specialised
subjects, the Art. 13.6 adjustment (D3), comment subjects (D5), conduct (D12), titles, promotion."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from tests.rules.secondary_builders import constant_score, subject, tt58_scores, tt58_student

from hoso.rules.errors import InvalidInput
from hoso.rules.evaluate import evaluate_document
from hoso.rules.regulations.tt58_2011 import tt58_title
from hoso.rules.regulations.tt58_learning import core_codes, tt58_learning_level
from hoso.rules.values import AcademicLevel, Comment, Conduct

D = Decimal
L = AcademicLevel
SUBJECTS = ("Toán", "Ngữ văn", "Tiếng Anh", "Vật lí", "Hoá học", "Sinh học", "Lịch sử", "Địa lí")


def evaluate(data: dict[str, Any]) -> dict[str, Any]:
    result = evaluate_document(data)
    assert isinstance(result, dict)
    return result


def level(
    *values: str,
    comments: dict[str, Comment] | None = None,
    variant: str = "TT26",
    specialised: str | None = None,
) -> tuple[str, str, str]:
    decision = tt58_learning_level(
        variant=variant,
        subject_averages={n: D(v) for n, v in zip(SUBJECTS, values, strict=False)},
        comment_results={"Thể dục": Comment.DAT} | (comments or {}),
        specialised_subject=specialised,
    )
    assert decision is not None
    return str(decision.overall_average), decision.raw.value, decision.learning.value


def test_core_subjects_of_each_variant_come_from_the_catalogue() -> None:
    assert core_codes("TT26") == {"toan", "ngu_van", "ngoai_ngu_1"}
    assert core_codes("original") == {"toan", "ngu_van"}


@pytest.mark.parametrize(
    ("values", "raw"),
    [
        (("8.0",) * 7 + ("6.5",), "Khá"),  # ĐTBhk 62.5/8 = 7.8 < 8.0
        (("8.5",) * 7 + ("6.5",), "Giỏi"),  # 8.3, lowest 6.5 inclusive
        (("8.5",) * 7 + ("6.4",), "Khá"),  # 6.4 < 6.5 (one level: no adjustment)
        (("7.0",) * 7 + ("5.0",), "Khá"),
        (("7.0",) * 7 + ("4.9",), "Trung bình"),
        (("6.5",) * 7 + ("5.0",), "Trung bình"),  # ĐTBhk 50.5/8 = 6.3125 → 6.3 < 6.5
        (("5.5",) * 7 + ("3.5",), "Trung bình"),
        (("5.5",) * 7 + ("3.4",), "Yếu"),
        (("5.0",) * 7 + ("3.5",), "Yếu"),  # ĐTBhk 38.5/8 = 4.8 < 5.0
        (("4.0",) * 7 + ("2.0",), "Yếu"),
        (("4.0",) * 7 + ("1.9",), "Kém"),
        (("3.5",) * 7 + ("2.0",), "Kém"),  # ĐTBhk 26.5/8 = 3.3 < 3.5
        (("3.4",) * 8, "Kém"),
    ],
)
def test_table_level_at_the_thresholds(values: tuple[str, ...], raw: str) -> None:
    assert level(*values)[1] == raw


def test_core_condition_differs_between_variants() -> None:
    values = ("7.9", "7.9", "8.0", "9.0", "9.0", "9.0", "9.0", "9.0")
    assert level(*values, variant="TT26")[1] == "Giỏi"
    assert level(*values, variant="original")[1] == "Khá"


def test_specialised_subject_is_an_extra_condition() -> None:
    values = ("8.5",) * 3 + ("7.9",) + ("8.5",) * 4
    assert level(*values)[1] == "Giỏi"
    assert level(*values, specialised="Vật lí")[1] == "Khá"
    with pytest.raises(InvalidInput):
        level(*values, specialised="Môn không có")


@pytest.mark.parametrize(
    ("values", "comments", "expected"),
    [
        # The four rows of Art. 13.6.
        (("8.6",) * 7 + ("4.0",), {}, ("8.0", "Trung bình", "Khá")),
        (("8.5",) * 7 + ("4.0",), {}, ("7.9", "Trung bình", "Trung bình")),  # Khá-level: 1 level
        (("8.6",) * 7 + ("3.0",), {}, ("7.9", "Yếu", "Trung bình")),  # the Khá → Yếu row
        (("9.0",) * 7 + ("3.0",), {}, ("8.3", "Yếu", "Trung bình")),
        (("7.0",) * 7 + ("3.4",), {}, ("6.6", "Yếu", "Trung bình")),
        (("7.0",) * 7 + ("1.5",), {}, ("6.3", "Kém", "Kém")),  # 6.3 < 6.5: not Khá-level
        (("7.5",) * 7 + ("1.5",), {}, ("6.8", "Kém", "Yếu")),
        # A comment subject CĐ is the one cause (D3).
        (("8.5",) * 8, {"Âm nhạc": Comment.CHUA_DAT}, ("8.5", "Yếu", "Trung bình")),
        # Two causes: no adjustment.
        (("9.0",) * 6 + ("4.0", "4.0"), {}, ("7.8", "Trung bình", "Trung bình")),
        (("9.5",) * 6 + ("4.0", "4.0"), {}, ("8.1", "Trung bình", "Trung bình")),
        # Core condition fails for Giỏi (no core ≥ 8.0), holds for Khá: the Khá row applies.
        (("7.0", "7.0", "7.0") + ("9.9",) * 4 + ("3.0",), {}, ("8.0", "Yếu", "Trung bình")),
    ],
)
def test_adjustment_art_13_6(
    values: tuple[str, ...], comments: dict[str, Comment], expected: tuple[str, str, str]
) -> None:
    assert level(*values, comments=comments) == expected


def test_core_failure_is_not_a_single_subject_cause() -> None:
    values = ("4.5", "4.5", "4.5") + ("9.9",) * 5
    assert level(*values) == ("7.9", "Yếu", "Yếu")


@pytest.mark.parametrize(
    ("learning", "conduct", "title"),
    [
        (L.GIOI, Conduct.TOT, "Học sinh giỏi"),
        (L.GIOI, Conduct.KHA, "Học sinh tiên tiến"),
        (L.KHA, Conduct.KHA, "Học sinh tiên tiến"),
        (L.KHA, Conduct.TRUNG_BINH, None),
        (L.TRUNG_BINH, Conduct.TOT, None),
        (None, Conduct.TOT, None),
        (L.GIOI, None, None),
    ],
)
def test_titles_art_18(
    learning: AcademicLevel | None, conduct: Conduct | None, title: str | None
) -> None:
    assert tt58_title(learning, conduct) == title


def test_semester_titles_and_averages() -> None:
    out = evaluate(tt58_student(tt58_scores(*(8.5,) * 11), conduct=("Tốt", "Khá", "Tốt")))
    assert out["semester_1"] == {
        "learning": "Giỏi",
        "conduct": "Tốt",
        "title": "Học sinh giỏi",
        "average": "8.5",
    }
    assert out["semester_2"]["title"] == "Học sinh tiên tiến"
    assert out["year"]["title"] == "Học sinh giỏi"
    assert out["year"]["average"] == "8.5"


@pytest.mark.parametrize(
    ("values", "conduct", "summer", "absences", "promotion"),
    [
        ((7,) * 11, "Tốt", None, 45, "promoted"),
        ((7,) * 11, "Tốt", None, 46, "retained"),
        ((7,) * 11, "Tốt", None, None, "incomplete"),
        ((7,) * 11, None, None, 0, "incomplete"),  # D12: year conduct never derived
        ((7,) * 11, "Yếu", None, 0, "summer_training"),
        ((7,) * 11, "Yếu", "Trung bình", 0, "promoted"),
        ((7,) * 11, "Yếu", "Yếu", 0, "retained"),
        ((7,) * 11, "Yếu", "Khá", None, "incomplete"),
        ((3,) * 10 + (1.5,), "Tốt", None, 0, "retained"),  # Kém
        ((5,) * 9 + (3, 3), "Yếu", None, 0, "retained"),  # Yếu and Yếu
        ((5,) * 9 + (3, 3), "Trung bình", None, 0, "retest"),
    ],
)
def test_promotion(
    values: tuple[object, ...],
    conduct: str | None,
    summer: str | None,
    absences: int | None,
    promotion: str,
) -> None:
    data = tt58_student(
        tt58_scores(*values), conduct=(conduct, conduct, conduct), summer=summer, absences=absences
    )
    assert evaluate(data)["year"]["promotion"] == promotion


def test_retest_failed_then_retained() -> None:
    data = tt58_student(
        tt58_scores(3, *(5.5,) * 9, 3), conduct=("Khá",) * 3, retests={"Toán": 4, "Tin học": 3}
    )
    out = evaluate(data)
    assert out["year"]["learning"] == "Yếu"
    assert out["year"]["learning_after_retest"] == "Yếu"
    assert out["year"]["promotion"] == "retained"
    assert out["year"]["average_after_retest"] == "5.1"  # 56.5/11


def test_retest_passed_but_absences_unknown_then_incomplete() -> None:
    data = tt58_student(
        tt58_scores(3, *(5.5,) * 9, 3), absences=None, retests={"Toán": 6, "Tin học": 6}
    )
    assert evaluate(data)["year"]["promotion"] == "incomplete"


def test_retest_mark_of_a_subject_not_retested_is_ignored_and_said_so() -> None:
    data = tt58_student(tt58_scores(*(7,) * 11), retests={"Toán": 9})
    out = evaluate(data)
    assert subject(out, "Toán")["after_retest"] is None
    assert any("không thuộc diện kiểm tra lại" in line for line in out["explanation"])


def test_exempt_subject_is_left_out_and_marked_exempt() -> None:
    data = tt58_student(tt58_scores(*(8.5,) * 11), {"Thể dục": "Đ"})
    data["subjects"][11] = {"name": "Thể dục", "assessment": "comment", "exempt": True}
    out = evaluate(data)
    assert subject(out, "Thể dục") == {
        "name": "Thể dục",
        "code": "giao_duc_the_chat",
        "exempt": True,
        "semester_1": None,
        "semester_2": None,
        "year": None,
        "after_retest": None,
    }
    assert out["year"]["learning"] == "Giỏi"


def test_regular_count_by_catalogue_when_periods_are_not_given() -> None:
    toan = constant_score("Toán", 7, 140)
    del toan["periods_per_year"]
    toan["semester_1"]["regular"] = [7, 7, 7]  # the catalogue requires 4 for Toán
    unknown = constant_score("Môn địa phương", 7, 35)
    del unknown["periods_per_year"]
    out = evaluate(tt58_student({}, {}) | {"subjects": [toan, unknown]})
    assert subject(out, "Toán")["semester_1"] is None
    assert subject(out, "Môn địa phương")["semester_1"] == "7.0"


def test_original_tt58_uses_periodic_tests_and_periods_per_week() -> None:
    toan = {
        "name": "Toán",
        "assessment": "score",
        "periods_per_year": 140,
        "semester_1": {"regular": [7, 8, 6, 10], "periodic": [7, 6, 5, 9], "final": 8},
        "semester_2": {"regular": [8, 9, 9, 8], "midterm": 9, "periodic": [8], "final": 8},
    }
    the_duc = {
        "name": "Thể dục",
        "assessment": "comment",
        "semester_1": {"regular": ["Đ", "Đ", "CĐ"], "periodic": ["Đ", "Đ"], "final": "Đ"},
        "semester_2": {"regular": ["Đ", "Đ", "Đ"], "final": "Đ"},
    }
    data = tt58_student({}, {}, regulation="TT58_2011_original", school_year="2017-2018") | {
        "subjects": [toan, the_duc]
    }
    out = evaluate(data)
    assert out["regulation"] == "TT58_2011_original"
    assert subject(out, "Toán")["semester_1"] == "7.3"  # 109/15
    assert subject(out, "Toán")["semester_2"] == "8.4"  # (34 + 2×17 + 24)/11 = 92/11
    assert subject(out, "Thể dục")["semester_1"] == "Đ"
    assert subject(out, "Thể dục")["semester_2"] is None  # no KTđk
    assert any("KTđk" in line for line in out["explanation"])


def test_original_regular_count_from_the_catalogue_or_the_default() -> None:
    toan = constant_score("Toán", 7, 140)
    del toan["periods_per_year"]
    for semester in ("semester_1", "semester_2"):
        toan[semester]["periodic"] = [toan[semester].pop("midterm")]
    odd = constant_score("Môn địa phương", 7, 35)
    del odd["periods_per_year"]
    data = tt58_student({}, {}, regulation="TT58_2011_original", school_year="2015-2016")
    out = evaluate(data | {"subjects": [toan, odd]})
    assert subject(out, "Toán")["year"] == "7.0"
    assert subject(out, "Môn địa phương")["year"] == "7.0"


def test_no_score_subject_means_no_level() -> None:
    data = tt58_student({}, {"Thể dục": "Đ"})
    out = evaluate(data)
    assert out["year"]["learning"] is None
    assert out["year"]["promotion"] == "incomplete"
