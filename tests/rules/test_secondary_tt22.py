"""TT22/2021: learning levels at every threshold, the Art. 9.3 adjustment (D2), training, titles,
promotion, summer training and re-assessment (D7, D14), missing marks (D6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from tests.rules.secondary_builders import (
    constant_comment,
    constant_score,
    subject,
    tt22_scores,
    tt22_student,
)

from hoso.rules.evaluate import evaluate_document
from hoso.rules.regulations.tt22_learning import tt22_learning, tt22_table_level
from hoso.rules.values import Comment, Rating

D = Decimal
NAMES = ("A", "B", "C", "D", "E", "F", "G", "H")


def scores(*values: str) -> dict[str, Decimal]:
    return {name: D(v) for name, v in zip(NAMES, values, strict=False)}


def evaluate(data: dict[str, Any]) -> dict[str, Any]:
    result = evaluate_document(data)
    assert isinstance(result, dict)
    return result


# Given eight score subjects and every comment subject Đạt, when classified, then:
@pytest.mark.parametrize(
    ("values", "level"),
    [
        (("8.0",) * 6 + ("6.5", "6.5"), Rating.TOT),  # 6 ≥ 8.0, lowest exactly 6.5
        (("8.0",) * 6 + ("6.4", "6.5"), Rating.KHA),  # 6.4 < 6.5: one-level drop, no adjustment
        (("8.0",) * 5 + ("7.9", "6.5", "6.5"), Rating.KHA),  # only 5 ≥ 8.0
        (("6.5",) * 6 + ("5.0", "5.0"), Rating.KHA),
        (("6.5",) * 5 + ("6.4", "5.0", "5.0"), Rating.DAT),  # only 5 ≥ 6.5
        (("5.0",) * 6 + ("3.5", "3.5"), Rating.DAT),
        (("5.0",) * 6 + ("3.4", "3.5"), Rating.CHUA_DAT),  # 3.4 < 3.5, would be Đạt: one level
        (("5.0",) * 5 + ("4.9", "9.0", "9.0"), Rating.DAT),  # 7 ≥ 5.0
        (("5.0",) * 4 + ("4.9", "4.9", "9.0", "9.0"), Rating.DAT),  # 6 ≥ 5.0
        (("5.0",) * 3 + ("4.9", "4.9", "4.9", "9.0", "9.0"), Rating.CHUA_DAT),  # only 5 ≥ 5.0
    ],
)
def test_table_levels_at_the_thresholds(values: tuple[str, ...], level: Rating) -> None:
    assert tt22_learning(scores(*values), {"GDTC": Comment.DAT}).level is level


@pytest.mark.parametrize(
    ("values", "comments", "table", "level"),
    [
        # would-be Tốt, one subject < 3.5 → table Chưa đạt → Đạt (adjacent, never back to Tốt)
        (("8.0",) * 7 + ("3.0",), {}, Rating.CHUA_DAT, Rating.DAT),
        # would-be Tốt, one subject < 5.0 → table Đạt → Khá
        (("8.0",) * 7 + ("4.0",), {}, Rating.DAT, Rating.KHA),
        # would-be Khá, one subject < 3.5 → table Chưa đạt → Đạt
        (("6.5",) * 7 + ("3.4",), {}, Rating.CHUA_DAT, Rating.DAT),
        # Tốt-level scores and one comment subject Chưa đạt → table Đạt → Khá (D2)
        (("8.0",) * 8, {"X": Comment.CHUA_DAT}, Rating.DAT, Rating.KHA),
        # two causes: no adjustment
        (("8.0",) * 6 + ("4.0", "4.0"), {}, Rating.DAT, Rating.DAT),
        (
            ("8.0",) * 8,
            {"X": Comment.CHUA_DAT, "Y": Comment.CHUA_DAT},
            Rating.CHUA_DAT,
            Rating.CHUA_DAT,
        ),
        (("8.0",) * 7 + ("3.0",), {"X": Comment.CHUA_DAT}, Rating.CHUA_DAT, Rating.CHUA_DAT),
        # one cause, but the count of the target does not hold (only 5 ≥ 8.0, only 5 ≥ 6.5)
        (("8.0",) * 5 + ("6.4", "6.4", "3.0"), {}, Rating.CHUA_DAT, Rating.CHUA_DAT),
        # would-be Tốt fails its count, would-be Khá adjusts: Chưa đạt → Đạt
        (("8.0",) * 5 + ("7.0", "7.0", "3.0"), {}, Rating.CHUA_DAT, Rating.DAT),
        # one-level drop (Khá → Đạt) is never adjusted
        (("6.5",) * 7 + ("4.0",), {}, Rating.DAT, Rating.DAT),
        # a would-be Đạt with one subject < 3.5 stays Chưa đạt
        (("5.0",) * 7 + ("3.0",), {}, Rating.CHUA_DAT, Rating.CHUA_DAT),
    ],
)
def test_adjustment_art_9_3(
    values: tuple[str, ...], comments: dict[str, Comment], table: Rating, level: Rating
) -> None:
    decision = tt22_learning(scores(*values), {"GDTC": Comment.DAT} | comments)
    assert (decision.table, decision.level) == (table, level)
    assert decision.adjusted is (table is not level)
    if decision.adjusted:
        assert "Điều 9.3" in decision.explanation


def test_explanation_names_the_clause_and_the_numbers() -> None:
    decision = tt22_learning(scores("8.0", "8.0", "8.0", "8.0", "8.0", "7.0", "7.0", "6.3"), {})
    assert decision.level is Rating.KHA
    assert decision.explanation == (
        "Khá (TT22 Điều 9.2): mọi môn nhận xét Đạt; mọi môn ≥ 5,0; 7 môn ≥ 6,5 (cần 6); "
        "không đủ điều kiện Tốt vì H 6,3 < 6,5; chỉ 5 môn ≥ 8,0 (cần 6)."
    )


def test_table_level_counts_five_under_tt43() -> None:
    five = scores("8.0", "8.0", "8.0", "8.0", "8.0", "6.5", "6.5")
    assert tt22_table_level(five, {}, k=6) is Rating.KHA
    assert tt22_table_level(five, {}, k=5) is Rating.TOT


def test_given_no_comment_subject_when_classified_then_only_scores_count() -> None:
    assert tt22_learning(scores(*("9.0",) * 6), {}).level is Rating.TOT


# Titles (Art. 15): year only, no semester title.
def test_titles() -> None:
    xuat_sac = evaluate(tt22_student(tt22_scores(9, 9, 9, 9, 9, 9, 8, 8)))
    assert xuat_sac["year"]["title"] == "Học sinh Xuất sắc"
    assert xuat_sac["semester_1"]["title"] is None
    gioi = evaluate(tt22_student(tt22_scores(9, 9, 9, 9, 9, "8.9", 8, 8)))
    assert gioi["year"]["title"] == "Học sinh Giỏi"
    no_title = evaluate(tt22_student(tt22_scores(9, 9, 9, 9, 9, 9, 8, 8), conduct=("Tốt", "Khá")))
    assert no_title["year"]["title"] is None


# Promotion (Art. 12–14), in the engine's order.
@pytest.mark.parametrize(
    ("values", "conduct", "summer", "absences", "promotion"),
    [
        ((8,) * 8, ("Tốt", "Tốt"), None, 45, "promoted"),
        ((8,) * 8, ("Tốt", "Tốt"), None, 46, "retained"),
        ((8,) * 8, ("Tốt", "Tốt"), None, None, "incomplete"),
        ((8,) * 8, ("Khá", "Chưa đạt"), None, 0, "summer_training"),
        ((8,) * 8, ("Khá", "Chưa đạt"), "Đạt", 0, "promoted"),
        ((8,) * 8, ("Khá", "Chưa đạt"), "Chưa đạt", 0, "retained"),
        ((8,) * 8, ("Khá", "Chưa đạt"), "Đạt", None, "incomplete"),
        ((3,) * 8, ("Chưa đạt", "Chưa đạt"), "Đạt", 0, "retained"),  # D7
        ((3,) * 8, ("Tốt", "Tốt"), None, 0, "retest"),
        ((8,) * 8, (None, "Tốt"), None, 0, "incomplete"),
    ],
)
def test_promotion(
    values: tuple[object, ...],
    conduct: tuple[str | None, str | None],
    summer: str | None,
    absences: int | None,
    promotion: str,
) -> None:
    data = tt22_student(tt22_scores(*values), conduct=conduct, summer=summer, absences=absences)
    assert evaluate(data)["year"]["promotion"] == promotion


def test_year_training_given_by_the_homeroom_teacher_is_kept() -> None:
    data = tt22_student(tt22_scores(*(8,) * 8), conduct=("Tốt", "Khá"))
    data["conduct"]["year"] = "Tốt"
    assert evaluate(data)["year"]["conduct"] == "Tốt"


def test_given_reassessment_when_passed_then_promoted_and_year_learning_kept() -> None:
    data = tt22_student(
        tt22_scores(7, "6.8", "6.5", 6, "5.5", 3, "3.2", 5),
        retests={"Khoa học tự nhiên": 5, "Công nghệ": "4,0", "Toán": 9},
    )
    out = evaluate(data)
    assert out["year"]["learning"] == "Chưa đạt"
    assert out["year"]["learning_after_retest"] == "Đạt"
    assert out["year"]["promotion"] == "promoted"
    assert subject(out, "Công nghệ")["after_retest"] == "4.0"
    # Toán (6.8 ≥ 5.0) is not re-assessed: its mark is ignored and said so.
    assert subject(out, "Toán")["after_retest"] is None
    assert any("Toán: điểm kiểm tra lại không được tính" in line for line in out["explanation"])


def test_given_reassessment_of_a_comment_subject_when_passed_then_promoted() -> None:
    data = tt22_student(
        tt22_scores(*(8,) * 8),
        {"Giáo dục thể chất": "CĐ", "Nghệ thuật (Âm nhạc)": "CĐ"},
        retests={"Giáo dục thể chất": "Đ"},
    )
    out = evaluate(data)
    assert out["year"]["promotion"] == "promoted"
    assert subject(out, "Giáo dục thể chất")["after_retest"] == "Đ"


def test_given_reassessment_passed_but_absences_unknown_then_incomplete() -> None:
    data = tt22_student(tt22_scores(7, 7, 7, 7, 7, 7, 3, 3), absences=None, retests={"Tin học": 6})
    assert evaluate(data)["year"]["promotion"] == "incomplete"


def test_given_fewer_than_six_score_subjects_when_learning_fails_then_nothing_to_reassess() -> None:
    data = tt22_student({"Toán": 9, "Ngữ văn": 9})
    out = evaluate(data)
    assert out["year"]["learning"] == "Chưa đạt"
    assert out["year"]["promotion"] == "retained"


def test_missing_marks_make_results_incomplete_and_are_named() -> None:
    data = tt22_student(tt22_scores(*(8,) * 8))
    data["subjects"][0]["semester_2"]["final"] = None
    out = evaluate(data)
    assert subject(out, "Ngữ văn")["semester_2"] is None
    assert subject(out, "Ngữ văn")["year"] is None
    assert out["semester_1"]["learning"] == "Tốt"
    assert out["semester_2"]["learning"] is None
    assert out["year"]["learning"] is None
    assert out["year"]["title"] is None
    assert out["year"]["promotion"] == "incomplete"
    assert any("Ngữ văn, HK II" in line and "cuối kì" in line for line in out["explanation"])


def test_extra_regular_marks_are_averaged_and_null_cells_skipped() -> None:
    toan = constant_score("Toán", 8, 35)
    toan["semester_1"]["regular"] = [8, 8, None, 2]  # three recorded (D13), one blank cell
    out = evaluate(tt22_student({}, {}) | {"subjects": [toan]})
    assert subject(out, "Toán")["semester_1"] == "7.3"  # (18 + 16 + 24)/8 = 7.25


def test_exempt_under_tt22_keeps_the_subject_assessed() -> None:
    gdtc = constant_comment("Giáo dục thể chất", exempt=True)
    out = evaluate(tt22_student(tt22_scores(*(8,) * 8), {}) | {"subjects": [gdtc]})
    assert subject(out, "Giáo dục thể chất")["exempt"] is True
    assert subject(out, "Giáo dục thể chất")["year"] == "Đ"


@pytest.mark.parametrize(("taught_in", "year"), [(1, "6.0"), (2, "9.0")])
def test_one_semester_subject_takes_that_semester(taught_in: int, year: str) -> None:
    music = constant_score("Tin học", 6, 35, taught_in=taught_in)
    music["semester_2"] = {"regular": [9, 9], "midterm": 9, "final": 9}
    out = evaluate(tt22_student({}, {}) | {"subjects": [music]})
    assert subject(out, "Tin học")["year"] == year


def test_one_semester_comment_subject_takes_that_semester() -> None:
    art = constant_comment("Nghệ thuật (Mĩ thuật)", taught_in=1)
    art["semester_2"] = None
    out = evaluate(tt22_student({}, {}) | {"subjects": [art]})
    assert subject(out, "Nghệ thuật (Mĩ thuật)")["year"] == "Đ"
    assert subject(out, "Nghệ thuật (Mĩ thuật)")["semester_2"] is None


def test_unknown_subject_is_ordinary_and_said_so() -> None:
    odd = constant_score("Môn tự chọn của trường", 7)
    del odd["periods_per_year"]
    out = evaluate(tt22_student({}, {}) | {"subjects": [odd]})
    assert subject(out, "Môn tự chọn của trường")["semester_1"] == "7.0"
    assert any("không có trong danh mục" in line for line in out["explanation"])


def test_regular_count_from_the_catalogue_when_periods_are_not_given() -> None:
    toan = constant_score("Toán", 7, 140)
    del toan["periods_per_year"]
    toan["semester_1"]["regular"] = [7, 7, 7]  # Toán, grade 8: 4 required (catalogue)
    out = evaluate(tt22_student({}, {}) | {"subjects": [toan]})
    assert subject(out, "Toán")["semester_1"] is None
    assert subject(out, "Toán")["semester_2"] == "7.0"


def _tied(name: str, regular: list[str], midterm: str, final: str) -> dict[str, Any]:
    semester = {"regular": regular, "midterm": midterm, "final": final}
    return {
        "name": name,
        "assessment": "score",
        "periods_per_year": 70,
        "semester_1": dict(semester),
        "semester_2": dict(semester),
    }


@pytest.mark.parametrize(
    ("tied", "average", "level"),
    [
        # 51.6/8 = 6.45 → 6.5: "từ 6,5 trở lên" holds on the rounded value → Tốt, not Khá.
        (_tied("Công nghệ", ["6.5", "6.0", "7.0"], "5.4", "7.1"), "6.5", "Tốt"),
        # 27.6/8 = 3.45 → 3.5: not "dưới 3,5" → Đạt, not Chưa đạt.
        (_tied("Công nghệ", ["3", "3", "3.6"], "3", "4"), "3.5", "Đạt"),
        # 39.6/8 = 4.95 → 5.0: the sixth subject ≥ 5.0 → Đạt.
        (_tied("Công nghệ", ["6.5", "6.5", "5.0"], "5.1", "3.8"), "5.0", "Đạt"),
    ],
)
def test_given_an_exact_tie_when_classified_then_the_rounded_value_meets_the_threshold(
    tied: dict[str, Any], average: str, level: str
) -> None:
    if level == "Tốt":
        values: tuple[object, ...] = (8, 8, 8, 8, 8, 8, 6.5, 8)
    elif average == "3.5":
        values = (5, 5, 5, 5, 5, 5, 5, 5)
    else:
        values = (5, 5, 5, 5, 5, 4, 5, 4)
    data = tt22_student(tt22_scores(*values))
    data["subjects"][6] = tied
    out = evaluate(data)
    assert subject(out, "Công nghệ")["year"] == average
    assert out["year"]["learning"] == level


def test_given_a_7_95_tie_when_counted_then_it_is_the_sixth_subject_at_8() -> None:
    data = tt22_student(tt22_scores(8, 8, 8, 8, 8, 7, 7, 7))
    data["subjects"][5] = _tied("Khoa học tự nhiên", ["6.5", "6.5", "9.0"], "7.0", "9.2")
    out = evaluate(data)
    assert subject(out, "Khoa học tự nhiên")["year"] == "8.0"
    assert out["year"]["learning"] == "Tốt"
