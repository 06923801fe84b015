"""What the year-end checks of both primary rulebooks look at: levels, ratings, end-of-year tests.

Shared by TT27/2020 Art. 9.2 and TT30/2014 Art. 14 + 16 as amended by TT22/2016: both look at the
year-end level of every subject and activity, the year-end level of every quality and competency
and every end-of-year test mark, and both make the result incomplete when one is missing (D6).
"""

from __future__ import annotations

from dataclasses import dataclass

from hoso.rules.primary.levels import RatingLevel, SubjectLevel


@dataclass(frozen=True, slots=True)
class SubjectAssessment:
    """One subject or activity of the pupil at year end.

    ``tested``: the subject has an end-of-year periodic test (D17: known from the grade's subject
    table), so a blank ``test`` makes the result incomplete. ``elective``: D8 — counted only when
    the pupil has a level; its test mark counts only if one was given (any given mark counts).
    ``exempt``: D16 — left out of every check and printed "Miễn".
    """

    name: str
    level: SubjectLevel | None
    test: int | None = None
    tested: bool = False
    elective: bool = False
    exempt: bool = False


@dataclass(frozen=True, slots=True)
class Rating:
    """One quality or competency of the configured list, with its year-end level."""

    name: str
    level: RatingLevel | None


@dataclass(frozen=True, slots=True)
class Collected:
    """The values a year-end check uses, what is missing, and notes on what was left out."""

    levels: tuple[tuple[str, SubjectLevel], ...]
    ratings: tuple[tuple[str, RatingLevel], ...]
    tests: tuple[tuple[str, int], ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]

    def shortfalls(
        self,
        subjects_ok: frozenset[SubjectLevel],
        ratings_ok: frozenset[RatingLevel],
        lowest_test: int,
    ) -> tuple[str, ...]:
        """Every value that keeps the pupil from a level, named with the value."""
        out = [
            f"{name}: {level.label} ({level})"
            for name, level in self.levels
            if level not in subjects_ok
        ]
        out += [f"{name}: {level.label}" for name, level in self.ratings if level not in ratings_ok]
        out += [
            f"{name}: điểm {mark} < {lowest_test}"
            for name, mark in self.tests
            if mark < lowest_test
        ]
        return tuple(out)

    def summary(self) -> str:
        """How many values were checked, and the lowest test mark."""
        text = (
            f"{len(self.levels)} môn học, hoạt động giáo dục; "
            f"{len(self.ratings)} phẩm chất, năng lực"
        )
        if not self.tests:
            return text + "; không có bài kiểm tra cuối năm"
        name, mark = min(self.tests, key=lambda item: item[1])
        return text + f"; {len(self.tests)} bài kiểm tra cuối năm, thấp nhất {mark} ({name})"


def collect(
    subjects: tuple[SubjectAssessment, ...], ratings: tuple[Rating, ...], elective_rule: str
) -> Collected:
    """Sort the year-end values into what is checked, what is missing and what is left out."""
    levels: list[tuple[str, SubjectLevel]] = []
    tests: list[tuple[str, int]] = []
    missing: list[str] = []
    notes: list[str] = []
    for subject in subjects:
        if subject.exempt:
            notes.append(f'{subject.name}: miễn học, ghi "Miễn", không xét (quyết định D16).')
            continue
        if subject.level is None and subject.elective:
            notes.append(
                f"{subject.name}: môn tự chọn chưa có mức đánh giá, không xét ({elective_rule})."
            )
            continue
        if subject.elective:
            counted = "được xét" + (
                f", điểm kiểm tra {subject.test} được tính" if subject.test is not None else ""
            )
            notes.append(
                f"{subject.name}: môn tự chọn có mức đánh giá, {counted} ({elective_rule})."
            )
        if subject.level is None:
            missing.append(f"mức đánh giá cuối năm môn {subject.name}")
        else:
            levels.append((subject.name, subject.level))
        if subject.test is not None:
            tests.append((subject.name, subject.test))
        elif subject.tested:
            missing.append(f"điểm kiểm tra định kì cuối năm môn {subject.name}")
    rated: list[tuple[str, RatingLevel]] = []
    for rating in ratings:
        if rating.level is None:
            missing.append(f"mức cuối năm của {rating.name}")
        else:
            rated.append((rating.name, rating.level))
    return Collected(tuple(levels), tuple(rated), tuple(tests), tuple(missing), tuple(notes))


ALL_GOOD_SUBJECTS = frozenset({SubjectLevel.T})
PASS_SUBJECTS = frozenset({SubjectLevel.T, SubjectLevel.H})
ALL_GOOD_RATINGS = frozenset({RatingLevel.T})
PASS_RATINGS = frozenset({RatingLevel.T, RatingLevel.D})
