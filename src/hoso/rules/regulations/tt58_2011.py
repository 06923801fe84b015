"""Thông tư 58/2011/TT-BGDĐT — secondary assessment on the old programme.

Two versions (D11: a record is evaluated under the rulebook of its year):
- ``TT58_2011``: as amended by Thông tư 26/2020/TT-BGDĐT (effective 11/10/2020), school years
  2020-2021 to 2023-2024;
- ``TT58_2011_original``: before TT26, school years up to 2019-2020 (reprinting old records).
The old continuing-education rules (``GDTX_old``) reuse this module without titles (gdtx.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hoso.rules.averages import regular_count, tt58_original_regular_count
from hoso.rules.inputs import StudentInput, SubjectInput
from hoso.rules.outcomes import Evaluation, PeriodOutcome, Result, SubjectOutcome, YearOutcome
from hoso.rules.regulations.tt58_learning import AcademicDecision, tt58_learning_level
from hoso.rules.subject_results import (
    SubjectResult,
    SubjectRules,
    subject_result,
    two_thirds_and_final,
)
from hoso.rules.values import AcademicLevel, Comment, Conduct, Promotion

ABSENCE_LIMIT = 45  # Art. 15: more than 45 sessions in the year → not promoted
RETEST_BELOW = Decimal("5.0")  # Art. 16: subjects with ĐTBmcn < 5.0 (and comment subjects CĐ)
WEEKS_PER_YEAR = 35
L = AcademicLevel


def tt26_regular_required(subject: SubjectInput) -> int:
    """TT58 Art. 8 as amended by TT26: by periods per year, comment subjects included."""
    if subject.periods_per_year is not None:
        return regular_count(subject.periods_per_year)
    if subject.regular_required is not None:
        return subject.regular_required
    return regular_count(0)


def original_regular_required(subject: SubjectInput) -> int:
    """Original TT58 Art. 8.2: "at least" by periods per week (periods per year / 35 weeks)."""
    if subject.periods_per_year is not None:
        per_week = Decimal(subject.periods_per_year) / WEEKS_PER_YEAR
        return tt58_original_regular_count(per_week)
    if subject.regular_required is not None:
        return subject.regular_required
    return tt58_original_regular_count(Decimal(0))


@dataclass(frozen=True, slots=True)
class Variant:
    """TT58 as amended by TT26, the original TT58, or the old continuing-education rules."""

    regulation: str
    regime: str
    learning_variant: str  # "TT26" | "original"
    subject_rules: SubjectRules
    titles: bool = True
    circular: str = "TT58"


AMENDED = Variant(
    regulation="TT58_2011",
    regime="TT58_2011",
    learning_variant="TT26",
    subject_rules=SubjectRules(
        circular="TT58 Điều 10 sửa đổi bởi TT26",
        regular_required=tt26_regular_required,
        comment_semester=two_thirds_and_final,
        exemption_removes_subject=True,
    ),
)
ORIGINAL = Variant(
    regulation="TT58_2011_original",
    regime="TT58_2011_original",
    learning_variant="original",
    subject_rules=SubjectRules(
        circular="TT58 Điều 10",
        regular_required=original_regular_required,
        comment_semester=two_thirds_and_final,
        periodic_tests=True,
        exemption_removes_subject=True,
    ),
)


def _learning(
    variant: Variant,
    student: StudentInput,
    label: str,
    results: Sequence[tuple[SubjectInput, Result | None]],
    notes: list[str],
) -> AcademicDecision | None:
    missing = sorted(subject.name for subject, value in results if value is None)
    if missing:
        notes.append(
            f"{label}: chưa xếp loại học lực, thiếu kết quả môn {', '.join(missing)} (D6)."
        )
        return None
    decision = tt58_learning_level(
        variant=variant.learning_variant,
        subject_averages={s.name: v for s, v in results if isinstance(v, Decimal)},
        comment_results={s.name: v for s, v in results if isinstance(v, Comment)},
        specialised_subject=student.specialised_subject,
    )
    if decision is None:
        notes.append(f"{label}: chưa xếp loại học lực, không có môn tính điểm.")
        return None
    notes.append(f"{label} — học lực: {decision.explanation}")
    return decision


def _conduct(value: str | None) -> Conduct | None:
    return Conduct(value) if value is not None else None


def tt58_title(learning: AcademicLevel | None, conduct: Conduct | None) -> str | None:
    """Art. 18: Học sinh giỏi (Tốt + Giỏi); Học sinh tiên tiến (≥ Khá + ≥ Khá)."""
    if learning is None or conduct is None:
        return None
    if learning is L.GIOI and conduct is Conduct.TOT:
        return "Học sinh giỏi"
    if learning.rank >= L.KHA.rank and conduct.rank >= Conduct.KHA.rank:
        return "Học sinh tiên tiến"
    return None


def _title(
    variant: Variant,
    label: str,
    learning: AcademicLevel | None,
    conduct: Conduct | None,
    notes: list[str],
) -> str | None:
    if not variant.titles:
        return None
    title = tt58_title(learning, conduct)
    if learning is not None and conduct is not None:
        notes.append(
            f"{label} — danh hiệu: {title or 'không'} (học lực {learning.value}, hạnh kiểm "
            f"{conduct.value}; TT58 Điều 18)."
        )
    return title


@dataclass(frozen=True, slots=True)
class _Decision:
    promotion: Promotion
    learning_after: AcademicDecision | None = None
    replaced: Mapping[str, Result] | None = None


def _retest(
    variant: Variant,
    student: StudentInput,
    counted: Sequence[SubjectResult],
    notes: list[str],
) -> _Decision:
    """Art. 16 (D14): re-test results replace the year results; ĐTBcn and học lực are recomputed."""
    eligible = [
        r
        for r in counted
        if (isinstance(r.year, Decimal) and r.year < RETEST_BELOW) or r.year is Comment.CHUA_DAT
    ]
    replaced: dict[str, Result] = {}
    for r in eligible:
        if r.subject.retest is not None:
            replaced[r.subject.name] = r.subject.retest
    if not replaced:
        names = ", ".join(sorted(r.subject.name for r in eligible))
        notes.append(
            f"Lên lớp: học lực Yếu, hạnh kiểm từ Trung bình trở lên → kiểm tra lại trong hè "
            f"({variant.circular} Điều 16), chọn trong các môn: {names}."
        )
        return _Decision(Promotion.RETEST)
    after = [(r.subject, replaced.get(r.subject.name, r.year)) for r in counted]
    decision = _learning(variant, student, "Sau kiểm tra lại", after, notes)
    assert decision is not None  # every counted year result exists on this route
    if decision.learning.rank < L.TRUNG_BINH.rank:
        notes.append(f"Lên lớp: sau kiểm tra lại học lực {decision.learning.value} → ở lại lớp.")
        return _Decision(Promotion.RETAINED, decision, replaced)
    if student.absences is None:
        notes.append("Lên lớp: chưa có số buổi nghỉ học → chưa kết luận.")
        return _Decision(Promotion.INCOMPLETE, decision, replaced)
    notes.append(
        f"Lên lớp: sau kiểm tra lại học lực {decision.learning.value} → được lên lớp "
        f"({variant.circular} Điều 16)."
    )
    return _Decision(Promotion.PROMOTED, decision, replaced)


def _promotion(
    variant: Variant,
    student: StudentInput,
    learning: AcademicLevel | None,
    conduct: Conduct | None,
    counted: Sequence[SubjectResult],
    notes: list[str],
) -> _Decision:
    """Art. 15–17 in the order of secondary.md §4.8."""
    c = variant.circular
    absences = student.absences
    if absences is not None and absences > ABSENCE_LIMIT:
        notes.append(f"Lên lớp: nghỉ {absences} buổi > {ABSENCE_LIMIT} → ở lại lớp ({c} Điều 15).")
        return _Decision(Promotion.RETAINED)
    if learning is None or conduct is None:
        missing = [n for n, v in (("học lực", learning), ("hạnh kiểm", conduct)) if v is None]
        notes.append(
            f"Lên lớp: chưa có {' và '.join(missing)} cả năm → chưa kết luận (hạnh kiểm cả năm do "
            "giáo viên chủ nhiệm xếp, không suy ra từ học kì, D12)."
        )
        return _Decision(Promotion.INCOMPLETE)
    if learning is L.KEM or (learning is L.YEU and conduct is Conduct.YEU):
        notes.append(
            f"Lên lớp: học lực {learning.value}, hạnh kiểm {conduct.value} → ở lại lớp "
            f"({c} Điều 15)."
        )
        return _Decision(Promotion.RETAINED)
    if learning is L.YEU:
        return _retest(variant, student, counted, notes)
    if conduct is Conduct.YEU:
        summer = _conduct(student.conduct.summer)
        if summer is None:
            notes.append(f"Lên lớp: hạnh kiểm Yếu → rèn luyện hạnh kiểm trong hè ({c} Điều 17).")
            return _Decision(Promotion.SUMMER_TRAINING)
        if summer is Conduct.YEU:
            notes.append(
                f"Lên lớp: sau rèn luyện trong hè hạnh kiểm vẫn Yếu → ở lại lớp ({c} Điều 15, 17)."
            )
            return _Decision(Promotion.RETAINED)
    if absences is None:
        notes.append("Lên lớp: chưa có số buổi nghỉ học → chưa kết luận.")
        return _Decision(Promotion.INCOMPLETE)
    shown = _conduct(student.conduct.summer) if conduct is Conduct.YEU else conduct
    assert shown is not None
    notes.append(
        f"Lên lớp: học lực {learning.value}, hạnh kiểm {shown.value}, nghỉ {absences} buổi "
        f"(≤ {ABSENCE_LIMIT}) → được lên lớp ({c} Điều 15)."
    )
    return _Decision(Promotion.PROMOTED)


def evaluate(student: StudentInput, variant: Variant = AMENDED) -> Evaluation:
    """Every result of one student's year under TT58 (amended or original) or old GDTX."""
    notes: list[str] = list(student.notes)
    results = [subject_result(variant.subject_rules, subject) for subject in student.subjects]
    for result in results:
        notes.extend(result.notes)
    counted = [r for r in results if r.counted]
    periods: list[PeriodOutcome] = []
    conduct = student.conduct
    for number, label, entered in (
        (1, "HK I", conduct.semester_1),
        (2, "HK II", conduct.semester_2),
    ):
        taught = [(r.subject, r.semester(number)) for r in counted if r.taught_in(number)]
        decision = _learning(variant, student, label, taught, notes)
        level = decision.learning if decision else None
        periods.append(
            PeriodOutcome(
                learning=level.value if level else None,
                conduct=entered,
                title=_title(variant, label, level, _conduct(entered), notes),
                average=decision.overall_average if decision else None,
            )
        )
    year_decision = _learning(
        variant, student, "Cả năm", [(r.subject, r.year) for r in counted], notes
    )
    year_learning = year_decision.learning if year_decision else None
    year_conduct = _conduct(conduct.year)
    if year_conduct is None:
        notes.append(
            "Hạnh kiểm cả năm: chưa được giáo viên chủ nhiệm xếp loại; phần mềm không tự suy ra "
            "(TT58 Điều 4, D12)."
        )
    title = _title(variant, "Cả năm", year_learning, year_conduct, notes)
    outcome = _promotion(variant, student, year_learning, year_conduct, counted, notes)
    replaced = outcome.replaced or {}
    for r in results:
        if r.subject.retest is not None and r.subject.name not in replaced:
            notes.append(
                f"{r.subject.name}: điểm kiểm tra lại không được tính vì môn không thuộc diện "
                f"kiểm tra lại ({variant.circular} Điều 16)."
            )
    subjects: list[SubjectOutcome] = [r.outcome(replaced.get(r.subject.name)) for r in results]
    after = outcome.learning_after
    year = YearOutcome(
        learning=year_learning.value if year_learning else None,
        conduct=conduct.year,
        title=title,
        promotion=outcome.promotion.value,
        average=year_decision.overall_average if year_decision else None,
        learning_after_retest=after.learning.value if after else None,
        average_after_retest=after.overall_average if after else None,
        conduct_after_summer=conduct.summer,
    )
    return Evaluation(
        regulation=variant.regulation,
        regime=variant.regime,
        subjects=tuple(subjects),
        semester_1=periods[0],
        semester_2=periods[1],
        year=year,
        explanation=tuple(notes),
    )
