"""Each subject's semester and year results, with the missing marks named (D6).

The circulars differ in a few parameters only (how many regular marks, how a comment semester is
judged, the original TT58's periodic tests, whether an exemption removes the subject); a
``SubjectRules`` value carries them, the computation is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from hoso.rules.averages import (
    semester_average,
    subject_year_average,
    tt58_original_subject_semester_average,
)
from hoso.rules.inputs import Mark, SemesterMarks, SubjectInput
from hoso.rules.outcomes import Result, SubjectOutcome
from hoso.rules.values import SEMESTER_LABELS, Assessment, Comment, vn


@dataclass(frozen=True, slots=True)
class SubjectRules:
    """How one circular turns a subject's marks into results."""

    circular: str  # short name for explanations: "TT22", "TT58/TT26", …
    regular_required: Callable[[SubjectInput], int]
    comment_semester: Callable[[tuple[Comment, ...], Comment], Comment]
    periodic_tests: bool = False  # original TT58: KTđk (coefficient 2) instead of one ĐĐGgk
    exemption_removes_subject: bool = False  # TT58 Art. 12; TT22 exempts the practical part only


@dataclass(frozen=True, slots=True)
class SubjectResult:
    """A subject's results and whether it takes part in each classification."""

    subject: SubjectInput
    semester_1: Result | None
    semester_2: Result | None
    year: Result | None
    counted: bool
    notes: tuple[str, ...]

    def semester(self, number: int) -> Result | None:
        return self.semester_1 if number == 1 else self.semester_2

    def taught_in(self, number: int) -> bool:
        """Whether the subject has a result in that semester (D15: one-semester subjects)."""
        return self.subject.taught_in in (None, number)

    def outcome(self, after_retest: Result | None = None) -> SubjectOutcome:
        return SubjectOutcome(
            name=self.subject.name,
            code=self.subject.code,
            exempt=self.subject.exempt,
            semester_1=self.semester_1,
            semester_2=self.semester_2,
            year=self.year,
            after_retest=after_retest,
        )


def all_dat(marks: tuple[Comment, ...], final: Comment) -> Comment:
    """TT22 Art. 9.1.a (D4): Đạt only if every required assessment is Đạt."""
    del final  # the final assessment is one of ``marks``; no extra condition
    return Comment.DAT if all(mark is Comment.DAT for mark in marks) else Comment.CHUA_DAT


def two_thirds_and_final(marks: tuple[Comment, ...], final: Comment) -> Comment:
    """TT58 Art. 10.2 (D5): Đ if at least 2/3 of the assessments and the end-of-term one are Đ."""
    dat = sum(mark is Comment.DAT for mark in marks)
    passed = 3 * dat >= 2 * len(marks) and final is Comment.DAT
    return Comment.DAT if passed else Comment.CHUA_DAT


def _missing(rules: SubjectRules, marks: SemesterMarks, required: int, number: int) -> list[str]:
    """Each required mark not entered, named as people and as the input file name it (D6)."""
    key = f"semester_{number}"
    missing: list[str] = []
    if len(marks.regular) < required:
        missing.append(
            f"điểm thường xuyên (có {len(marks.regular)}/{required}; {key}.regular, D13)"
        )
    if rules.periodic_tests:
        if not marks.periodic and marks.midterm is None:
            missing.append(f"điểm kiểm tra định kì (KTđk; {key}.periodic)")
    elif marks.midterm is None:
        missing.append(f"điểm giữa kì (ĐĐGgk; {key}.midterm)")
    if marks.final is None:
        missing.append(f"điểm cuối kì (ĐĐGck; {key}.final)")
    return missing


def _decimals(marks: tuple[Mark, ...]) -> list[Decimal]:
    return [mark for mark in marks if isinstance(mark, Decimal)]


def _comments(marks: tuple[Mark, ...]) -> tuple[Comment, ...]:
    return tuple(mark for mark in marks if isinstance(mark, Comment))


