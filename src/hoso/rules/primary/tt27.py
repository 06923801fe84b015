"""Thông tư 27/2020/TT-BGDĐT: assessment of primary pupils on the 2018 programme.

Phase-in (TT27 Art. 2 of the circular): grade 1 from 2020-2021, grade 2 from 2021-2022, grade 3
from 2022-2023, grade 4 from 2023-2024, grade 5 from 2024-2025. Every outcome carries a short
Vietnamese explanation naming the clause that decided it (Điều … khoản … điểm …).
"""

from __future__ import annotations

from dataclasses import dataclass

from hoso.rules.primary.checks import (
    ALL_GOOD_RATINGS,
    ALL_GOOD_SUBJECTS,
    PASS_RATINGS,
    PASS_SUBJECTS,
    Rating,
    SubjectAssessment,
    collect,
)
from hoso.rules.primary.levels import Checkpoint, YearResult, parse_checkpoint, parse_year_result

TITLE_EXCELLENT = "Học sinh Xuất sắc"
TITLE_EXEMPLARY = "Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện"
FIRST_YEAR = 2020  # TT27 in force from 20/10/2020: grade 1 of 2020-2021


def tt27_in_force(start_year: int, grade: int) -> bool:
    """Whether TT27 governs a grade in the school year starting in ``start_year`` (phase-in)."""
    return start_year >= FIRST_YEAR - 1 + grade


@dataclass(frozen=True, slots=True)
class YearInput:
    """One pupil's year-end values under TT27 (exempt subjects included, flagged)."""

    grade: int
    subjects: tuple[SubjectAssessment, ...]
    ratings: tuple[Rating, ...]  # the 5 qualities + the 3 general + the configured specific (D9)


@dataclass(frozen=True, slots=True)
class YearOutcome:
    """The year-end result (Art. 9.2), completion (Art. 11) and the computed title (Art. 13)."""

    result: YearResult | None
    completes_grade: bool | None
    completes_primary: bool | None
    title: str | None
    missing: tuple[str, ...]
    explanation: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckpointOutcome:
    """The overall result at a checkpoint: only the year end (CN) has one (Art. 9)."""

    checkpoint: Checkpoint
    result: YearResult | None
    explanation: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompletionOutcome:
    """Whether the pupil completes the grade's programme (Art. 11)."""

    completes_grade: bool | None
    explanation: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RewardCandidate:
    """Whether the pupil is proposed for the Art. 13.1.a title the principal awards."""

    candidate: str | None
    explanation: tuple[str, ...]


_POINTS = {YearResult.HTXS: "a", YearResult.HTT: "b", YearResult.HT: "c", YearResult.CHT: "d"}


def tt27_year_result(year: YearInput) -> YearOutcome:
    """TT27 Art. 9.2: HTXS, HTT, HT or CHT from the year-end values; ``None`` while incomplete."""
    found = collect(year.subjects, year.ratings, "quyết định D8")
    explanation = list(found.notes)
    if found.missing:
        explanation.append(
            "Chưa đủ dữ liệu để đánh giá kết quả giáo dục (TT27 Điều 9 khoản 2; quyết định D6, "
            f"D17 — ô trống không bao giờ là 0): thiếu {'; '.join(found.missing)}."
        )
        explanation.append(
            "Chưa xét hoàn thành chương trình lớp học (TT27 Điều 11) khi chưa có kết quả."
        )
        return YearOutcome(None, None, None, None, found.missing, tuple(explanation))

    short_of = {
        YearResult.HTXS: found.shortfalls(ALL_GOOD_SUBJECTS, ALL_GOOD_RATINGS, 9),
        YearResult.HTT: found.shortfalls(ALL_GOOD_SUBJECTS, ALL_GOOD_RATINGS, 7),
        YearResult.HT: found.shortfalls(PASS_SUBJECTS, PASS_RATINGS, 5),
    }
    result = next((level for level, short in short_of.items() if not short), YearResult.CHT)
    line = (
        f"Kết quả giáo dục: {result.label} ({result}) — TT27 Điều 9 khoản 2 điểm "
        f"{_POINTS[result]}: {found.summary()}"
    )
    if result is not YearResult.HTXS:
        higher = YearResult.HT if result is YearResult.CHT else _next_up(result)
        line += f"; không đạt {higher} vì {'; '.join(short_of[higher])}"
    explanation.append(line + ".")
    completion = tt27_completes_grade(result)
    explanation.extend(completion.explanation)
    completes_primary = result.completes if year.grade == 5 else False
    if year.grade == 5 and completes_primary:
        explanation.append(
            'Hoàn thành chương trình lớp 5: ghi vào học bạ "Hoàn thành chương trình tiểu học" '
            "(TT27 Điều 11 khoản 2)."
        )
    title = TITLE_EXCELLENT if result is YearResult.HTXS else None
    explanation.append(_title_line(result))
    return YearOutcome(result, result.completes, completes_primary, title, (), tuple(explanation))


def _next_up(result: YearResult) -> YearResult:
    return YearResult.HTXS if result is YearResult.HTT else YearResult.HTT


