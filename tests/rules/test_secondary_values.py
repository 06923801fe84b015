"""Marks, the one rounding rule (D1), comment results, averages, counts and the catalogue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hoso.rules import catalogue
from hoso.rules.averages import (
    assessment_mark_from_parts,
    regular_count,
    semester_average,
    subject_year_average,
    tt58_original_regular_count,
    tt58_overall_average,
)
from hoso.rules.errors import InvalidInput
from hoso.rules.values import (
    AcademicLevel,
    Comment,
    Conduct,
    Rating,
    decimal_text,
    parse_comment,
    parse_mark,
    round_half_up_1,
    vn,
)

D = Decimal


@pytest.mark.parametrize(
    ("exact", "rounded"),
    [
        ("7.26", "7.3"),
        ("8.25", "8.3"),  # half up, not half to even
        ("7.85", "7.9"),
        ("7.95", "8.0"),
        ("6.45", "6.5"),
        ("4.95", "5.0"),
        ("3.45", "3.5"),
        ("6.4454545", "6.4"),  # once, from the exact value: never 6.45 → 6.5
        ("6.4499999", "6.4"),
        ("0", "0.0"),
        ("10", "10.0"),
    ],
)
def test_round_half_up_1_boundaries(exact: str, rounded: str) -> None:
    assert str(round_half_up_1(D(exact))) == rounded


def test_decimal_text_and_vn_forms() -> None:
    assert decimal_text(D(7)) == "7.0"
    assert vn(D("6.45")) == "6,5"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (0, "0.0"),
        (10, "10.0"),
        ("8,5", "8.5"),
        ("8.5", "8.5"),
        (" 7 ", "7.0"),
        (8.5, "8.5"),
        (D("9.3"), "9.3"),
        (D("8.50"), "8.5"),  # a trailing zero is not a second decimal
        ("0,0", "0.0"),
    ],
)
def test_parse_mark_accepts_recorded_marks(raw: object, value: str) -> None:
    parsed = parse_mark(raw, "f")
    assert parsed is not None
    assert str(parsed) == value


def test_parse_mark_blank_is_not_zero() -> None:
    assert parse_mark(None, "f") is None


@pytest.mark.parametrize(
    "raw",
    [
        "8,55",
        "9.75",
        D("9.75"),
        9.75,
        11,
        "10.1",
        -1,
        "-1",
        "85,",
        "8 5",
        "abc",
        "",
        True,
        [],
        float("nan"),
    ],
)
def test_parse_mark_refuses_with_the_field_named(raw: object) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_mark(raw, "subjects[0].semester_1.regular[2]", "Toán, HK I")
    assert error.value.field == "subjects[0].semester_1.regular[2]"
    assert "Toán" in error.value.message


@pytest.mark.parametrize(
    ("raw", "result"),
    [
        ("Đ", Comment.DAT),
        ("CĐ", Comment.CHUA_DAT),
        ("Đạt", Comment.DAT),
        (" chưa  đạt ", Comment.CHUA_DAT),
    ],
)
def test_parse_comment(raw: str, result: Comment) -> None:
    assert parse_comment(raw, "f") is result


def test_parse_comment_blank_and_refusals() -> None:
    assert parse_comment(None, "f") is None
    for raw in ("D", 1, "Tốt"):
        with pytest.raises(InvalidInput):
            parse_comment(raw, "f", "GDTC")


def test_level_ranks_are_ordered() -> None:
    assert [r.rank for r in Rating] == [0, 1, 2, 3]
    assert AcademicLevel.GIOI.rank > AcademicLevel.KEM.rank
    assert Conduct.TOT.rank == 3


@pytest.mark.parametrize(
    ("periods", "count"), [(1, 2), (35, 2), (36, 3), (52, 3), (70, 3), (71, 4), (105, 4), (140, 4)]
)
def test_regular_count_bands(periods: int, count: int) -> None:
    assert regular_count(periods) == count


@pytest.mark.parametrize(
    ("per_week", "count"), [("0.5", 2), ("1", 2), ("1.5", 3), ("2.9", 3), ("3", 4), ("5", 4)]
)
def test_original_tt58_regular_count_by_periods_per_week(per_week: str, count: int) -> None:
    assert tt58_original_regular_count(D(per_week)) == count


def test_assessment_mark_from_parts_is_rounded_once() -> None:
    assert assessment_mark_from_parts([D("4.95"), D("3.8")]) == D("8.8")
    with pytest.raises(InvalidInput):
        assessment_mark_from_parts([D("6"), D("4.5")])
    with pytest.raises(InvalidInput):
        assessment_mark_from_parts([D("-1"), D("4.5")])


@pytest.mark.parametrize(
    ("regular", "midterm", "final", "average"),
    [
        (["6.5", "6.5", "9.0"], "7.0", "9.2", "8.0"),  # 63.6/8 = 7.95
        (["6.5", "6.0", "7.0"], "5.4", "7.1", "6.5"),  # 51.6/8 = 6.45
        (["6.5", "6.5", "5.0"], "5.1", "3.8", "5.0"),  # 39.6/8 = 4.95
        (["8", "6"], "7", "5", "6.1"),  # each regular mark weight 1, not their mean
    ],
)
def test_semester_average_ties_round_up(
    regular: list[str], midterm: str, final: str, average: str
) -> None:
    assert str(semester_average([D(r) for r in regular], D(midterm), D(final))) == average


def test_subject_year_average_needs_both_semesters_unless_one_is_taught() -> None:
    assert subject_year_average(D("6.6"), D("8.3")) == D("7.7")
    assert subject_year_average(None, D("8.3")) is None
    assert subject_year_average(D("6.6"), None) is None
    assert subject_year_average(D("6.6"), None, 1) == D("6.6")
    assert subject_year_average(None, D("7.4"), 2) == D("7.4")


def test_overall_average_of_nothing_is_none() -> None:
    assert tt58_overall_average([]) is None


def test_catalogue_resolves_names_and_refuses_to_guess() -> None:
    entry = catalogue.resolve("Tiếng Anh", programme="old", grade=8)
    assert entry is not None and entry.has_role("core")
    assert catalogue.resolve("Tin học và Công nghệ", programme="2018", grade=8) is None
    assert catalogue.resolve("Môn lạ", programme="2018", grade=8) is None
    assert catalogue.code_for_name("  HOÁ   học ") == "hoa_hoc"
    assert (
        catalogue.normalise_name("Giáo dục quốc phòng – an ninh") == "giáo dục quốc phòng - an ninh"
    )
