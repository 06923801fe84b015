"""Builders of secondary evaluate inputs for the tests (plain dicts, as the command line reads).

Most classification tests give every mark of a subject the same value in both semesters, so each
semester average and the year average equal that value (as the worked cases do).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TT22_SCORE = {
    "Ngữ văn": 140,
    "Toán": 140,
    "Ngoại ngữ 1": 105,
    "Giáo dục công dân": 35,
    "Lịch sử và Địa lí": 105,
    "Khoa học tự nhiên": 140,
    "Công nghệ": 52,
    "Tin học": 35,
}
TT22_COMMENT = (
    "Giáo dục thể chất",
    "Nghệ thuật (Âm nhạc)",
    "Nghệ thuật (Mĩ thuật)",
    "Hoạt động trải nghiệm, hướng nghiệp",
    "Nội dung giáo dục của địa phương",
)
TT58_SCORE = {
    "Toán": 140,
    "Ngữ văn": 140,
    "Tiếng Anh": 105,
    "Vật lí": 35,
    "Hoá học": 70,
    "Sinh học": 70,
    "Lịch sử": 52,
    "Địa lí": 52,
    "Giáo dục công dân": 35,
    "Công nghệ": 52,
    "Tin học": 70,
}
TT58_COMMENT = {"Thể dục": 70, "Âm nhạc": 35, "Mĩ thuật": 35}
GDTX_SCORE = {
    "Ngữ văn": 105,
    "Toán": 105,
    "Lịch sử": 52,
    "Địa lí": 70,
    "Vật lí": 70,
    "Hoá học": 70,
    "Tin học": 70,
}
GDTX_COMMENT = ("Hoạt động trải nghiệm, hướng nghiệp", "Nội dung giáo dục của địa phương")


def regular_for(periods: int) -> int:
    return 2 if periods <= 35 else 3 if periods <= 70 else 4


def constant_score(name: str, value: object, periods: int = 35, **extra: Any) -> dict[str, Any]:
    """A score subject whose every mark is ``value`` in both semesters."""
    semester = {"regular": [value] * regular_for(periods), "midterm": value, "final": value}
    return {
        "name": name,
        "assessment": "score",
        "periods_per_year": periods,
        "semester_1": dict(semester),
        "semester_2": dict(semester),
        "retest": None,
        **extra,
    }


def constant_comment(
    name: str, result: str = "Đ", regular: int = 2, periods: int | None = None, **extra: Any
) -> dict[str, Any]:
    """A comment subject Đ in every assessment, or CĐ in its last regular one (``result="CĐ"``)."""
    marks = ["Đ"] * regular
    if result == "CĐ":
        marks[-1] = "CĐ"
    semester = {"regular": marks, "midterm": "Đ", "final": "Đ"}
    subject: dict[str, Any] = {
        "name": name,
        "assessment": "comment",
        "semester_1": dict(semester, regular=list(marks)),
        "semester_2": dict(semester, regular=list(marks)),
        "retest": None,
        **extra,
    }
    if periods is not None:
        subject["periods_per_year"] = periods
    return subject


def tt22_student(
    scores: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    *,
    conduct: tuple[str | None, str | None] = ("Tốt", "Tốt"),
    summer: str | None = None,
    absences: int | None = 0,
    regulation: str | None = "TT22_2021",
    grade: int = 8,
    retests: Mapping[str, object] | None = None,
    school_year: str = "2025-2026",
) -> dict[str, Any]:
    """A TT22 student: score subjects by name → constant mark, comment subjects → Đ/CĐ."""
    comments = {name: "Đ" for name in TT22_COMMENT} | dict(comments or {})
    retests = retests or {}
    subjects = [
        constant_score(n, v, TT22_SCORE.get(n, GDTX_SCORE.get(n, 35)), retest=retests.get(n))
        for n, v in scores.items()
    ]
    subjects += [constant_comment(n, r, retest=retests.get(n)) for n, r in comments.items()]
    data: dict[str, Any] = {
        "school_year": school_year,
        "grade": grade,
        "subjects": subjects,
        "conduct": {
            "semester_1": conduct[0],
            "semester_2": conduct[1],
            "year": None,
            "summer": summer,
        },
        "absences": absences,
    }
    if regulation is not None:
        data["regulation"] = regulation
    return data


def tt22_scores(*values: object) -> dict[str, object]:
    """The eight THCS score subjects with the given values, in catalogue order."""
    return dict(zip(TT22_SCORE, values, strict=True))


def tt58_student(
    scores: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    *,
    conduct: tuple[str | None, str | None, str | None] = ("Tốt", "Tốt", "Tốt"),
    summer: str | None = None,
    absences: int | None = 0,
    regulation: str = "TT58_2011",
    school_year: str = "2022-2023",
    retests: Mapping[str, object] | None = None,
    **top: Any,
) -> dict[str, Any]:
    """A TT58 student: score subjects by name → constant mark, comment subjects → Đ/CĐ."""
    comments = {name: "Đ" for name in TT58_COMMENT} | dict(comments or {})
    retests = retests or {}
    subjects = [
        constant_score(n, v, TT58_SCORE.get(n, 35), retest=retests.get(n))
        for n, v in scores.items()
    ]
    subjects += [
        constant_comment(
            n,
            r,
            regular_for(TT58_COMMENT.get(n, 35)),
            TT58_COMMENT.get(n, 35),
            retest=retests.get(n),
        )
        for n, r in comments.items()
    ]
    return {
        "regulation": regulation,
        "school_year": school_year,
        "grade": 8,
        "subjects": subjects,
        "conduct": {
            "semester_1": conduct[0],
            "semester_2": conduct[1],
            "year": conduct[2],
            "summer": summer,
        },
        "absences": absences,
        **top,
    }


def tt58_scores(*values: object) -> dict[str, object]:
    """The eleven grade-8 score subjects of the old programme with the given values."""
    return dict(zip(TT58_SCORE, values, strict=True))


def subject(output: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The output subject of that name."""
    return next(s for s in output["subjects"] if s["name"] == name)
