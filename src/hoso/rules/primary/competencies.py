"""The qualities and competencies a primary pupil is rated on, per regulation and grade.

TT27/2020 (2018 programme, general programme Art. on phẩm chất and năng lực): five main qualities,
three general competencies and the specific competencies. Which specific competencies are rated
is configuration per grade, effective-dated (D9): by default the five on the học bạ form (Ngôn ngữ,
Tính toán, Khoa học, Thẩm mĩ, Thể chất); Công nghệ and Tin học can be switched on for grades 3–5.

TT30/2014 as amended by TT22/2016: three competencies and four qualities [P].
"""

from __future__ import annotations

from dataclasses import dataclass, field

TT27_QUALITIES = ("Yêu nước", "Nhân ái", "Chăm chỉ", "Trung thực", "Trách nhiệm")
TT27_GENERAL_COMPETENCIES = (
    "Tự chủ và tự học",
    "Giao tiếp và hợp tác",
    "Giải quyết vấn đề và sáng tạo",
)
TT27_SPECIFIC_COMPETENCIES = (
    "Ngôn ngữ",
    "Tính toán",
    "Khoa học",
    "Công nghệ",
    "Tin học",
    "Thẩm mĩ",
    "Thể chất",
)
DEFAULT_SPECIFIC_COMPETENCIES = ("Ngôn ngữ", "Tính toán", "Khoa học", "Thẩm mĩ", "Thể chất")
UPPER_GRADES_ONLY = frozenset({"Công nghệ", "Tin học"})  # D9: grades 3–5 only

TT30_QUALITIES = (
    "Chăm học, chăm làm",
    "Tự tin, trách nhiệm",
    "Trung thực, kỉ luật",
    "Đoàn kết, yêu thương",
)
TT30_COMPETENCIES = ("Tự phục vụ, tự quản", "Hợp tác", "Tự học và giải quyết vấn đề")


def check_specific_list(names: tuple[str, ...], grades: frozenset[int]) -> str | None:
    """Why a list of specific competencies cannot be configured for these grades, or ``None``."""
    unknown = [name for name in names if name not in TT27_SPECIFIC_COMPETENCIES]
    if unknown:
        return (
            f"năng lực đặc thù không có trong chương trình: {', '.join(unknown)} (chỉ có "
            f"{', '.join(TT27_SPECIFIC_COMPETENCIES)})"
        )
    if len(set(names)) != len(names):
        return "danh sách năng lực đặc thù có tên lặp lại"
    upper_only = [name for name in names if name in UPPER_GRADES_ONLY]
    if upper_only and min(grades) < 3:
        return f"năng lực {', '.join(upper_only)} chỉ được bật cho lớp 3–5 (quyết định D9)"
    return None


@dataclass(frozen=True, slots=True)
class SpecificCompetencyRule:
    """From school year ``from_year``-``from_year+1`` on, these grades rate these competencies."""

    from_year: int
    grades: frozenset[int]
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        problem = check_specific_list(self.names, self.grades)
        if problem is not None:
            raise ValueError(problem)


@dataclass(frozen=True, slots=True)
class SpecificCompetencyConfig:
    """Effective-dated configuration of the rated specific competencies (D9)."""

    rules: tuple[SpecificCompetencyRule, ...] = field(default=())

    def for_grade(self, grade: int, start_year: int) -> tuple[str, ...]:
        """The list in force for a grade in the school year starting in ``start_year``."""
        chosen: SpecificCompetencyRule | None = None
        for rule in self.rules:
            applies = grade in rule.grades and rule.from_year <= start_year
            if applies and (chosen is None or rule.from_year >= chosen.from_year):
                chosen = rule
        return DEFAULT_SPECIFIC_COMPETENCIES if chosen is None else chosen.names


DEFAULT_CONFIG = SpecificCompetencyConfig()