def _semester_result(
    rules: SubjectRules, subject: SubjectInput, number: int, notes: list[str]
) -> Result | None:
    marks = subject.semester_1 if number == 1 else subject.semester_2
    label = f"{subject.name}, {SEMESTER_LABELS[number]}"
    required = rules.regular_required(subject)
    missing = _missing(rules, marks, required, number)
    if missing:
        notes.append(f"{label}: chưa có kết quả, thiếu {', '.join(missing)} (D6).")
        return None
    periodic = marks.periodic + ((marks.midterm,) if marks.midterm is not None else ())
    assert marks.final is not None  # checked by _missing
    if subject.assessment is Assessment.COMMENT:
        every = _comments(marks.regular + periodic + (marks.final,))
        final_comment = _comments((marks.final,))[0]
        comment = rules.comment_semester(every, final_comment)
        dat = sum(mark is Comment.DAT for mark in every)
        notes.append(
            f"{label}: {comment.value} ({dat}/{len(every)} lần đánh giá Đ, cuối kì "
            f"{final_comment.value}; {rules.circular})."
        )
        return comment
    regular = _decimals(marks.regular)
    final = _decimals((marks.final,))[0]
    tx = sum(regular, Decimal(0))
    if rules.periodic_tests:
        tests = _decimals(periodic)
        average = tt58_original_subject_semester_average(regular, tests, final)
        dk = sum(tests, Decimal(0))
        numerator = tx + 2 * dk + 3 * final
        denominator = len(regular) + 2 * len(tests) + 3
        shown = f"({_n(tx)} + 2×{_n(dk)} + 3×{_n(final)})/({len(regular)} + 2×{len(tests)} + 3)"
    else:
        midterm = _decimals(periodic)[0]
        average = semester_average(regular, midterm, final)
        numerator = tx + 2 * midterm + 3 * final
        denominator = len(regular) + 5
        shown = f"({_n(tx)} + 2×{_n(midterm)} + 3×{_n(final)})/({len(regular)} + 5)"
    notes.append(
        f"{label}: ĐTBmhk = {shown} = {_n(numerator)}/{denominator} → {vn(average)} "
        f"({rules.circular})."
    )
    return average


@lru_cache(maxsize=4096)
def _n(value: Decimal) -> str:
    """A sum of recorded marks as people write it: ``59,5``, ``26`` (exact, decimal comma).

    Cached (issue 9: four per semester and subject, from a few thousand sums at most); equal
    Decimals normalise alike and zero is written "0" whatever its sign, so the key is the value.
    """
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")


def _year_result(
    subject: SubjectInput, first: Result | None, second: Result | None, notes: list[str]
) -> Result | None:
    if subject.assessment is Assessment.COMMENT:
        # TT22 Art. 9.1.a, TT58 Art. 10.2 (D4, D5): the year is the semester-2 result, or the
        # result of the one semester taught (D15).
        deciding = subject.taught_in or 2
        year_comment = first if deciding == 1 else second
        if year_comment is not None:
            notes.append(
                f"{subject.name}, cả năm: {vn_result(year_comment)} (kết quả "
                f"{SEMESTER_LABELS[deciding]})."
            )
        return year_comment
    first_score = first if isinstance(first, Decimal) else None
    second_score = second if isinstance(second, Decimal) else None
    year = subject_year_average(first_score, second_score, subject.taught_in)
    if year is None:
        return None
    if subject.taught_in is not None:
        notes.append(
            f"{subject.name}, cả năm: {vn(year)}, môn chỉ học ở "
            f"{SEMESTER_LABELS[subject.taught_in]} (TT58 Điều 10.3, D15)."
        )
        return year
    assert first_score is not None and second_score is not None  # else year would be None
    notes.append(
        f"{subject.name}, cả năm: ĐTBmcn = ({vn(first_score)} + 2×{vn(second_score)})/3 = "
        f"{_n(first_score + 2 * second_score)}/3 → {vn(year)} (D1)."
    )
    return year


def vn_result(value: Result) -> str:
    """A subject result as people read it: ``7,7`` or ``Đ``."""
    return value.value if isinstance(value, Comment) else vn(value)


def subject_result(rules: SubjectRules, subject: SubjectInput) -> SubjectResult:
    """Semester and year results of one subject under ``rules``."""
    notes: list[str] = []
    if subject.code is None:
        kind = "nhận xét" if subject.assessment is Assessment.COMMENT else "tính điểm"
        notes.append(f"{subject.name}: tên môn không có trong danh mục, tính như môn {kind} (D21).")
    removes = rules.exemption_removes_subject and not subject.practical_exemption_only
    if subject.exempt and removes:
        notes.append(f"{subject.name}: miễn học cả năm, không tính vào xếp loại (TT58 Điều 12).")
        return SubjectResult(subject, None, None, None, counted=False, notes=tuple(notes))
    if subject.exempt:
        # TT22 Art. 10; TT58 Art. 12 for GDQP-AN (secondary.md §2.6, §4.9): theory replaces the
        # exempted practical part, the subject is assessed and stays in the classification.
        clause = "TT58 Điều 12" if rules.exemption_removes_subject else "TT22 Điều 10"
        notes.append(
            f"{subject.name}: chỉ được miễn phần thực hành, môn vẫn được đánh giá và xếp loại "
            f"({clause})."
        )
    first = _semester_result(rules, subject, 1, notes) if subject.taught_in != 2 else None
    second = _semester_result(rules, subject, 2, notes) if subject.taught_in != 1 else None
    year = _year_result(subject, first, second, notes)
    return SubjectResult(subject, first, second, year, counted=True, notes=tuple(notes))