def _title_line(result: YearResult) -> str:
    if result is YearResult.HTXS:
        return (
            f'Khen thưởng cuối năm: "{TITLE_EXCELLENT}" (TT27 Điều 13 khoản 1 điểm a, '
            "kết quả HTXS)."
        )
    if result is YearResult.HTT:
        return (
            f'Không có danh hiệu tính tự động: "{TITLE_EXEMPLARY}" cần thành tích xuất sắc '
            "hoặc tiến bộ rõ rệt và được tập thể lớp công nhận, hiệu trưởng quyết định (TT27 "
            "Điều 13 khoản 1 điểm a)."
        )
    return f"Không có danh hiệu cuối năm với kết quả {result} (TT27 Điều 13 khoản 1 điểm a)."


def tt27_result_at_checkpoint(
    checkpoint: Checkpoint | str, year: YearInput | None = None
) -> CheckpointOutcome:
    """TT27 Art. 9: no overall result at GK1, CK1 or GK2; at CN the Art. 9.2 result of ``year``."""
    point = parse_checkpoint(checkpoint, "checkpoint")
    if point is not Checkpoint.CN:
        return CheckpointOutcome(
            point,
            None,
            (
                f"{point} ({point.label}): chỉ ghi mức đạt được của từng môn học, điểm kiểm "
                "tra và mức phẩm chất, năng lực (TT27 Điều 9 khoản 1); kết quả giáo dục bốn mức "
                "chỉ có vào cuối năm học (Điều 9 khoản 2), nên không có kết quả.",
            ),
        )
    if year is None:
        raise ValueError("the CN result needs the pupil's year-end values")
    outcome = tt27_year_result(year)
    return CheckpointOutcome(point, outcome.result, outcome.explanation)


def tt27_completes_grade(
    result: YearResult | str | None, days_absent: int | None = None
) -> CompletionOutcome:
    """TT27 Art. 11.1: HTXS, HTT or HT completes the grade; absences are not a criterion."""
    level = parse_year_result(result, "result")
    lines: list[str] = []
    if level is None:
        lines.append(
            "Chưa xét hoàn thành chương trình lớp học: chưa có kết quả giáo dục (TT27 Điều 11)."
        )
        completes = None
    elif level.completes:
        lines.append(
            f"Hoàn thành chương trình lớp học — TT27 Điều 11 khoản 1: kết quả {level} thuộc "
            "HTXS, HTT, HT."
        )
        completes = True
    else:
        lines.append(
            "Chưa hoàn thành chương trình lớp học — TT27 Điều 11 khoản 1: kết quả CHT; giáo viên "
            "hướng dẫn, giúp đỡ và đánh giá bổ sung (Điều 11 khoản 3); nếu vẫn chưa đạt, hiệu "
            "trưởng quyết định lên lớp hay chưa (Điều 11 khoản 4)."
        )
        completes = False
    if days_absent is not None:
        lines.append(
            f"Số buổi nghỉ ({days_absent}) không phải điều kiện xét hoàn thành chương trình lớp "
            "học ở tiểu học (TT27 Điều 11 chỉ xét kết quả giáo dục)."
        )
    return CompletionOutcome(completes, tuple(lines))


def tt27_reward_candidate(
    result: YearResult | str | None,
    outstanding_subject: str | None = None,
    progress_in: str | None = None,
    class_recognition: bool | None = None,
) -> RewardCandidate:
    """TT27 Art. 13.1.a: an HTT pupil with an outstanding subject or clear progress in a quality
    or competency, recognised by the class, is proposed as "Học sinh Tiêu biểu…"; the principal
    decides. HTXS pupils get "Học sinh Xuất sắc" instead (computed, not proposed)."""
    level = parse_year_result(result, "result")
    achievement = [
        text
        for text in (
            f"thành tích xuất sắc môn {outstanding_subject}" if outstanding_subject else "",
            f"tiến bộ rõ rệt về {progress_in}" if progress_in else "",
        )
        if text
    ]
    clause = "TT27 Điều 13 khoản 1 điểm a"
    if level is YearResult.HTXS:
        return RewardCandidate(None, (f'Kết quả HTXS: khen "{TITLE_EXCELLENT}" ({clause}).',))
    if level is not YearResult.HTT:
        return RewardCandidate(
            None,
            (
                f'Danh hiệu "{TITLE_EXEMPLARY}" chỉ xét cho kết quả HTT ({clause}); kết quả: '
                f"{level or 'chưa có'}.",
            ),
        )
    if not achievement:
        return RewardCandidate(
            None,
            (
                "Kết quả HTT nhưng chưa có thành tích xuất sắc về một môn học hay tiến bộ rõ "
                f"rệt về một phẩm chất, năng lực ({clause}).",
            ),
        )
    if class_recognition is not True:
        return RewardCandidate(
            None,
            (
                f"Kết quả HTT, {', '.join(achievement)}, nhưng chưa được tập thể lớp công "
                f"nhận ({clause}).",
            ),
        )
    return RewardCandidate(
        TITLE_EXEMPLARY,
        (
            f'Đề nghị khen "{TITLE_EXEMPLARY}": kết quả HTT, {", ".join(achievement)}, được tập '
            f"thể lớp công nhận ({clause}); hiệu trưởng quyết định.",
        ),
    )
