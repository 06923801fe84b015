"""One primary evaluate input in, the output object of ``evaluate-format.md`` out."""

from __future__ import annotations

from collections.abc import Mapping

from hoso.rules.primary import competencies as pc
from hoso.rules.primary.checks import Rating
from hoso.rules.primary.inputs import TT27, TT30, ParsedSubject, ParsedYear, parse_year
from hoso.rules.primary.levels import Checkpoint, RatingLevel
from hoso.rules.primary.tt27 import YearInput, tt27_completes_grade, tt27_year_result
from hoso.rules.primary.tt30 import Tt30YearInput, Tt30YearOutcome, tt30_year_end


def evaluate_json(
    data: Mapping[str, object], config: pc.SpecificCompetencyConfig = pc.DEFAULT_CONFIG
) -> dict[str, object]:
    """Validate one primary input object and return its output object (raises InvalidInput)."""
    year = parse_year(data, config)
    explanation = list(year.notes)
    output: dict[str, object] = {
        "regulation": year.regulation,
        "school_year": year.school_year,
        "grade": year.grade,
        "checkpoint": str(year.checkpoint),
        "subjects": [_subject_output(s.given_name, s) for s in year.subjects],
        "qualities": {name: _level(level) for name, level in year.qualities},
        "competencies": {name: _level(level) for name, level in year.competencies},
    }
    if year.checkpoint is not Checkpoint.CN:
        output["year"] = _empty_year(year)
        explanation.append(_no_result_at_checkpoint(year))
    elif year.regulation == TT27:
        output["year"] = _tt27_year(year, explanation)
    else:
        output["year"] = _tt30_year(year, explanation)
    if year.absences is not None and year.regulation == TT27:
        explanation.extend(tt27_completes_grade(None, year.absences).explanation[1:])
    elif year.absences is not None:
        explanation.append(
            f"Số buổi nghỉ ({year.absences}) không phải điều kiện xét hoàn thành chương trình lớp "
            "học (TT30 Điều 14, sửa đổi bởi TT22/2016)."
        )
    output["explanation"] = explanation
    return output


def _level(level: RatingLevel | None) -> str | None:
    return None if level is None else str(level)


def _subject_output(name: str, subject: ParsedSubject) -> dict[str, object]:
    a = subject.assessment
    level = None if a.level is None else str(a.level)
    return {
        "name": name,
        "official_name": subject.role.name,
        "code": subject.role.code,
        "level": level,
        "test": a.test,
        "exempt": a.exempt,
        "printed": "Miễn" if a.exempt else level,
        "tested": a.tested,
        "elective": a.elective,
        "recognised": subject.role.recognised,
    }


def _ratings(year: ParsedYear) -> tuple[Rating, ...]:
    return tuple(Rating(f"phẩm chất {n}", level) for n, level in year.qualities) + tuple(
        Rating(f"năng lực {n}", level) for n, level in year.competencies
    )


def _empty_year(year: ParsedYear) -> dict[str, object]:
    out: dict[str, object] = {
        "result": None,
        "result_label": None,
        "completes_grade": None,
        "completes_primary": None,
        "title": None,
        "missing": [],
    }
    if year.regulation == TT30:
        out["reward"] = None
    return out


def _no_result_at_checkpoint(year: ParsedYear) -> str:
    if year.regulation == TT27:
        return (
            f"{year.checkpoint} ({year.checkpoint.label}): chỉ ghi mức của từng môn, điểm "
            "kiểm tra và mức phẩm chất, năng lực (TT27 Điều 9 khoản 1); kết quả giáo dục chỉ có "
            "vào cuối năm học (Điều 9 khoản 2)."
        )
    return (
        f"{year.checkpoint} ({year.checkpoint.label}): không xét hoàn thành chương trình lớp học "
        "trước cuối năm học (TT30 Điều 14, sửa đổi bởi TT22/2016)."
    )


def _tt27_year(year: ParsedYear, explanation: list[str]) -> dict[str, object]:
    outcome = tt27_year_result(
        YearInput(year.grade, tuple(s.assessment for s in year.subjects), _ratings(year))
    )
    explanation.extend(outcome.explanation)
    return {
        "result": None if outcome.result is None else str(outcome.result),
        "result_label": None if outcome.result is None else outcome.result.label,
        "completes_grade": outcome.completes_grade,
        "completes_primary": outcome.completes_primary,
        "title": outcome.title,
        "missing": list(outcome.missing),
    }


def _tt30_year(year: ParsedYear, explanation: list[str]) -> dict[str, object]:
    outcome = tt30_year_end(_tt30_input(year))
    explanation.extend(outcome.explanation)
    return {
        "result": None,  # TT30 + TT22/2016 has no four-level year result
        "result_label": None,
        "completes_grade": outcome.completes_grade,
        "completes_primary": outcome.completes_primary,
        "title": outcome.reward,
        "reward": outcome.reward,
        "missing": list(outcome.missing),
    }


def _tt30_input(year: ParsedYear) -> Tt30YearInput:
    return Tt30YearInput(year.grade, tuple(s.assessment for s in year.subjects), _ratings(year))


def tt30_tt22_2016_year_end(
    *,
    school_year: str,
    grade: int,
    subjects: Mapping[str, Mapping[str, object]],
    competencies: Mapping[str, object],
    qualities: Mapping[str, object],
) -> Tt30YearOutcome:
    """TT30 Art. 14 and 16 as amended by TT22/2016, from the formula case's plain values:
    ``subjects`` maps each subject name to ``{"level": T|H|C, "test": 1–10 or None}``."""
    data: dict[str, object] = {
        "regulation": TT30,
        "school_year": school_year,
        "grade": grade,
        "subjects": [{"name": name, **values} for name, values in subjects.items()],
        "competencies": competencies,
        "qualities": qualities,
    }
    return tt30_year_end(_tt30_input(parse_year(data)))
