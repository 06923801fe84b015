"""What a teacher types (issue 4): `8,5` is accepted; `11`, `-1`, `8,55`, `abc` are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hoso.assessment.errors import MarkInputError
from hoso.assessment.mark_input import parse_typed_comment, parse_typed_score


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("8,5", Decimal("8.5")),
        ("8.5", Decimal("8.5")),
        (" 7 ", Decimal("7.0")),
        ("0", Decimal("0.0")),
        ("10", Decimal("10.0")),
        ("10,0", Decimal("10.0")),
        ("9,50", Decimal("9.5")),
        (",5", Decimal("0.5")),
    ],
)
def test_valid_marks_are_recorded_with_one_decimal(typed: str, recorded: Decimal) -> None:
    assert parse_typed_score(typed) == recorded


def test_an_empty_cell_is_not_entered_never_zero() -> None:
    assert parse_typed_score("") is None
    assert parse_typed_score("   ") is None


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("11", "từ 0 đến 10"),
        ("-1", "từ 0 đến 10"),
        ("10,1", "từ 0 đến 10"),
        ("abc", "một số từ 0 đến 10"),
        ("8,5,1", "một số từ 0 đến 10"),
        ("1e1", "một số từ 0 đến 10"),
        ("NaN", "một số từ 0 đến 10"),
    ],
)
def test_bad_marks_are_refused_with_a_vietnamese_reason(typed: str, reason: str) -> None:
    with pytest.raises(MarkInputError) as caught:
        parse_typed_score(typed)
    assert reason in caught.value.message


@pytest.mark.parametrize(
    ("typed", "offered"),
    [("8,55", "8,6"), ("8,549", "8,5"), ("7,25", "7,3"), ("9.75", "9,8"), ("4,95", "5,0")],
)
def test_two_decimals_are_refused_and_the_half_up_mark_offered(typed: str, offered: str) -> None:
    with pytest.raises(MarkInputError) as caught:
        parse_typed_score(typed)
    assert f"Có phải là {offered}?" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("Đ", "Đ"),
        ("đ", "Đ"),
        ("Đạt", "Đ"),
        ("CĐ", "CĐ"),
        ("cđ", "CĐ"),
        ("Chưa  đạt", "CĐ"),
        ("d", "Đ"),
        ("cd", "CĐ"),
        ("", ""),
    ],
)
def test_comment_marks(typed: str, recorded: str) -> None:
    assert parse_typed_comment(typed) == recorded


def test_a_number_in_a_comment_subject_is_refused() -> None:
    with pytest.raises(MarkInputError, match="Đ \\(Đạt\\) hoặc CĐ"):
        parse_typed_comment("8")
