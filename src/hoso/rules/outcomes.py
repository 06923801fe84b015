"""What the engine returns (frozen), and its JSON form (evaluate-format.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hoso.rules.values import Comment, decimal_text

Result = Decimal | Comment


def result_json(value: Result | None) -> str | None:
    """``"7.7"`` for an average, ``"Đ"``/``"CĐ"`` for a comment subject, ``None`` if incomplete."""
    if value is None:
        return None
    if isinstance(value, Comment):
        return value.value
    return decimal_text(value)


@dataclass(frozen=True, slots=True)
class SubjectOutcome:
    """The results of one subject: each semester, the year, and after the summer re-test."""

    name: str
    semester_1: Result | None
    semester_2: Result | None
    year: Result | None
    after_retest: Result | None = None
    exempt: bool = False
    code: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "code": self.code,
            "exempt": self.exempt,
            "semester_1": result_json(self.semester_1),
            "semester_2": result_json(self.semester_2),
            "year": result_json(self.year),
            "after_retest": result_json(self.after_retest),
        }


@dataclass(frozen=True, slots=True)
class PeriodOutcome:
    """Learning, conduct and title of a semester or of the year (TT58 adds the overall average)."""

    learning: str | None
    conduct: str | None
    title: str | None = None
    average: Decimal | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "learning": self.learning,
            "conduct": self.conduct,
            "title": self.title,
        }
        if self.average is not None:
            out["average"] = decimal_text(self.average)
        return out


@dataclass(frozen=True, slots=True)
class YearOutcome:
    """The year: results before the summer, the decision after it (D14)."""

    learning: str | None
    conduct: str | None
    title: str | None
    promotion: str
    average: Decimal | None = None
    learning_after_retest: str | None = None
    average_after_retest: Decimal | None = None
    conduct_after_summer: str | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "learning": self.learning,
            "conduct": self.conduct,
            "title": self.title,
            "promotion": self.promotion,
            "learning_after_retest": self.learning_after_retest,
            "conduct_after_summer": self.conduct_after_summer,
        }
        if self.average is not None:
            out["average"] = decimal_text(self.average)
        if self.average_after_retest is not None:
            out["average_after_retest"] = decimal_text(self.average_after_retest)
        return out


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One student's year under one regulation, with the reasons."""

    regulation: str
    regime: str
    subjects: tuple[SubjectOutcome, ...]
    semester_1: PeriodOutcome
    semester_2: PeriodOutcome
    year: YearOutcome
    explanation: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "regulation": self.regulation,
            "regime": self.regime,
            "subjects": [subject.to_json() for subject in self.subjects],
            "semester_1": self.semester_1.to_json(),
            "semester_2": self.semester_2.to_json(),
            "year": self.year.to_json(),
            "explanation": list(self.explanation),
        }
