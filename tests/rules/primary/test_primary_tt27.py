"""TT27/2020: boundary tables of every threshold (docs/regulations/tt27-2020.md) and decisions."""

from __future__ import annotations

from typing import Any, cast

import pytest

from hoso.rules.primary import (
    Checkpoint,
    Rating,
    RatingLevel,
    SubjectAssessment,
    SubjectLevel,
    YearInput,
    YearResult,
    evaluate_json,
    tt27_completes_grade,
    tt27_result_at_checkpoint,
    tt27_reward_candidate,
    tt27_year_result,
)
from hoso.rules.primary.tt27 import TITLE_EXCELLENT, TITLE_EXEMPLARY, tt27_in_force

from .primary_builders import changed, rated, tt27_input, without_subject


def year(data: dict[str, Any]) -> dict[str, Any]:
    return cast("dict[str, Any]", evaluate_json(data)["year"])


def explanation(data: dict[str, Any]) -> str:
    return "\n".join(evaluate_json(data)["explanation"])  # type: ignore[arg-type]


# Art. 9.2: the lowest end-of-year test against 9 (HTXS), 7 (HTT), 5 (HT), all else T/Tốt.
LOWEST_TEST_ALL_T = [
    (0, "CHT"),
    (4, "CHT"),
    (5, "HT"),
    (6, "HT"),
    (7, "HTT"),
    (8, "HTT"),
    (9, "HTXS"),
    (10, "HTXS"),
]


@pytest.mark.parametrize(("mark", "result"), LOWEST_TEST_ALL_T)
@pytest.mark.parametrize("grade", [1, 3, 4, 5])
def test_lowest_test_decides_between_levels(grade: int, mark: int, result: str) -> None:
    # given every subject T, every quality and competency Tốt, and Toán's year-end test at `mark`
    data = changed(tt27_input(grade), "Toán", test=mark)
    # then the Art. 9.2 thresholds are inclusive
    got = year(data)
    assert got["result"] == result
    assert got["completes_grade"] is (result != "CHT")
    assert got["title"] == (TITLE_EXCELLENT if result == "HTXS" else None)


@pytest.mark.parametrize(
    ("mark", "result"), [(4, "CHT"), (5, "HT"), (7, "HT"), (9, "HT"), (10, "HT")]
)
def test_one_h_caps_at_ht(mark: int, result: str) -> None:
    data = changed(tt27_input(4), "Âm nhạc", level="H")
    assert year(changed(data, "Khoa học", test=mark))["result"] == result


@pytest.mark.parametrize(("mark", "result"), [(4, "CHT"), (5, "HT"), (8, "HT"), (10, "HT")])
@pytest.mark.parametrize(
    ("key", "name"), [("qualities", "Trung thực"), ("competencies", "Thể chất")]
)
def test_one_dat_caps_at_ht(key: str, name: str, mark: int, result: str) -> None:
    data = rated(tt27_input(4), key, name, "Đ")
    assert year(changed(data, "Toán", test=mark))["result"] == result


@pytest.mark.parametrize("level", ["C", "Chưa hoàn thành"])
def test_one_subject_c_is_cht_whatever_the_marks(level: str) -> None:
    got = year(changed(tt27_input(2), "Hoạt động trải nghiệm", level=level))
    assert (got["result"], got["completes_grade"], got["title"]) == ("CHT", False, None)


@pytest.mark.parametrize(("key", "name"), [("qualities", "Yêu nước"), ("competencies", "Ngôn ngữ")])
def test_one_rating_c_is_cht(key: str, name: str) -> None:
    assert year(rated(tt27_input(5), key, name, "C"))["result"] == "CHT"


def test_all_h_and_dat_and_five_is_ht() -> None:
    data = tt27_input(3, level="H", test=5, rating="Đ")
    assert year(data)["result"] == "HT"


