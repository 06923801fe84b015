"""Invalid primary inputs: refused with InvalidInput naming the field, in Vietnamese."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from hoso.rules.errors import InvalidInput
from hoso.rules.primary import evaluate_json

from .primary_builders import changed, rated, tt27_input

BASE = tt27_input(4)


def given(**top: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE)
    for key, value in top.items():
        if value is ...:
            del out[key]
        else:
            out[key] = value
    return out


INVALID = [
    # (case id, input, field, words in the message)
    ("unknown regulation", given(regulation="TT22_2021"), "regulation", "TT27_2020"),
    ("no regulation", given(regulation=...), "regulation", "tiểu học"),
    ("regulation not a string", given(regulation=27), "regulation", "27"),
    ("school year missing", given(school_year=...), "school_year", "2025-2026"),
    ("school year not consecutive", given(school_year="2025-2027"), "school_year", "2025-2027"),
    ("school year shape", given(school_year="2025/2026"), "school_year", "2025/2026"),
    ("school year number", given(school_year=2025), "school_year", "2025"),
    ("grade 6", given(grade=6), "grade", "từ 1 đến 5"),
    ("grade 0", given(grade=0), "grade", "từ 1 đến 5"),
    ("grade text", given(grade="4"), "grade", "'4'"),
    ("grade bool", given(grade=True), "grade", "True"),
    ("grade missing", given(grade=...), "grade", "None"),
    ("checkpoint", given(checkpoint="HK1"), "checkpoint", "GK1, CK1, GK2 hoặc CN"),
    ("checkpoint type", given(checkpoint=1), "checkpoint", "GK1"),
    ("subjects missing", given(subjects=...), "subjects", "ít nhất một môn"),
    ("subjects empty", given(subjects=[]), "subjects", "ít nhất một môn"),
    ("subjects text", given(subjects="Toán"), "subjects", "mảng"),
    ("subject not object", given(subjects=["Toán"]), "subjects[0]", "đối tượng"),
    ("subject without name", given(subjects=[{"level": "T"}]), "subjects[0].name", "tên môn"),
    ("subject blank name", given(subjects=[{"name": "  "}]), "subjects[0].name", "tên môn"),
    (
        "subject of another grade",
        changed(BASE, "Tự nhiên và Xã hội", level="T"),
        "subjects[11].name",
        "Tự nhiên và Xã hội không có trong chương trình lớp 4",
    ),
    (
        "secondary subject",
        changed(BASE, "Ngữ văn", level="T"),
        "subjects[11].name",
        "Ngữ văn",
    ),
    ("duplicate subject", changed(BASE, "Tiếng Anh", level="T"), "subjects[11].name", "trùng"),
    ("level", changed(BASE, "Toán", level="A"), "subjects[1].level", "Toán"),
    ("level number", changed(BASE, "Toán", level=9), "subjects[1].level", "T (Hoàn thành tốt)"),
    ("rating code for subject", changed(BASE, "Toán", level="Đ"), "subjects[1].level", "'Đ'"),
    ("decimal test", changed(BASE, "Toán", test=8.5), "subjects[1].test", "thập phân"),
    ("decimal comma test", changed(BASE, "Toán", test="8,5"), "subjects[1].test", "'8,5'"),
    ("test 11", changed(BASE, "Toán", test=11), "subjects[1].test", "từ 0 đến 10"),
    ("test -1", changed(BASE, "Toán", test=-1), "subjects[1].test", "từ 0 đến 10"),
    ("test text", changed(BASE, "Toán", test="chín"), "subjects[1].test", "không phải"),
    ("test bool", changed(BASE, "Toán", test=True), "subjects[1].test", "True"),
    ("test untested", changed(BASE, "Đạo đức", test=9), "subjects[6].test", "Điều 7 khoản 1"),
    ("exempt text", changed(BASE, "Âm nhạc", exempt="yes"), "subjects[8].exempt", "true"),
    ("exempt with level", changed(BASE, "Âm nhạc", exempt=True), "subjects[8].exempt", "D16"),
    (
        "exempt with test",
        changed(BASE, "Toán", exempt=True, level=None),
        "subjects[1].exempt",
        "D16",
    ),
    ("qualities list", given(qualities=["T"]), "qualities", "đối tượng"),
    ("unknown quality", rated(BASE, "qualities", "Dũng cảm", "T"), "qualities.Dũng cảm", "Yêu"),
    (
        "quality twice",
        rated(BASE, "qualities", "yêu  nước", "T"),
        "qualities.yêu  nước",
        "hai lần",
    ),
    ("quality level", rated(BASE, "qualities", "Nhân ái", "H"), "qualities.Nhân ái", "'H'"),
    (
        "old competency",
        rated(BASE, "competencies", "Hợp tác", "T"),
        "competencies.Hợp tác",
        "Giao tiếp và hợp tác",
    ),
    ("specific list text", given(specific_competencies="Tin học"), "specific_competencies", "mảng"),
    (
        "specific unknown",
        given(specific_competencies=["Âm nhạc"]),
        "specific_competencies",
        "Âm nhạc",
    ),
    (
        "specific duplicate",
        given(specific_competencies=["Ngôn ngữ", "ngôn ngữ"]),
        "specific_competencies",
        "lặp lại",
    ),
    (
        "specific not text",
        given(specific_competencies=[1]),
        "specific_competencies",
        "1",
    ),
    ("absences negative", given(absences=-1), "absences", "không âm"),
    ("absences text", given(absences="3"), "absences", "'3'"),
    ("absences bool", given(absences=False), "absences", "False"),
]


@pytest.mark.parametrize(
    ("data", "field", "words"), [pytest.param(*case[1:], id=case[0]) for case in INVALID]
)
def test_refused(data: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        evaluate_json(data)
    assert raised.value.field == field
    assert words in raised.value.message
    assert str(raised.value).startswith(field)


def test_not_an_object() -> None:
    with pytest.raises(InvalidInput, match="đối tượng JSON") as raised:
        evaluate_json(["TT27_2020"])  # type: ignore[arg-type]
    assert raised.value.field == ""


def test_upper_grade_competencies_refused_in_grade_2() -> None:
    data = tt27_input(2) | {"specific_competencies": ["Ngôn ngữ", "Tin học"]}
    with pytest.raises(InvalidInput, match="chỉ được bật cho lớp 3–5"):
        evaluate_json(data)


@pytest.mark.parametrize(
    ("test", "mark"), [(9, 9), ("9", 9), ("9.0", 9), ("9,0", 9), (9.0, 9), (0, 0), ("10", 10)]
)
def test_whole_marks_in_any_spelling_are_accepted(test: object, mark: int) -> None:
    out = evaluate_json(changed(BASE, "Toán", test=test))
    assert out["subjects"][1]["test"] == mark  # type: ignore[index]


@pytest.mark.parametrize(
    ("level", "code"), [("T", "T"), ("hoàn thành tốt", "T"), (" h ", "H"), ("Chưa hoàn thành", "C")]
)
def test_subject_level_spellings(level: str, code: str) -> None:
    out = evaluate_json(changed(BASE, "Toán", level=level))
    assert out["subjects"][1]["level"] == code  # type: ignore[index]


@pytest.mark.parametrize(("value", "code"), [("Đ", "Đ"), ("Đạt", "Đ"), ("d", "Đ"), ("tốt", "T")])
def test_rating_spellings(value: str, code: str) -> None:
    out = evaluate_json(rated(BASE, "qualities", "Nhân ái", value))
    assert out["qualities"]["Nhân ái"] == code  # type: ignore[index]


def test_rating_names_ignore_y_i_and_case() -> None:
    data = copy.deepcopy(BASE)
    data["competencies"]["Thẩm mỹ"] = data["competencies"].pop("Thẩm mĩ")
    data["qualities"]["TRUNG THỰC"] = data["qualities"].pop("Trung thực")
    assert evaluate_json(data)["year"]["result"] == "HTXS"  # type: ignore[index]


def test_unconfigured_competency_is_noted_and_left_out() -> None:
    data = rated(BASE, "competencies", "Tin học", "C")
    out = evaluate_json(data)
    assert out["year"]["result"] == "HTXS"  # type: ignore[index]
    assert any("competencies.Tin học" in line and "D9" in line for line in out["explanation"])  # type: ignore[attr-defined]
