"""Subject averages and counts shared by the secondary circulars (TT22, TT43, TT58 and TT26).

Each function computes one defined quantity from its exact value and rounds it once (D1).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Context, Decimal
from functools import cache

from hoso.rules.catalogue import raw_catalogue
from hoso.rules.errors import InvalidInput
from hoso.rules.values import MARK_MAX, round_half_up_1

# Enough digits that a quotient of recorded marks is exact when it terminates, and otherwise far
# from a .x5 tie: the one rounding (D1) then decides on the exact value.
_EXACT_DIGITS = 60


# One context for every quotient rather than a local copy per division (issue 9); the default
# context's settings but for the precision, as ``localcontext()`` over the default gave.
_EXACT = Context(prec=_EXACT_DIGITS)


def rounded_ratio(numerator: Decimal, denominator: int) -> Decimal:
    """``numerator / denominator`` rounded once, half up, to one decimal (D1)."""
    return round_half_up_1(_EXACT.divide(numerator, Decimal(denominator)))


def _bands(rule: str, key: str) -> list[tuple[int | None, int]]:
    return [(band["up_to"], band["marks"]) for band in raw_catalogue()["rules"][rule][key]]


@cache  # the catalogue is read once (raw_catalogue is cached too): so are its bands (issue 9)
def regular_count(periods_per_year: int) -> int:
    """Regular assessments required per semester from periods per year (TT22 Art. 6.2.b; TT26).

    Up to 35 periods → 2, over 35 to 70 → 3, over 70 → 4: the bands are read from the catalogue
    (``rules.regular_marks_tt26``, the same as TT22's score-subject bands) so a correction of the
    data is not a code change. A minimum: more marks are accepted (D13).
    """
    for up_to, marks in _bands("regular_marks_tt26", "by_periods_per_year"):
        if up_to is None or periods_per_year <= up_to:
            return marks
    raise AssertionError("the last band has no upper bound")  # pragma: no cover


def tt58_original_regular_count(periods_per_week: Decimal) -> int:
    """Original TT58 Art. 8.2: at least 2 (≤ 1 period/week), 3 (> 1 and < 3), 4 (≥ 3)."""
    if periods_per_week <= 1:
        return 2
    if periods_per_week < 3:
        return 3
    return 4


def assessment_mark_from_parts(parts: Sequence[Decimal]) -> Decimal:
    """One assessment mark from a test marked in parts: the exact sum, rounded once (D18)."""
    total = sum(parts, Decimal(0))
    if any(part < 0 for part in parts) or total > MARK_MAX:
        raise InvalidInput("parts", f"tổng các phần phải từ 0 đến 10, nhận được {total}")
    return round_half_up_1(total)


def semester_average(regular: Sequence[Decimal], midterm: Decimal, final: Decimal) -> Decimal:
    """ĐTBmhk = (TĐĐGtx + 2 × ĐĐGgk + 3 × ĐĐGck) / (số ĐĐGtx + 5) (TT22 Art. 9.1.b; TT26).

    Every regular mark has weight 1: averaging them first is a known error (secondary.md §8.4).
    """
    numerator = sum(regular, Decimal(0)) + 2 * midterm + 3 * final
    return rounded_ratio(numerator, len(regular) + 5)


def tt58_original_subject_semester_average(
    regular: Sequence[Decimal], periodic: Sequence[Decimal], final: Decimal
) -> Decimal:
    """Original TT58 Art. 10.1: ĐTBmhk = (ΣKTtx + 2·ΣKTđk + 3·KThk) / (nKTtx + 2·nKTđk + 3)."""
    numerator = sum(regular, Decimal(0)) + 2 * sum(periodic, Decimal(0)) + 3 * final
    return rounded_ratio(numerator, len(regular) + 2 * len(periodic) + 3)


def subject_year_average(
    semester_1: Decimal | None, semester_2: Decimal | None, taught_in: int | None = None
) -> Decimal | None:
    """ĐTBmcn = (ĐTBmhkI + 2 × ĐTBmhkII) / 3 from the rounded semester averages (TT22 Art. 9.1.b).

    A subject taught in one semester only takes that semester's average (TT58 Art. 10.3, D15).
    ``None`` while a needed semester average is missing (D6).
    """
    if taught_in == 1:
        return semester_1
    if taught_in == 2:
        return semester_2
    if semester_1 is None or semester_2 is None:
        return None
    return rounded_ratio(semester_1 + 2 * semester_2, 3)


def tt58_overall_average(subject_averages: Sequence[Decimal]) -> Decimal | None:
    """ĐTBhk / ĐTBcn: plain mean of the rounded subject averages, rounded once (TT58 Art. 11)."""
    if not subject_averages:
        return None
    return rounded_ratio(sum(subject_averages, Decimal(0)), len(subject_averages))
