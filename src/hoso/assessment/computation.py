"""The bridge from stored marks to the rules engine: a subject's averages for the grid and books.

No arithmetic here — the engine computes (issue 4: "computed on the server by the rules engine,
never by arithmetic in the browser"); this module only turns rows into the engine's typed input
and picks the circular by school year, grade and programme (D11).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from hoso.academics.models import SchoolClass, Subject
from hoso.assessment.errors import PrimaryBookError
from hoso.assessment.models import MarkKind, mark_display
from hoso.rules.inputs import SemesterMarks, SubjectInput
from hoso.rules.outcomes import Result
from hoso.rules.registry import regime
from hoso.rules.regulations import tt22_2021, tt58_2011
from hoso.rules.subject_results import SubjectRules, subject_result
from hoso.rules.values import Assessment, Comment

# The subject-level rules of each secondary regime (the level rules live in the rulebooks).
SUBJECT_RULES: Mapping[str, SubjectRules] = {
    "TT22_2021": tt22_2021.SUBJECT_RULES,
    "TT43_2021": tt22_2021.SUBJECT_RULES,
    "TT58_2011": tt58_2011.AMENDED.subject_rules,
    "TT58_2011_original": tt58_2011.ORIGINAL.subject_rules,
    "GDTX_old": tt58_2011.AMENDED.subject_rules,
}


def refuse_primary(*, grade: int) -> None:
    """Primary books (grades 1–5) have levels and periodic test scores, no ĐTB: the secondary
    grid and overview refuse them with the reason (``PrimaryBookError``)."""
    if grade <= 5:
        raise PrimaryBookError()


def class_regime(school_class: SchoolClass) -> str:
    """The regime id of a class's book (its year, grade and programme)."""
    level = "primary" if school_class.grade <= 5 else "secondary"
    return regime(
        level, school_class.year.name, school_class.grade, programme=school_class.programme
    )


@dataclass(frozen=True)
class SubjectAverages:
    semester_1: Result | None
    semester_2: Result | None
    year: Result | None
    notes: tuple[str, ...]


class MarkLike(Protocol):
    """What the averages read of a mark: a ``Mark`` or a ``StoredMark`` read as a plain row."""

    @property
    def semester(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def index(self) -> int: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def comment(self) -> str: ...
    @property
    def is_entered(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class StoredMark:
    """A mark read as a plain row (``values_list``), not a model instance: re-reading a grid's
    rows after a save loads hundreds of marks, and a model instance costs ten times a tuple
    (issue 9, bench.pages save_column)."""

    enrollment_id: int
    semester: int
    kind: str
    index: int
    value: Decimal | None
    comment: str
    version: int
    state: str

    FIELDS = ("enrollment_id", "semester", "kind", "index", "value", "comment", "version", "state")

    @property
    def is_entered(self) -> bool:
        return self.value is not None or self.comment != ""

    @property
    def display(self) -> str:
        return mark_display(self.value, self.comment)


def _semester(marks: Iterable[MarkLike], semester: int, assessment: Assessment) -> SemesterMarks:
    regular: list[tuple[int, Decimal | Comment]] = []
    midterm: Decimal | Comment | None = None
    final: Decimal | Comment | None = None
    for mark in marks:
        if mark.semester != semester or not mark.is_entered:
            continue
        value: Decimal | Comment = (
            Comment(mark.comment) if assessment is Assessment.COMMENT else mark.value  # type: ignore[assignment]
        )
        if mark.kind == MarkKind.REGULAR:
            regular.append((mark.index, value))
        elif mark.kind == MarkKind.MIDTERM:
            midterm = value
        else:
            final = value
    return SemesterMarks(
        regular=tuple(v for _, v in sorted(regular, key=lambda item: item[0])),
        midterm=midterm,
        final=final,
    )


def subject_averages(
    *, regime_id: str, subject: Subject, marks: Iterable[MarkLike]
) -> SubjectAverages:
    """One student's results in one subject, from their stored marks (both semesters)."""
    assessment = Assessment.COMMENT if subject.assessment == "comment" else Assessment.SCORE
    rows = list(marks)
    subject_input = SubjectInput(
        name=subject.name,
        assessment=assessment,
        semester_1=_semester(rows, 1, assessment),
        semester_2=_semester(rows, 2, assessment),
        periods_per_year=subject.periods_per_year,
        code=subject.code,
        regular_required=subject.regular_marks,
    )
    result = subject_result(SUBJECT_RULES[regime_id], subject_input)
    return SubjectAverages(result.semester_1, result.semester_2, result.year, result.notes)
