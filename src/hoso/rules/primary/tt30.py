"""Thông tư 30/2014/TT-BGDĐT as amended by Thông tư 22/2016/TT-BGDĐT: the old primary rulebook.

History only: school years 2016-2017 (TT22/2016 in force from 06/11/2016) until each grade moved
to TT27 (grade 1 in 2020-2021 … grade 5 in 2024-2025). There is no four-level year result: only
completion of the grade (Art. 14) and the year-end reward (Art. 16), with conditions
[P: reconstructed from secondary sources]:

- completes the grade: every subject and activity T or H, every competency and quality T or Đ,
  every end-of-year periodic test ≥ 5;
- completes primary: a grade-5 pupil who completes grade 5;
- reward "Học sinh hoàn thành xuất sắc các nội dung học tập và rèn luyện": every subject T, every
  competency and quality Tốt, every end-of-year test ≥ 9. The other reward ("thành tích vượt trội
  hay tiến bộ vượt bậc") needs the teacher's proposal and the class's recognition: not computed.
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

REWARD_EXCELLENT = "Học sinh hoàn thành xuất sắc các nội dung học tập và rèn luyện"
FIRST_YEAR = 2016  # TT22/2016 in force from 06/11/2016; 2014-2015 and 2015-2016 are not covered


@dataclass(frozen=True, slots=True)
class Tt30YearInput:
    """One pupil's year-end values under TT30 + TT22/2016."""

    grade: int
    subjects: tuple[SubjectAssessment, ...]
    ratings: tuple[Rating, ...]  # the 3 competencies + the 4 qualities


@dataclass(frozen=True, slots=True)
class Tt30YearOutcome:
    """Completion of the grade and of primary, and the computed year-end reward."""

    completes_grade: bool | None
    completes_primary: bool | None
    reward: str | None
    missing: tuple[str, ...]
    explanation: tuple[str, ...]


def tt30_year_end(year: Tt30YearInput) -> Tt30YearOutcome:
    """TT30 Art. 14 and 16 as amended by TT22/2016 (no four-level result in this rulebook)."""
    found = collect(year.subjects, year.ratings, "môn tự chọn, như quyết định D8")
    explanation = list(found.notes)
    explanation.append("TT30/2014 (sửa đổi bởi TT22/2016) không có kết quả giáo dục bốn mức.")
    if found.missing:
        explanation.append(
            "Chưa đủ dữ liệu để xét hoàn thành chương trình lớp học (TT30 Điều 14, sửa đổi bởi "
            "TT22/2016; quyết định D6 — ô trống không bao giờ là 0): thiếu "
            f"{'; '.join(found.missing)}."
        )
        return Tt30YearOutcome(None, None, None, found.missing, tuple(explanation))
    short = found.shortfalls(PASS_SUBJECTS, PASS_RATINGS, 5)
    completes = not short
    if completes:
        explanation.append(
            f"Hoàn thành chương trình lớp {year.grade} — TT30 Điều 14 (sửa đổi bởi TT22/2016): "
            f"các môn T hoặc H, năng lực, phẩm chất Tốt hoặc Đạt, kiểm tra cuối năm ≥ 5; "
            f"{found.summary()}."
        )
    else:
        explanation.append(
            f"Chưa hoàn thành chương trình lớp {year.grade} — TT30 Điều 14 (sửa đổi bởi "
            f"TT22/2016): {'; '.join(short)}; giáo viên giúp đỡ, đánh giá bổ sung, hiệu trưởng "
            "quyết định lên lớp."
        )
    completes_primary = completes and year.grade == 5
    if completes_primary:
        explanation.append(
            'Hoàn thành chương trình lớp 5: "Hoàn thành chương trình tiểu học" (TT30 Điều 14, '
            "sửa đổi bởi TT22/2016)."
        )
    excellent_short = found.shortfalls(ALL_GOOD_SUBJECTS, ALL_GOOD_RATINGS, 9)
    reward = REWARD_EXCELLENT if not excellent_short else None
    if reward is not None:
        explanation.append(
            f'Khen thưởng cuối năm: "{REWARD_EXCELLENT}" — TT30 Điều 16 (sửa đổi bởi TT22/2016): '
            f"các môn T, năng lực, phẩm chất Tốt, kiểm tra cuối năm ≥ 9; {found.summary()}."
        )
    else:
        explanation.append(
            f'Không khen "{REWARD_EXCELLENT}" (TT30 Điều 16, sửa đổi bởi TT22/2016) vì '
            f"{'; '.join(excellent_short)}; khen thành tích vượt trội, tiến bộ vượt bậc do giáo "
            "viên đề nghị, tập thể lớp công nhận (không tính tự động)."
        )
    return Tt30YearOutcome(completes, completes_primary, reward, (), tuple(explanation))