def test_explanation_names_clause_and_values() -> None:
    text = explanation(changed(tt27_input(4), "Toán", test=8))
    assert "TT27 Điều 9 khoản 2 điểm b" in text
    assert "thấp nhất 8 (Toán)" in text
    assert "Toán: điểm 8 < 9" in text
    assert "Điều 11 khoản 1" in text
    text = explanation(changed(tt27_input(4), "Khoa học", test=4))
    assert "điểm d" in text and "Khoa học: điểm 4 < 5" in text and "khoản 3" in text
    text = explanation(tt27_input(4))
    assert "điểm a" in text and "Học sinh Xuất sắc" in text
    text = explanation(changed(tt27_input(4), "Âm nhạc", level="H"))
    assert "điểm c" in text and "Âm nhạc: Hoàn thành (H)" in text


# D6 / D17: a blank is never zero; a tested subject without its year-end mark → incomplete.
@pytest.mark.parametrize(
    ("grade", "subject"),
    [
        (1, "Tiếng Việt"),
        (2, "Toán"),
        (3, "Ngoại ngữ 1"),
        (3, "Tin học và Công nghệ"),
        (5, "Khoa học"),
    ],
)
def test_tested_subject_without_mark_is_incomplete(grade: int, subject: str) -> None:
    data = changed(tt27_input(grade), subject, test=None)
    got = year(data)
    assert got == {
        "result": None,
        "result_label": None,
        "completes_grade": None,
        "completes_primary": None,
        "title": None,
        "missing": [f"điểm kiểm tra định kì cuối năm môn {subject}"],
    }
    assert subject in explanation(data)


def test_test_key_absent_is_not_entered() -> None:
    data = tt27_input(4)
    del data["subjects"][0]["test"]
    assert year(data)["result"] is None


def test_missing_level_is_incomplete_not_cht() -> None:
    data = changed(tt27_input(4), "Đạo đức", level=None)
    got = year(data)
    assert got["result"] is None
    assert got["missing"] == ["mức đánh giá cuối năm môn Đạo đức"]


def test_missing_and_blank_ratings_are_incomplete() -> None:
    data = tt27_input(4)
    del data["competencies"]["Thể chất"]
    data["qualities"]["Nhân ái"] = None
    got = year(data)
    assert got["result"] is None
    assert got["missing"] == [
        "mức cuối năm của phẩm chất Nhân ái",
        "mức cuối năm của năng lực Thể chất",
    ]


def test_no_ratings_at_all_is_incomplete() -> None:
    data = tt27_input(4)
    del data["qualities"]
    del data["competencies"]
    assert len(year(data)["missing"]) == 13


def test_incomplete_result_even_with_a_c() -> None:
    # a C elsewhere does not make a missing mark CHT: the result waits for the make-up test (D6)
    data = changed(changed(tt27_input(4), "Toán", level="C"), "Khoa học", test=None)
    assert year(data)["result"] is None


# D8: electives count when the pupil has a level; their test only if given.
@pytest.mark.parametrize("elective", ["Ngoại ngữ 1", "Tiếng dân tộc thiểu số"])
def test_elective_with_level_is_counted(elective: str) -> None:
    grade = 2 if elective == "Ngoại ngữ 1" else 4
    assert year(changed(tt27_input(grade), elective, level="H", test=None))["result"] == "HT"
    assert year(changed(tt27_input(grade), elective, level="T", test=None))["result"] == "HTXS"


def test_elective_test_counts_only_if_given() -> None:
    data = changed(tt27_input(2), "Ngoại ngữ 1", level="T", test=6)
    assert year(data)["result"] == "HT"
    assert "điểm kiểm tra 6 được tính" in explanation(data)


def test_elective_without_level_is_left_out() -> None:
    data = changed(tt27_input(2), "Ngoại ngữ 1", level=None, test=None)
    assert year(data)["result"] == "HTXS"
    assert "môn tự chọn chưa có mức đánh giá, không xét (quyết định D8)" in explanation(data)


# D16: an exempt subject is left out and printed "Miễn".
def test_exempt_subject_left_out_and_printed_mien() -> None:
    data = changed(tt27_input(4), "Giáo dục thể chất", level=None, test=None, exempt=True)
    out = evaluate_json(data)
    assert out["year"]["result"] == "HTXS"  # type: ignore[index]
    subject = next(s for s in out["subjects"] if s["name"] == "Giáo dục thể chất")  # type: ignore[attr-defined]
    assert subject == {
        "name": "Giáo dục thể chất",
        "official_name": "Giáo dục thể chất",
        "code": "giao_duc_the_chat",
        "level": None,
        "test": None,
        "exempt": True,
        "printed": "Miễn",
        "tested": False,
        "elective": False,
        "recognised": True,
    }
    assert "D16" in explanation(data)


