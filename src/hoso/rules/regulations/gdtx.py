"""Continuing education (giáo dục thường xuyên) at THCS and THPT level.

- ``GDTX`` — Thông tư 43/2021/TT-BGDĐT (effective 14/02/2022), the 2018-based GDTX programme, on
  TT22's roadmap. The same forms, formulas and levels as TT22 with **5** subjects in every count
  condition (Art. 9.2, D10); what the text does not show (comment activities, adjustment, year
  training table) follows TT22 with 5 for 6, and no title is computed (D19). Promotion Art. 11–13;
  the centre director takes the principal's decisions.
- ``GDTX_old`` — Quy chế QĐ 02/2007/QĐ-BGDĐT (consolidated 23/VBHN-BGDĐT, 29/08/2014), text not at
  hand [U]: assumed to use TT58's levels, formulas and adjustment (as amended by TT26 from
  2020-2021, as originally written before), promotion as TT58, no title.
"""

from __future__ import annotations

from hoso.rules.inputs import StudentInput
from hoso.rules.outcomes import Evaluation
from hoso.rules.regulations import tt22_2021, tt58_2011

TT43 = tt22_2021.Variant(
    regulation="GDTX",
    regime="TT43_2021",
    circular="TT43",
    count=5,
    titles=False,
)

OLD_AMENDED = tt58_2011.Variant(
    regulation="GDTX_old",
    regime="GDTX_old",
    learning_variant="TT26",
    subject_rules=tt58_2011.AMENDED.subject_rules,
    titles=False,
    circular="Quy chế GDTX (theo TT58)",
)
OLD_ORIGINAL = tt58_2011.Variant(
    regulation="GDTX_old",
    regime="GDTX_old",
    learning_variant="original",
    subject_rules=tt58_2011.ORIGINAL.subject_rules,
    titles=False,
    circular="Quy chế GDTX (theo TT58)",
)
TT26_FIRST_YEAR = 2020


def evaluate_tt43(student: StudentInput) -> Evaluation:
    """TT43/2021: TT22 with 5 subjects for 6 and no titles."""
    return tt22_2021.evaluate(student, TT43)


def evaluate_old(student: StudentInput) -> Evaluation:
    """The old GDTX rules, read as TT58 (amended by TT26 from 2020-2021) [U]."""
    start = int(student.school_year[:4]) if student.school_year else TT26_FIRST_YEAR
    variant = OLD_AMENDED if start >= TT26_FIRST_YEAR else OLD_ORIGINAL
    return tt58_2011.evaluate(student, variant)
