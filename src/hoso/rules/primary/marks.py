"""Periodic test marks of primary school: whole marks on a 10-point scale.

TT27/2020 Art. 7.1.d: marked on 10 points, no decimals; 0 is allowed (TT27 dropped the old rule).
TT30/2014 Art. 10 as amended by TT22/2016: marked on 10 points, no decimals, **no 0** (1–10).
A blank is never a mark (D6): ``None`` stays ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")

TT27_CLAUSE = "TT27 Điều 7 khoản 1 điểm d"
TT30_CLAUSE = "TT30 Điều 10 (sửa đổi bởi TT22/2016)"


@dataclass(frozen=True, slots=True)
class TestMarkValidity:
    """Whether a value is a valid periodic test mark, the whole mark if it is, and why."""

    __test__ = False  # a result type, not a pytest class

    valid: bool
    mark: int | None
    explanation: str


def _as_decimal(value: object) -> Decimal | None:
    """The exact number a JSON value stands for (decimal point or comma), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr of a float is the shortest decimal that reads back to it: 8.5 → "8.5"
        value = repr(value)
    if isinstance(value, Decimal):
        value = str(value)
    if isinstance(value, str):
        text = value.strip().replace(",", ".", 1)
        if _NUMBER.match(text):
            return Decimal(text)
    return None


def _check(value: object, lowest: int, clause: str) -> TestMarkValidity:
    number = _as_decimal(value)
    shown = repr(value) if isinstance(value, str) else str(value)
    if number is None:
        return TestMarkValidity(False, None, f"{clause}: {shown} không phải là một điểm số.")
    if number != number.to_integral_value():
        return TestMarkValidity(
            False, None, f"{clause}: điểm bài kiểm tra định kì không cho điểm thập phân ({shown})."
        )
    mark = int(number)
    if not lowest <= mark <= 10:
        return TestMarkValidity(
            False,
            None,
            f"{clause}: điểm bài kiểm tra định kì theo thang 10, từ {lowest} đến 10 "
            f"(nhận được {shown}).",
        )
    return TestMarkValidity(
        True, mark, f"{clause}: {mark} là điểm hợp lệ ({lowest}–10, số nguyên)."
    )


def tt27_test_mark_valid(test: object) -> TestMarkValidity:
    """TT27 Art. 7.1.d: a whole mark from 0 to 10 (0 allowed, no decimals)."""
    return _check(test, 0, TT27_CLAUSE)


def tt30_tt22_2016_test_mark_valid(test: object) -> TestMarkValidity:
    """TT30 Art. 10 as amended by TT22/2016: a whole mark from 1 to 10 (no 0, no decimals)."""
    return _check(test, 1, TT30_CLAUSE)