def test_exempt_tested_subject_needs_no_mark() -> None:
    data = changed(tt27_input(4), "Ngoại ngữ 1", level=None, test=None, exempt=True)
    assert year(data)["result"] == "HTXS"


def test_exempt_false_is_an_ordinary_subject() -> None:
    data = changed(tt27_input(4), "Âm nhạc", exempt=False, level="H")
    assert year(data)["result"] == "HT"


def test_unrecognised_subject_is_ordinary_and_explained() -> None:
    data = changed(tt27_input(4), "Kĩ năng sống", level="T", test=None)
    assert year(data)["result"] == "HTXS"
    assert "Kĩ năng sống: tên môn không có trong danh mục" in explanation(data)
    assert year(changed(data, "Kĩ năng sống", level="H"))["result"] == "HT"
    assert year(changed(data, "Kĩ năng sống", test=6))["result"] == "HT"
    assert year(changed(data, "Kĩ năng sống", level=None))["result"] is None


def test_aliases_resolve_through_the_catalogue() -> None:
    data = changed(tt27_input(4), "Ngoại ngữ 1", name="Tiếng Anh")
    out = evaluate_json(changed(data, "Tiếng Anh", test=None))
    assert out["year"]["result"] is None  # type: ignore[index]
    subject = out["subjects"][2]  # type: ignore[index]
    assert (subject["name"], subject["official_name"], subject["tested"]) == (
        "Tiếng Anh",
        "Ngoại ngữ 1",
        True,
    )


def test_absent_compulsory_subject_is_noted_not_required() -> None:
    data = without_subject(tt27_input(4), "Khoa học")
    assert year(data)["result"] == "HTXS"
    assert "không có dữ liệu của môn bắt buộc lớp 4: Khoa học" in explanation(data)


# Art. 11: completion, absences are not a criterion; grade 5 completes primary.
@pytest.mark.parametrize(
    ("result", "completes"),
    [("HTXS", True), ("HTT", True), ("HT", True), ("CHT", False), (None, None)],
)
@pytest.mark.parametrize("days_absent", [None, 0, 45, 50, 200])
def test_completes_grade(
    result: str | None, completes: bool | None, days_absent: int | None
) -> None:
    outcome = tt27_completes_grade(result, days_absent)
    assert outcome.completes_grade is completes
    assert "Điều 11" in outcome.explanation[0]
    if days_absent is not None:
        assert f"Số buổi nghỉ ({days_absent}) không phải điều kiện" in outcome.explanation[-1]


def test_completes_grade_takes_the_enum_and_full_names() -> None:
    assert tt27_completes_grade(YearResult.HT).completes_grade is True
    assert tt27_completes_grade("Chưa hoàn thành").completes_grade is False


def test_absences_in_evaluate_input_are_explained_and_ignored() -> None:
    data = tt27_input(4) | {"absences": 60}
    assert year(data)["result"] == "HTXS"
    assert "Số buổi nghỉ (60)" in explanation(data)


@pytest.mark.parametrize(
    ("grade", "mark", "completes_primary"),
    [(5, 10, True), (5, 5, True), (5, 4, False), (4, 10, False), (1, 10, False)],
)
def test_completes_primary(grade: int, mark: int, completes_primary: bool) -> None:
    data = changed(tt27_input(grade), "Toán", test=mark)
    assert year(data)["completes_primary"] is completes_primary
    assert ("Hoàn thành chương trình tiểu học" in explanation(data)) is completes_primary


# Art. 9.1: no overall result at GK1, CK1, GK2.
@pytest.mark.parametrize("checkpoint", ["GK1", "CK1", "GK2", "ck1", Checkpoint.GK2])
def test_no_result_before_year_end(checkpoint: str) -> None:
    outcome = tt27_result_at_checkpoint(checkpoint)
    assert outcome.result is None
    assert "Điều 9 khoản 1" in outcome.explanation[0]


