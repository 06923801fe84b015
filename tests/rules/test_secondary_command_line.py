"""``python -m hoso.rules evaluate``: reading, validation messages (field and item named),
dispatch to the primary engine, exit codes."""

from __future__ import annotations

import io
import json
import runpy
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.rules.secondary_builders import (
    constant_comment,
    constant_score,
    tt22_student,
    tt58_student,
)

from hoso.rules import cli
from hoso.rules.errors import InvalidInput
from hoso.rules.evaluate import evaluate_document, evaluate_json, primary_regulations


def refused(data: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        evaluate_document(data)
    return error.value


def one_subject(subject: dict[str, Any], **top: Any) -> dict[str, Any]:
    return tt22_student({}, {}) | {"subjects": [subject]} | top


# Invalid input: the field is named, and the subject too.
@pytest.mark.parametrize(
    ("change", "field", "mention"),
    [
        (
            lambda s: s["semester_1"].update(regular=["8,55", 7]),
            "subjects[0].semester_1.regular[0]",
            "Toán",
        ),
        (
            lambda s: s["semester_1"].update(regular=[7, "9.75"]),
            "subjects[0].semester_1.regular[1]",
            "thứ 2",
        ),
        (lambda s: s["semester_2"].update(final=11), "subjects[0].semester_2.final", "cuối kì"),
        (
            lambda s: s["semester_1"].update(midterm="Đ"),
            "subjects[0].semester_1.midterm",
            "giữa kì",
        ),
        (lambda s: s.update(semester_1=[7]), "subjects[0].semester_1", "đối tượng"),
        (
            lambda s: s["semester_1"].update(regular=7),
            "subjects[0].semester_1.regular",
            "danh sách",
        ),
        (lambda s: s["semester_1"].update(periodic=[7]), "subjects[0].semester_1.periodic", "KTđk"),
        (lambda s: s.update(assessment="grade"), "subjects[0].assessment", "score"),
        (lambda s: s.update(taught_in=3), "subjects[0].taught_in", "taught_in"),
        (lambda s: s.update(exempt="yes"), "subjects[0].exempt", "exempt"),
        (lambda s: s.update(periods_per_year=0), "subjects[0].periods_per_year", "số tiết"),
        (lambda s: s.update(periods_per_year=True), "subjects[0].periods_per_year", "số tiết"),
        (lambda s: s.update(name=" "), "subjects[0].name", "tên môn"),
        (lambda s: s.update(retest="CĐ"), "subjects[0].retest", "kiểm tra lại"),
    ],
)
def test_invalid_subject_fields_are_named(change: Any, field: str, mention: str) -> None:
    toan = constant_score("Toán", 7)
    change(toan)
    error = refused(one_subject(toan))
    assert error.field == field
    assert mention in error.message


def test_a_subject_without_assessment_takes_it_from_the_catalogue() -> None:
    gdtc = constant_comment("Giáo dục thể chất")
    del gdtc["assessment"]
    out = evaluate_json(one_subject(gdtc))
    assert out["subjects"][0]["year"] == "Đ"  # type: ignore[index]
    unknown = constant_score("Môn lạ", 7)
    del unknown["assessment"]
    assert refused(one_subject(unknown)).field == "subjects[0].assessment"


@pytest.mark.parametrize(
    ("top", "field"),
    [
        ({"grade": 5}, "grade"),
        ({"grade": None}, "grade"),
        ({"school_year": 2025}, "school_year"),
        ({"school_year": "2025-2025"}, "school_year"),
        ({"subjects": []}, "subjects"),
        ({"subjects": "Toán"}, "subjects"),
        ({"absences": -1}, "absences"),
        ({"absences": 3.5}, "absences"),
        ({"conduct": "Tốt"}, "conduct"),
        ({"conduct": {"semester_1": "Trung bình"}}, "conduct.semester_1"),
        ({"conduct": {"summer": 1}}, "conduct.summer"),
        ({"specialised_subject": "Vật lí"}, "specialised_subject"),
        ({"specialised_subject": ""}, "specialised_subject"),
        ({"regulation": "TT99"}, "regulation"),
        ({"regulation": 22}, "regulation"),
    ],
)
def test_invalid_top_level_fields_are_named(top: dict[str, Any], field: str) -> None:
    assert refused(one_subject(constant_score("Toán", 7), **top)).field == field


def test_duplicate_subjects_are_refused() -> None:
    data = one_subject(constant_score("Toán", 7))
    data["subjects"].append(constant_score(" toán ", 8))
    error = refused(data)
    assert error.field == "subjects[1].name"
    assert "subjects[0]" in error.message


def test_tt58_conduct_levels_and_specialised_subject() -> None:
    data = tt58_student({"Toán": 8, "Vật lí": 7}, {}, specialised_subject="vật lí")
    out = evaluate_json(data)
    assert out["year"]["learning"] == "Khá"  # type: ignore[index]
    assert refused(tt58_student({"Toán": 8}, {}, conduct=("Đạt", None, None))).field == (
        "conduct.semester_1"
    )
    comment = tt58_student({"Toán": 8}, {"Thể dục": "Đ"}, specialised_subject="Thể dục")
    assert refused(comment).field == "specialised_subject"


def test_conduct_in_decomposed_unicode_is_read() -> None:
    data = tt22_student({"Toán": 7}, {}, conduct=(unicodedata.normalize("NFD", "Tốt"), "Tốt"))
    assert evaluate_json(data)["year"]["conduct"] == "Tốt"  # type: ignore[index]


def test_missing_conduct_object_means_nothing_entered() -> None:
    data = tt22_student({"Toán": 7}, {})
    del data["conduct"]
    out = evaluate_json(data)
    assert out["year"]["conduct"] is None  # type: ignore[index]
    assert out["year"]["promotion"] == "incomplete"  # type: ignore[index]


# The registry chooses when `regulation` is omitted (D11).
def test_regulation_omitted_is_chosen_and_named() -> None:
    data = tt58_student({"Toán": 7}, {}, school_year="2021-2022")
    del data["regulation"]
    out = evaluate_json(data)
    assert out["regulation"] == "TT58_2011"
    assert "Quy định áp dụng: TT58_2011" in out["explanation"][0]  # type: ignore[index]


def test_regulation_omitted_for_continuing_education_and_programme() -> None:
    data = tt22_student({"Toán": 7}, {}, regulation=None, grade=11, school_year="2023-2024")
    data["continuing_education"] = True
    assert evaluate_json(data)["regulation"] == "GDTX"
    data["programme"] = "old"
    assert evaluate_json(data | {"conduct": None})["regulation"] == "GDTX_old"


@pytest.mark.parametrize(
    ("top", "field"),
    [
        ({"grade": True}, "grade"),
        ({"grade": 13}, "grade"),
        ({"school_year": None}, "school_year"),
        ({"programme": 2018}, "programme"),
        ({"programme": "2006"}, "programme"),
        ({"continuing_education": "yes"}, "continuing_education"),
    ],
)
def test_regulation_omitted_needs_a_valid_year_grade_and_programme(
    top: dict[str, Any], field: str
) -> None:
    data = tt22_student({"Toán": 7}, {}, regulation=None) | top
    assert refused(data).field == field


# Lists: the output is a list; an invalid item is named by its 0-based index.
def test_a_list_gives_a_list_in_order() -> None:
    first = tt22_student({"Toán": 7}, {})
    second = tt22_student({"Toán": 9}, {})
    out = evaluate_document([first, second])
    assert isinstance(out, list)
    assert [o["subjects"][0]["year"] for o in out] == ["7.0", "9.0"]  # type: ignore[index]


def test_a_list_with_an_invalid_item_names_the_item_and_the_field() -> None:
    bad = one_subject(constant_score("Toán", 7))
    bad["subjects"][0]["semester_1"]["regular"][1] = "8,55"
    error = refused([tt22_student({"Toán": 7}, {}), bad])
    assert error.field == "[1].subjects[0].semester_1.regular[1]"
    assert error.message.startswith("mục 1:")
    assert refused([1]).field == "[0]"
    assert refused("x").field == ""


# Primary inputs go to hoso.rules.primary, with the regulation the registry chose.
def test_primary_input_is_dispatched_with_the_chosen_regulation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received: dict[str, Any] = {}

    def fake_primary(data: dict[str, Any]) -> dict[str, object]:
        received.update(data)
        return {"regulation": data["regulation"], "year": {"result": "HT"}}

    monkeypatch.setattr("hoso.rules.evaluate.evaluate_primary", fake_primary)
    data = {
        "school_year": "2023-2024",
        "grade": 5,
        "subjects": [{"name": "Toán", "test": Decimal("9.0")}],
    }
    assert evaluate_json(data) == {"regulation": "TT30_2014", "year": {"result": "HT"}}
    # never a float near a mark: the primary engine gets the Decimal as read
    assert received["subjects"][0]["test"] == Decimal("9.0")
    assert isinstance(received["subjects"][0]["test"], Decimal)
    assert evaluate_json({"regulation": "TT27_2020"})["regulation"] == "TT27_2020"
    assert primary_regulations() == {"TT27_2020", "TT30_2014"}


# The command itself.
def test_main_reads_a_file_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(tt22_student({"Toán": "8,5"}, {}), ensure_ascii=False), "utf-8")
    assert cli.main(["evaluate", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["subjects"][0]["year"] == "8.5"


def test_main_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys,
        "stdin",
        io.StringIO(
            '{"regulation": "TT22_2021", "grade": 8, '
            '"subjects": [{"name": "Toán", "assessment": '
            '"score", "periods_per_year": 35, "semester_1": {"regular": [7.1, 7.1], '
            '"midterm": 7.1, "final": 7.1}}]}'
        ),
    )
    assert cli.main(["evaluate", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["subjects"][0]["semester_1"] == "7.1"


@pytest.mark.parametrize(
    ("content", "mention"),
    [
        ("{not json", "không phải JSON"),
        (
            '{"regulation": "TT22_2021", "grade": 8, "subjects": [{"name": "Toán", '
            '"assessment": "score", "semester_1": {"regular": [9.75]}}]}',
            "subjects[0].semester_1.regular[0]",
        ),
    ],
)
def test_main_refuses_with_exit_2_and_nothing_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, mention: str
) -> None:
    path = tmp_path / "in.json"
    path.write_text(content, "utf-8")
    assert cli.main(["evaluate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert mention in captured.err


def test_main_refuses_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["evaluate", str(tmp_path / "absent.json")]) == 2
    assert "không đọc được tệp" in capsys.readouterr().err


def test_json_default_writes_decimals_only() -> None:
    assert cli._json_default(Decimal("8.5")) == "8.5"
    with pytest.raises(TypeError):
        cli._json_default(object())


def test_module_entry_point(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(tt22_student({"Toán": 7}, {})), "utf-8")
    monkeypatch.setattr(sys, "argv", ["python -m hoso.rules", "evaluate", str(path)])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module("hoso.rules", run_name="__main__")
    assert exit_.value.code == 0


def test_a_regulation_off_the_roadmap_is_evaluated_and_flagged() -> None:
    data = tt22_student({"Toán": 7}, {}, grade=9, school_year="2022-2023")
    out = evaluate_json(data)
    assert out["regulation"] == "TT22_2021"
    assert "theo lộ trình, năm học 2022-2023 lớp 9 áp dụng TT58_2011" in out["explanation"][0]  # type: ignore[index]
    data["programme"] = "2018"
    assert not str(evaluate_json(data)["explanation"]).count("Lưu ý")
