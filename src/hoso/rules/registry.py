"""Which rulebook applies: by level, school year, grade, programme and continuing education (D11).

Never by today's date: a year's result is computed and stored under the regime of that school year
and grade, and never recomputed under a newer one. A repeater follows the grade and year he is
enrolled in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from hoso.rules.errors import InvalidInput
from hoso.rules.inputs import StudentInput
from hoso.rules.outcomes import Evaluation
from hoso.rules.regulations import gdtx, tt22_2021, tt58_2011

# TT22 Art. 21 (and TT43, same roadmap): first school year (its start) each grade is on TT22.
FIRST_TT22_YEAR: Mapping[int, int] = {
    6: 2021,
    7: 2022,
    10: 2022,
    8: 2023,
    11: 2023,
    9: 2024,
    12: 2024,
}
TT26_FIRST_YEAR = 2020  # TT26/2020 effective 11/10/2020: school year 2020-2021
TT58_FIRST_YEAR = 2011  # TT58/2011 effective 26/01/2012; older records (QĐ 40/2006) out of scope
# TT27/2020: grade 1 from 2020-2021, grade 2 from 2021-2022, … grade 5 from 2024-2025.
TT27_OFFSET = 2019
TT30_FIRST_YEAR = 2014  # TT30/2014 effective 15/10/2014; older records (TT32/2009) out of scope

PRIMARY_GRADES = range(1, 6)
SECONDARY_GRADES = range(6, 13)
PROGRAMMES = ("2018", "old")

_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


def school_year_start(school_year: str, field: str = "school_year") -> int:
    """2023 for ``"2023-2024"``; refuses anything that is not two consecutive years."""
    match = _SCHOOL_YEAR.match(school_year.strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise InvalidInput(field, f"năm học phải có dạng 2025-2026, nhận được {school_year!r}")
    return int(match.group(1))


def regime(
    level: str,
    school_year: str,
    grade: int,
    continuing_education: bool = False,
    programme: str | None = None,
) -> str:
    """The regime id (``TT22_2021``, ``TT43_2021``, ``TT58_2011``, …) of a school year and grade.

    ``programme``: ``"2018"`` or ``"old"`` when known, otherwise the roadmap decides.
    """
    start = school_year_start(school_year)
    if programme is not None and programme not in PROGRAMMES:
        raise InvalidInput(
            "programme", f"chương trình phải là 2018 hoặc old, nhận được {programme!r}"
        )
    if level == "primary":
        if grade not in PRIMARY_GRADES:
            raise InvalidInput("grade", f"tiểu học gồm các lớp 1–5, nhận được {grade!r}")
        if start < TT30_FIRST_YEAR:
            raise InvalidInput("school_year", "học bạ trước năm học 2014-2015 nằm ngoài phạm vi")
        new = programme == "2018" or (programme is None and start >= TT27_OFFSET + grade)
        return "TT27_2020" if new else "TT30_2014"
    if level != "secondary":
        raise InvalidInput("level", f"cấp học phải là primary hoặc secondary, nhận được {level!r}")
    if grade not in SECONDARY_GRADES:
        raise InvalidInput("grade", f"trung học gồm các lớp 6–12, nhận được {grade!r}")
    if start < TT58_FIRST_YEAR:
        raise InvalidInput("school_year", "học bạ trước năm học 2011-2012 nằm ngoài phạm vi")
    new = programme == "2018" or (programme is None and start >= FIRST_TT22_YEAR[grade])
    if continuing_education:
        return "TT43_2021" if new else "GDTX_old"
    if new:
        return "TT22_2021"
    return "TT58_2011" if start >= TT26_FIRST_YEAR else "TT58_2011_original"


# Regime id → the id the evaluate command uses for it (evaluate-format.md).
EVALUATE_ID: Mapping[str, str] = {"TT43_2021": "GDTX"}

SECONDARY_RULEBOOKS: Mapping[str, Callable[[StudentInput], Evaluation]] = {
    "TT22_2021": tt22_2021.evaluate,
    "TT58_2011": lambda student: tt58_2011.evaluate(student, tt58_2011.AMENDED),
    "TT58_2011_original": lambda student: tt58_2011.evaluate(student, tt58_2011.ORIGINAL),
    "GDTX": gdtx.evaluate_tt43,
    "GDTX_old": gdtx.evaluate_old,
}
# The programme whose subject catalogue a regulation reads (D21).
CATALOGUE_PROGRAMME: Mapping[str, str] = {
    "TT22_2021": "2018",
    "GDTX": "2018",
    "TT58_2011": "old",
    "TT58_2011_original": "old",
    "GDTX_old": "old",
}
# Regulations whose conduct is TT58 hạnh kiểm (Tốt/Khá/Trung bình/Yếu), not TT22 rèn luyện.
TT58_CONDUCT_REGULATIONS = frozenset({"TT58_2011", "TT58_2011_original", "GDTX_old"})


def uses_periodic_tests(regulation: str, school_year: str | None) -> bool:
    """Whether periodic tests are KTđk lists (original TT58 Art. 10.1) rather than one ĐĐGgk."""
    if regulation == "TT58_2011_original":
        return True
    if regulation == "GDTX_old" and school_year is not None:
        return school_year_start(school_year) < TT26_FIRST_YEAR
    return False


def evaluate_id(regime_id: str) -> str:
    """The evaluate command's regulation id for a regime id."""
    return EVALUATE_ID.get(regime_id, regime_id)


def rulebook(regulation: str) -> Callable[[StudentInput], Evaluation]:
    """The evaluation function of a secondary regulation id."""
    return SECONDARY_RULEBOOKS[regulation]
