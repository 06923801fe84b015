"""Thông tư 22/2021/TT-BGDĐT — secondary assessment on the 2018 programme (grades 6–12).

Signed 20/07/2021, effective 05/09/2021, phased in grade by grade (Art. 21; ``registry``). TT43/2021
(continuing education) reuses this module with 5 subjects in place of 6 and no titles (D10, D19).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hoso.rules.averages import regular_count
from hoso.rules.catalogue import raw_catalogue
from hoso.rules.inputs import StudentInput, SubjectInput
from hoso.rules.outcomes import Evaluation, PeriodOutcome, Result, SubjectOutcome, YearOutcome
from hoso.rules.regulations.tt22_learning import LearningDecision, tt22_learning
from hoso.rules.subject_results import SubjectResult, SubjectRules, all_dat, subject_result
from hoso.rules.values import Assessment, Comment, Promotion, Rating

ABSENCE_LIMIT = 45  # sessions (buổi) in the year, excused or not (Art. 12.3)
TITLE_TOP_SCORE = Decimal("9.0")  # Art. 15.1: Học sinh Xuất sắc
TITLE_TOP_COUNT = 6
RETEST_BELOW = Decimal("5.0")  # Art. 14: score subjects re-assessed when ĐTBmcn < 5.0

# Art. 8.2: year training from (HK I, HK II).
_TRAINING_YEAR: Mapping[tuple[Rating, Rating], Rating] = {
    (Rating.TOT, Rating.TOT): Rating.TOT,
    (Rating.TOT, Rating.KHA): Rating.KHA,
    (Rating.TOT, Rating.DAT): Rating.KHA,
    (Rating.TOT, Rating.CHUA_DAT): Rating.CHUA_DAT,
    (Rating.KHA, Rating.TOT): Rating.TOT,
    (Rating.KHA, Rating.KHA): Rating.KHA,
    (Rating.KHA, Rating.DAT): Rating.DAT,
    (Rating.KHA, Rating.CHUA_DAT): Rating.CHUA_DAT,
    (Rating.DAT, Rating.TOT): Rating.KHA,
    (Rating.DAT, Rating.KHA): Rating.KHA,
    (Rating.DAT, Rating.DAT): Rating.DAT,
    (Rating.DAT, Rating.CHUA_DAT): Rating.CHUA_DAT,
    (Rating.CHUA_DAT, Rating.TOT): Rating.KHA,
    (Rating.CHUA_DAT, Rating.KHA): Rating.DAT,
    (Rating.CHUA_DAT, Rating.DAT): Rating.DAT,
    (Rating.CHUA_DAT, Rating.CHUA_DAT): Rating.CHUA_DAT,
}


def tt22_training_year(semester_1: Rating, semester_2: Rating) -> Rating:
    """Kết quả rèn luyện cả năm from the two semesters (TT22 Art. 8.2)."""
    return _TRAINING_YEAR[(semester_1, semester_2)]


def tt22_regular_required(subject: SubjectInput) -> int:
    """ĐĐGtx required per semester (Art. 6.2): comment subjects 2, score subjects by periods."""
    if subject.assessment is Assessment.COMMENT:
        comment_count: int = raw_catalogue()["rules"]["regular_marks_tt22"]["comment"]
        return comment_count
    if subject.periods_per_year is not None:
        return regular_count(subject.periods_per_year)
    if subject.regular_required is not None:
        return subject.regular_required
    return regular_count(0)  # periods unknown: the smallest band, a minimum anyway (D13)


SUBJECT_RULES = SubjectRules(
    circular="TT22 Điều 9.1",
    regular_required=tt22_regular_required,
    comment_semester=all_dat,
)


@dataclass(frozen=True, slots=True)
class Variant:
    """What distinguishes TT22 (school) from TT43 (continuing education)."""

    regulation: str = "TT22_2021"
    regime: str = "TT22_2021"
    circular: str = "TT22"
    count: int = 6  # D10: 5 under TT43
    titles: bool = True  # D19: no title for continuing-education learners
    subject_rules: SubjectRules = SUBJECT_RULES


def _learning(
    variant: Variant,
    label: str,
    results: Sequence[tuple[SubjectInput, Result | None]],
    notes: list[str],
) -> LearningDecision | None:
    missing = sorted(subject.name for subject, value in results if value is None)
    if missing:
        notes.append(
            f"{label}: chưa xếp loại học tập, thiếu kết quả môn {', '.join(missing)} (D6)."
        )
        return None
    scores = {s.name: v for s, v in results if isinstance(v, Decimal)}
    comments = {s.name: v for s, v in results if isinstance(v, Comment)}
    decision = tt22_learning(scores, comments, variant.count, variant.circular)
    notes.append(f"{label} — kết quả học tập {decision.explanation}")
    return decision


def _rating(value: str | None) -> Rating | None:
    return Rating(value) if value is not None else None


def _title(
    variant: Variant,
    learning: Rating | None,
    training: Rating | None,
    scores: Sequence[Decimal],
    notes: list[str],
) -> str | None:
    if not variant.titles:
        notes.append(
            f"Danh hiệu: không xét cho học viên giáo dục thường xuyên ({variant.circular}, D19)."
        )
        return None
    if learning is None or training is None:
        return None
    if learning is not Rating.TOT or training is not Rating.TOT:
        notes.append(
            f"Danh hiệu: không có (cần rèn luyện Tốt và học tập Tốt; đang là rèn luyện "
            f"{training.value}, học tập {learning.value}; TT22 Điều 15)."
        )
        return None
    top = sum(score >= TITLE_TOP_SCORE for score in scores)
    if top >= TITLE_TOP_COUNT:
        notes.append(
            f"Danh hiệu Học sinh Xuất sắc (TT22 Điều 15.1.a): rèn luyện Tốt, học tập Tốt, "
            f"{top} môn ĐTBmcn ≥ 9,0 (cần {TITLE_TOP_COUNT})."
        )
        return "Học sinh Xuất sắc"
    notes.append(
        f"Danh hiệu Học sinh Giỏi (TT22 Điều 15.1.b): rèn luyện Tốt, học tập Tốt; chỉ {top} môn "
        f"ĐTBmcn ≥ 9,0 (cần {TITLE_TOP_COUNT} cho Xuất sắc)."
    )
    return "Học sinh Giỏi"


@dataclass(frozen=True, slots=True)
class _Retest:
    promotion: Promotion
    learning_after: Rating | None
    replaced: Mapping[str, Result]


def _retest(
    variant: Variant,
    counted: Sequence[SubjectResult],
    absences_known: bool,
    notes: list[str],
) -> _Retest:
    """Art. 14 (D14): re-assessed results replace the year results; the level is recomputed."""
    eligible = [
        r
        for r in counted
        if (isinstance(r.year, Decimal) and r.year < RETEST_BELOW) or r.year is Comment.CHUA_DAT
    ]
    names = ", ".join(sorted(r.subject.name for r in eligible))
    replaced: dict[str, Result] = {}
    for r in eligible:
        if r.subject.retest is not None:
            replaced[r.subject.name] = r.subject.retest
    if not eligible:
        notes.append(
            f"Lên lớp: học tập Chưa đạt vì có ít hơn {variant.count} môn tính điểm; không môn nào "
            f"thuộc diện kiểm tra lại nên kết quả không thể thay đổi → ở lại lớp "
            f"({variant.circular} Điều 12, 14)."
        )
        return _Retest(Promotion.RETAINED, None, {})
    if not replaced:
        notes.append(
            f"Lên lớp: rèn luyện từ Đạt trở lên, học tập Chưa đạt → kiểm tra, đánh giá lại "
            f"trong hè "
            f"({variant.circular} Điều 14) các môn: {names}."
        )
        return _Retest(Promotion.RETEST, None, {})
    after = [(r.subject, replaced.get(r.subject.name, r.year)) for r in counted]
    decision = _learning(variant, "Sau kiểm tra lại", after, notes)
    assert decision is not None  # every counted year result exists on this route
    if decision.level is Rating.CHUA_DAT:
        notes.append(
            f"Lên lớp: sau kiểm tra lại vẫn Chưa đạt → ở lại lớp ({variant.circular} Điều 14)."
        )
        return _Retest(Promotion.RETAINED, decision.level, replaced)
    if not absences_known:
        notes.append("Lên lớp: chưa có số buổi nghỉ học → chưa kết luận.")
        return _Retest(Promotion.INCOMPLETE, decision.level, replaced)
    notes.append(
        f"Lên lớp: sau kiểm tra lại học tập {decision.level.value} → được lên lớp "
        f"({variant.circular} Điều 12, 14)."
    )
    return _Retest(Promotion.PROMOTED, decision.level, replaced)


def _promotion(
    variant: Variant,
    student: StudentInput,
    learning: Rating | None,
    training: Rating | None,
    counted: Sequence[SubjectResult],
    notes: list[str],
) -> _Retest:
    """Art. 12–14 in the order of secondary.md §3.8."""
    c = variant.circular
    absences = student.absences
    if absences is not None and absences > ABSENCE_LIMIT:
        notes.append(f"Lên lớp: nghỉ {absences} buổi > {ABSENCE_LIMIT} → ở lại lớp ({c} Điều 12).")
        return _Retest(Promotion.RETAINED, None, {})
    if learning is None or training is None:
        missing = [n for n, v in (("học tập", learning), ("rèn luyện", training)) if v is None]
        notes.append(f"Lên lớp: chưa có kết quả {' và '.join(missing)} cả năm → chưa kết luận.")
        return _Retest(Promotion.INCOMPLETE, None, {})
    known = absences is not None
    if training is not Rating.CHUA_DAT and learning is not Rating.CHUA_DAT:
        if not known:
            notes.append("Lên lớp: chưa có số buổi nghỉ học → chưa kết luận.")
            return _Retest(Promotion.INCOMPLETE, None, {})
        notes.append(
            f"Lên lớp: rèn luyện {training.value}, học tập {learning.value}, nghỉ {absences} buổi "
            f"(≤ {ABSENCE_LIMIT}) → được lên lớp ({c} Điều 12)."
        )
        return _Retest(Promotion.PROMOTED, None, {})
    if training is Rating.CHUA_DAT and learning is Rating.CHUA_DAT:
        notes.append(
            f"Lên lớp: rèn luyện và học tập cùng Chưa đạt → không được kiểm tra lại, ở lại lớp "
            f"({c} Điều 14, D7), kể cả khi rèn luyện trong hè đạt."
        )
        return _Retest(Promotion.RETAINED, None, {})
    if training is Rating.CHUA_DAT:
        summer = _rating(student.conduct.summer)
        if summer is None:
            notes.append(f"Lên lớp: rèn luyện cả năm Chưa đạt → rèn luyện trong hè ({c} Điều 13).")
            return _Retest(Promotion.SUMMER_TRAINING, None, {})
        if summer is Rating.CHUA_DAT:
            notes.append(f"Lên lớp: rèn luyện trong hè Chưa đạt → ở lại lớp ({c} Điều 13).")
            return _Retest(Promotion.RETAINED, None, {})
        if not known:
            notes.append("Lên lớp: chưa có số buổi nghỉ học → chưa kết luận.")
            return _Retest(Promotion.INCOMPLETE, None, {})
        notes.append(f"Lên lớp: rèn luyện trong hè Đạt → được lên lớp ({c} Điều 12, 13).")
        return _Retest(Promotion.PROMOTED, None, {})
    return _retest(variant, counted, known, notes)


def evaluate(student: StudentInput, variant: Variant = Variant()) -> Evaluation:
    """Every result of one student's year under TT22 (or TT43 through ``variant``)."""
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
        decision = _learning(variant, label, taught, notes)
        periods.append(
            PeriodOutcome(learning=decision.level.value if decision else None, conduct=entered)
        )
    year_decision = _learning(variant, "Cả năm", [(r.subject, r.year) for r in counted], notes)
    year_learning = year_decision.level if year_decision else None
    training = _rating(conduct.year)
    if training is None and conduct.semester_1 is not None and conduct.semester_2 is not None:
        training = tt22_training_year(Rating(conduct.semester_1), Rating(conduct.semester_2))
        notes.append(
            f"Rèn luyện cả năm {training.value}: HK I {conduct.semester_1}, HK II "
            f"{conduct.semester_2} ({variant.circular} Điều 8.2)."
        )
    elif training is None:
        notes.append("Rèn luyện cả năm: chưa có kết quả rèn luyện của cả hai học kì.")
    year_scores = [r.year for r in counted if isinstance(r.year, Decimal)]
    title = _title(variant, year_learning, training, year_scores, notes)
    outcome = _promotion(variant, student, year_learning, training, counted, notes)
    for r in results:
        if r.subject.retest is not None and r.subject.name not in outcome.replaced:
            notes.append(
                f"{r.subject.name}: điểm kiểm tra lại không được tính vì môn không thuộc diện "
                f"kiểm tra, đánh giá lại ({variant.circular} Điều 14)."
            )
    subjects: list[SubjectOutcome] = [
        r.outcome(outcome.replaced.get(r.subject.name)) for r in results
    ]
    year = YearOutcome(
        learning=year_learning.value if year_learning else None,
        conduct=training.value if training else None,
        title=title,
        promotion=outcome.promotion.value,
        learning_after_retest=outcome.learning_after.value if outcome.learning_after else None,
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