def test_checkpoint_cn_gives_the_year_result() -> None:
    year_input = YearInput(
        4,
        (SubjectAssessment("Toán", SubjectLevel.T, 9, tested=True),),
        (Rating("phẩm chất Yêu nước", RatingLevel.T),),
    )
    assert tt27_result_at_checkpoint("CN", year_input).result is YearResult.HTXS
    with pytest.raises(ValueError, match="year-end values"):
        tt27_result_at_checkpoint(Checkpoint.CN)


def mid_semester(grade: int, checkpoint: str) -> dict[str, Any]:
    """A grade-4/5 input at GK1 or GK2: only Tiếng Việt and Toán have a test (Art. 7.1.b)."""
    data = tt27_input(grade) | {"checkpoint": checkpoint}
    for subject in data["subjects"]:
        if subject["name"] not in ("Tiếng Việt", "Toán"):
            subject["test"] = None
    return data


@pytest.mark.parametrize(
    "data",
    [mid_semester(4, "GK1"), tt27_input(4) | {"checkpoint": "CK1"}, mid_semester(5, "GK2")],
)
def test_evaluate_at_a_checkpoint_has_no_result(data: dict[str, Any]) -> None:
    got = year(data)
    assert (got["result"], got["completes_grade"], got["title"]) == (None, None, None)
    assert "Điều 9 khoản 1" in explanation(data)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (tt27_input(4) | {"checkpoint": "GK1"}, "subjects[2].test"),  # Ngoại ngữ 1: CK1, CN only
        (tt27_input(3) | {"checkpoint": "GK2"}, "subjects[0].test"),  # grade 3: no mid-semester
    ],
)
def test_evaluate_at_a_checkpoint_refuses_a_test_not_given_there(
    data: dict[str, Any], field: str
) -> None:
    from hoso.rules.errors import InvalidInput

    with pytest.raises(InvalidInput, match="không có bài kiểm tra định kì") as raised:
        evaluate_json(data)
    assert raised.value.field == field


def test_year_result_direct_with_no_tests() -> None:
    outcome = tt27_year_result(
        YearInput(1, (SubjectAssessment("Đạo đức", SubjectLevel.T),), (Rating("x", RatingLevel.T),))
    )
    assert outcome.result is YearResult.HTXS
    assert "không có bài kiểm tra cuối năm" in outcome.explanation[0]


# Art. 13.1.a: reward candidates.
@pytest.mark.parametrize(
    ("result", "subject", "progress", "recognised", "candidate"),
    [
        ("HTT", "Toán", None, True, TITLE_EXEMPLARY),
        ("HTT", None, "Trách nhiệm", True, TITLE_EXEMPLARY),
        ("HTT", "Toán", "Trách nhiệm", True, TITLE_EXEMPLARY),
        ("HTT", "Toán", None, False, None),
        ("HTT", "Toán", None, None, None),
        ("HTT", None, None, True, None),
        ("HTT", "", "", True, None),
        ("HTXS", "Toán", None, True, None),
        ("HT", "Toán", None, True, None),
        ("CHT", "Toán", None, True, None),
        (None, "Toán", None, True, None),
    ],
)
def test_reward_candidate(
    result: str | None,
    subject: str | None,
    progress: str | None,
    recognised: bool | None,
    candidate: str | None,
) -> None:
    outcome = tt27_reward_candidate(result, subject, progress, recognised)
    assert outcome.candidate == candidate
    assert "Điều 13 khoản 1 điểm a" in outcome.explanation[0]


# Phase-in (TT27, circular Art. 2): grade N from school year (2019 + N)-(2020 + N).
@pytest.mark.parametrize("grade", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("start", range(2016, 2027))
def test_phase_in(grade: int, start: int) -> None:
    assert tt27_in_force(start, grade) is (start >= 2019 + grade)


def test_tt27_refused_before_phase_in() -> None:
    from hoso.rules.errors import InvalidInput

    with pytest.raises(InvalidInput, match="áp dụng cho lớp 5 từ năm học 2024-2025") as raised:
        evaluate_json(tt27_input(5, school_year="2023-2024"))
    assert raised.value.field == "regulation"
    assert year(tt27_input(5, school_year="2024-2025"))["result"] == "HTXS"
