"""Reading and validating one primary evaluate input (``evaluate-format.md``).

Every refusal is an ``InvalidInput`` whose field names where (``subjects[1].test``) and whose
Vietnamese message names the subject and the clause. A blank (``null`` or a missing key) is kept
as "not entered", never turned into 0 or C (D6).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hoso.rules.errors import InvalidInput
from hoso.rules.primary import competencies as pc
from hoso.rules.primary.checks import SubjectAssessment
from hoso.rules.primary.levels import (
    Checkpoint,
    RatingLevel,
    fold,
    parse_checkpoint,
    parse_rating_level,
    parse_subject_level,
)
from hoso.rules.primary.marks import tt27_test_mark_valid, tt30_tt22_2016_test_mark_valid
from hoso.rules.primary.subjects import (
    SubjectRole,
    tt27_grade_subjects,
    tt27_subject,
    tt30_grade_subjects,
    tt30_subject,
)
from hoso.rules.primary.tt27 import tt27_in_force
from hoso.rules.primary.tt30 import FIRST_YEAR as TT30_FIRST_YEAR

TT27 = "TT27_2020"
TT30 = "TT30_2014"
PRIMARY_REGULATIONS = frozenset({TT27, TT30})
_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True, slots=True)
class ParsedSubject:
    """A subject as given, what the circular says about it, and its values."""

    given_name: str
    role: SubjectRole
    assessment: SubjectAssessment


@dataclass(frozen=True, slots=True)
class ParsedYear:
    """A validated primary evaluate input."""

    regulation: str
    school_year: str
    start_year: int
    grade: int
    checkpoint: Checkpoint
    subjects: tuple[ParsedSubject, ...]
    qualities: tuple[tuple[str, RatingLevel | None], ...]
    competencies: tuple[tuple[str, RatingLevel | None], ...]
    absences: int | None
    notes: tuple[str, ...]


def parse_year(
    data: Mapping[str, object], config: pc.SpecificCompetencyConfig = pc.DEFAULT_CONFIG
) -> ParsedYear:
    """Validate one primary evaluate input object."""
    if not isinstance(data, Mapping):
        raise InvalidInput("", "dữ liệu vào phải là một đối tượng JSON")
    regulation = data.get("regulation")
    if not isinstance(regulation, str) or regulation not in PRIMARY_REGULATIONS:
        raise InvalidInput(
            "regulation",
            f"quy định không dùng cho tiểu học: {regulation!r} (chỉ có {TT27} hoặc {TT30})",
        )
    school_year, start = _school_year(data.get("school_year"))
    grade = _grade(data.get("grade"))
    _check_in_force(regulation, school_year, start, grade)
    raw_checkpoint = data.get("checkpoint")
    checkpoint = (
        Checkpoint.CN if raw_checkpoint is None else parse_checkpoint(raw_checkpoint, "checkpoint")
    )
    notes: list[str] = []
    subjects = _subjects(data.get("subjects"), regulation, grade, checkpoint, notes)
    quality_names: tuple[str, ...] = pc.TT30_QUALITIES
    competency_names: tuple[str, ...] = pc.TT30_COMPETENCIES
    switchable: tuple[str, ...] = ()
    if regulation == TT27:
        specific = _specific_list(data.get("specific_competencies"), grade, start, config)
        quality_names = pc.TT27_QUALITIES
        competency_names = pc.TT27_GENERAL_COMPETENCIES + specific
        switchable = tuple(n for n in pc.TT27_SPECIFIC_COMPETENCIES if n not in specific)
    qualities = _ratings(data.get("qualities"), "qualities", quality_names, (), notes)
    competencies = _ratings(
        data.get("competencies"), "competencies", competency_names, switchable, notes
    )
    absences = _absences(data.get("absences"))
    return ParsedYear(
        regulation,
        school_year,
        start,
        grade,
        checkpoint,
        subjects,
        qualities,
        competencies,
        absences,
        tuple(notes),
    )


def _school_year(value: object) -> tuple[str, int]:
    match = _SCHOOL_YEAR.match(value) if isinstance(value, str) else None
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise InvalidInput("school_year", f'năm học phải có dạng "2025-2026"; nhận được {value!r}')
    return match[0], int(match[1])


def _grade(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(
            "grade", f"lớp ở tiểu học phải là số nguyên từ 1 đến 5; nhận được {value!r}"
        )
    return value


def _check_in_force(regulation: str, school_year: str, start: int, grade: int) -> None:
    # D11: a year is evaluated only under the rulebook in force for that grade and year.
    first = f"{2019 + grade}-{2020 + grade}"
    if regulation == TT27 and not tt27_in_force(start, grade):
        raise InvalidInput(
            "regulation",
            f"TT27/2020 áp dụng cho lớp {grade} từ năm học {first}; năm học {school_year} lớp "
            f"{grade} theo TT30/2014 sửa đổi bởi TT22/2016 ({TT30}) (quyết định D11)",
        )
    if regulation == TT30 and tt27_in_force(start, grade):
        raise InvalidInput(
            "regulation",
            f"từ năm học {first} lớp {grade} theo TT27/2020 ({TT27}), không theo TT30/2014 "
            "(quyết định D11)",
        )
    if regulation == TT30 and start < TT30_FIRST_YEAR:
        raise InvalidInput(
            "school_year",
            f"năm học {school_year} theo TT30/2014 trước khi sửa đổi bởi TT22/2016 (hiệu lực "
            "06/11/2016), chưa được hỗ trợ",
        )


def _subjects(
    value: object, regulation: str, grade: int, checkpoint: Checkpoint, notes: list[str]
) -> tuple[ParsedSubject, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise InvalidInput("subjects", "danh sách môn học phải là một mảng, có ít nhất một môn")
    seen: dict[str, int] = {}
    parsed: list[ParsedSubject] = []
    for index, raw in enumerate(value):
        subject = _subject(raw, f"subjects[{index}]", regulation, grade, checkpoint)
        key = subject.role.code or fold(subject.role.name)
        if key in seen:
            raise InvalidInput(
                f"subjects[{index}].name",
                f"môn {subject.given_name} trùng với subjects[{seen[key]}]",
            )
        seen[key] = index
        if not subject.role.recognised:
            notes.append(
                f"{subject.given_name}: tên môn không có trong danh mục môn học (subjects.json), "
                "xét như một môn học thông thường (quyết định D21)."
            )
        parsed.append(subject)
    table = tt27_grade_subjects(grade) if regulation == TT27 else tt30_grade_subjects(grade)
    absent = [r.name for r in table if not r.elective and r.code not in seen]
    if absent:
        notes.append(
            f"Lưu ý: không có dữ liệu của môn bắt buộc lớp {grade}: {', '.join(absent)}; "
            "chỉ xét các môn có trong dữ liệu."
        )
    return tuple(parsed)


def _subject(
    raw: object, field: str, regulation: str, grade: int, checkpoint: Checkpoint
) -> ParsedSubject:
    if not isinstance(raw, Mapping):
        raise InvalidInput(field, "mỗi môn học phải là một đối tượng {name, level, test}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"{field}.name", "thiếu tên môn học")
    if regulation == TT27:
        role = tt27_subject(name, grade, f"{field}.name")
    else:
        role = tt30_subject(name, grade, f"{field}.name")
    try:
        level = parse_subject_level(raw.get("level"), f"{field}.level")
    except InvalidInput as error:
        raise InvalidInput(error.field, f"môn {name}: {error.message}") from None
    test = _test(raw.get("test"), f"{field}.test", name, regulation, grade, role, checkpoint)
    exempt = raw.get("exempt", False)
    if not isinstance(exempt, bool):
        raise InvalidInput(f"{field}.exempt", f"môn {name}: exempt phải là true hoặc false")
    if exempt and (level is not None or test is not None):
        raise InvalidInput(
            f"{field}.exempt",
            f"môn {name} được miễn thì không ghi mức đánh giá hay điểm kiểm tra (quyết định D16)",
        )
    assessment = SubjectAssessment(
        name=name.strip(),
        level=level,
        test=test,
        tested=checkpoint in role.tested_at,
        elective=role.elective,
        exempt=exempt,
    )
    return ParsedSubject(name, role, assessment)


def _test(
    value: object,
    field: str,
    name: str,
    regulation: str,
    grade: int,
    role: SubjectRole,
    checkpoint: Checkpoint,
) -> int | None:
    if value is None:
        return None
    check = tt27_test_mark_valid if regulation == TT27 else tt30_tt22_2016_test_mark_valid
    validity = check(value)
    if validity.mark is None:
        raise InvalidInput(field, f"môn {name}: {validity.explanation}")
    if role.recognised and not role.elective and checkpoint not in role.tested_at:
        clause = (
            "TT27 Điều 7 khoản 1 điểm b"
            if regulation == TT27
            else "TT30 Điều 10, sửa đổi bởi TT22/2016"
        )
        raise InvalidInput(
            field,
            f"môn {name} lớp {grade} không có bài kiểm tra định kì {checkpoint} ({clause})",
        )
    return validity.mark


def _specific_list(
    value: object, grade: int, start: int, config: pc.SpecificCompetencyConfig
) -> tuple[str, ...]:
    if value is None:
        return config.for_grade(grade, start)
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise InvalidInput("specific_competencies", "phải là một mảng tên năng lực đặc thù")
    known = {fold(name): name for name in pc.TT27_SPECIFIC_COMPETENCIES}
    names = tuple(known.get(fold(n), n) if isinstance(n, str) else str(n) for n in value)
    problem = pc.check_specific_list(names, frozenset({grade}))
    if problem is not None:
        raise InvalidInput("specific_competencies", problem)
    return names


def _ratings(
    value: object,
    key: str,
    required: tuple[str, ...],
    switchable: tuple[str, ...],
    notes: list[str],
) -> tuple[tuple[str, RatingLevel | None], ...]:
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise InvalidInput(key, "phải là một đối tượng {tên: mức}")
    names = {fold(name): name for name in required}
    others = {fold(name): name for name in switchable}
    given: dict[str, RatingLevel | None] = {}
    for raw_name, raw_level in value.items():
        name = str(raw_name)
        field = f"{key}.{name}"
        canonical = names.get(fold(name))
        if canonical is None and fold(name) in others:
            notes.append(
                f"{key}.{name}: năng lực đặc thù không có trong danh sách đã cấu hình cho lớp này, "
                "không xét (quyết định D9)."
            )
            continue
        if canonical is None:
            raise InvalidInput(field, f"không có {name!r} trong danh sách: {', '.join(required)}")
        if canonical in given:
            raise InvalidInput(field, f"{name} được ghi hai lần")
        given[canonical] = parse_rating_level(raw_level, field)
    return tuple((name, given.get(name)) for name in required)


def _absences(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(
            "absences", f"số buổi nghỉ phải là số nguyên không âm; nhận được {value!r}"
        )
    return value
