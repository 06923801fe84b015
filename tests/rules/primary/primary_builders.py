"""Builders of primary evaluate inputs for the tests (plain dicts, as the CLI reads them)."""

from __future__ import annotations

import copy
from typing import Any

QUALITIES = ("Yêu nước", "Nhân ái", "Chăm chỉ", "Trung thực", "Trách nhiệm")
COMPETENCIES = (
    "Tự chủ và tự học",
    "Giao tiếp và hợp tác",
    "Giải quyết vấn đề và sáng tạo",
    "Ngôn ngữ",
    "Tính toán",
    "Khoa học",
    "Thẩm mĩ",
    "Thể chất",
)
_UNTESTED_1_3 = (
    "Đạo đức",
    "Tự nhiên và Xã hội",
    "Giáo dục thể chất",
    "Âm nhạc",
    "Mĩ thuật",
    "Hoạt động trải nghiệm",
)
_UNTESTED_4_5 = ("Đạo đức", "Giáo dục thể chất", "Âm nhạc", "Mĩ thuật", "Hoạt động trải nghiệm")
TESTED = {
    1: ("Tiếng Việt", "Toán"),
    2: ("Tiếng Việt", "Toán"),
    3: ("Tiếng Việt", "Toán", "Ngoại ngữ 1", "Tin học và Công nghệ"),
    4: (
        "Tiếng Việt",
        "Toán",
        "Ngoại ngữ 1",
        "Lịch sử và Địa lí",
        "Khoa học",
        "Tin học và Công nghệ",
    ),
}
TESTED[5] = TESTED[4]
UNTESTED = {grade: _UNTESTED_1_3 if grade <= 3 else _UNTESTED_4_5 for grade in range(1, 6)}

OLD_TESTED_45 = ("Tiếng Việt", "Toán", "Khoa học", "Lịch sử và Địa lí", "Ngoại ngữ", "Tin học")
OLD_UNTESTED_45 = ("Đạo đức", "Âm nhạc", "Mĩ thuật", "Kĩ thuật", "Thể dục")
OLD_COMPETENCIES = ("Tự phục vụ, tự quản", "Hợp tác", "Tự học và giải quyết vấn đề")
OLD_QUALITIES = (
    "Chăm học, chăm làm",
    "Tự tin, trách nhiệm",
    "Trung thực, kỉ luật",
    "Đoàn kết, yêu thương",
)


def tt27_input(
    grade: int = 4,
    *,
    level: str = "T",
    test: int = 10,
    rating: str = "T",
    school_year: str = "2025-2026",
) -> dict[str, Any]:
    """A complete TT27 input: every subject of the grade at ``level``, tests ``test``."""
    subjects = [{"name": n, "level": level, "test": test} for n in TESTED[grade]]
    subjects += [{"name": n, "level": level, "test": None} for n in UNTESTED[grade]]
    return {
        "regulation": "TT27_2020",
        "school_year": school_year,
        "grade": grade,
        "subjects": subjects,
        "qualities": dict.fromkeys(QUALITIES, rating),
        "competencies": dict.fromkeys(COMPETENCIES, rating),
    }


def tt30_input(
    grade: int = 5,
    *,
    level: str = "T",
    test: int = 10,
    rating: str = "T",
    school_year: str = "2023-2024",
) -> dict[str, Any]:
    """A complete TT30 + TT22/2016 input for grade 4 or 5."""
    subjects = [{"name": n, "level": level, "test": test} for n in OLD_TESTED_45]
    subjects += [{"name": n, "level": level, "test": None} for n in OLD_UNTESTED_45]
    return {
        "regulation": "TT30_2014",
        "school_year": school_year,
        "grade": grade,
        "subjects": subjects,
        "qualities": dict.fromkeys(OLD_QUALITIES, rating),
        "competencies": dict.fromkeys(OLD_COMPETENCIES, rating),
    }


def changed(data: dict[str, Any], subject: str, **values: Any) -> dict[str, Any]:
    """A copy of ``data`` with one subject's keys changed (the subject is added if absent)."""
    out = copy.deepcopy(data)
    for item in out["subjects"]:
        if item["name"] == subject:
            item.update(values)
            return out
    out["subjects"].append({"name": subject, **values})
    return out


def without_subject(data: dict[str, Any], subject: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    out["subjects"] = [s for s in out["subjects"] if s["name"] != subject]
    return out


def rated(data: dict[str, Any], key: str, name: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with one quality or competency set to ``value``."""
    out = copy.deepcopy(data)
    out[key][name] = value
    return out
