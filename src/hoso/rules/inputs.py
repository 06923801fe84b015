"""What the engine takes: one student, one school year, recorded marks only (frozen, typed).

A mark that is not entered is ``None`` (or absent from ``regular``), never 0 (D6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from hoso.rules.values import Assessment, Comment

Mark = Decimal | Comment


@dataclass(frozen=True, slots=True)
class SemesterMarks:
    """The assessments of one subject in one semester.

    ``regular``: ĐĐGtx (KTtx) as entered; ``midterm``: ĐĐGgk; ``final``: ĐĐGck (KThk);
    ``periodic``: the original TT58's KTđk (coefficient 2, any number), empty elsewhere.
    """

    regular: tuple[Mark, ...] = ()
    midterm: Mark | None = None
    final: Mark | None = None
    periodic: tuple[Mark, ...] = ()


@dataclass(frozen=True, slots=True)
class SubjectInput:
    """One subject of the student's year."""

    name: str
    assessment: Assessment
    semester_1: SemesterMarks = field(default_factory=SemesterMarks)
    semester_2: SemesterMarks = field(default_factory=SemesterMarks)
    periods_per_year: int | None = None
    retest: Mark | None = None
    exempt: bool = False
    taught_in: int | None = None  # 1 or 2: taught in that semester only (D15)
    code: str | None = None  # catalogue code, None when the name is not recognised (D21)
    regular_required: int | None = None  # from the catalogue when periods_per_year is not given
    # Only the practical part can be exempted (catalogue role ``practical_exemption``: GDQP-AN under
    # TT58 Art. 12, GDTC and GDQP-AN under TT22 Art. 10): ``exempt`` never removes the subject.
    practical_exemption_only: bool = False


@dataclass(frozen=True, slots=True)
class ConductInput:
    """Training (TT22/TT43) or conduct (TT58) ratings as entered; values are the level names."""

    semester_1: str | None = None
    semester_2: str | None = None
    year: str | None = None
    summer: str | None = None


@dataclass(frozen=True, slots=True)
class StudentInput:
    """Everything one evaluation needs."""

    regulation: str
    grade: int
    subjects: tuple[SubjectInput, ...]
    conduct: ConductInput = field(default_factory=ConductInput)
    absences: int | None = None
    school_year: str | None = None
    specialised_subject: str | None = None
    notes: tuple[str, ...] = ()  # explanation lines from reading the input (e.g. unknown names)
