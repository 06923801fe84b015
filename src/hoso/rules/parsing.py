"""Reading an evaluate input (evaluate-format.md) into typed values, refusing what is wrong.

Every refusal is an ``InvalidInput`` naming the field (``subjects[0].semester_1.regular[2]``) with
a Vietnamese message that also names the subject, so a teacher can find the cell.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from hoso.rules.catalogue import code_for_name, normalise_name, resolve
from hoso.rules.errors import InvalidInput
from hoso.rules.inputs import ConductInput, Mark, SemesterMarks, StudentInput, SubjectInput
from hoso.rules.registry import (
    CATALOGUE_PROGRAMME,
    SECONDARY_GRADES,
    TT58_CONDUCT_REGULATIONS,
    school_year_start,
    uses_periodic_tests,
)
from hoso.rules.values import (
    SEMESTER_LABELS,
    Assessment,
    Conduct,
    Rating,
    parse_comment,
    parse_mark,
)


def _mapping(raw: object, field: str) -> Mapping[str, object]:
    if not isinstance(raw, Mapping):
        raise InvalidInput(field, "phải là một đối tượng JSON {…}")
    return raw


def _optional_int(
    raw: object, field: str, what: str, low: int, high: int | None = None
) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < low or (high and raw > high):
        bound = f"từ {low} đến {high}" if high else f"từ {low} trở lên"
        raise InvalidInput(field, f"{what} phải là số nguyên {bound}, nhận được {raw!r}")
    return raw


# ``taught_in`` (D15): 1 or 2 as evaluate-format.md writes it; the worked cases' formula inputs also
# write the semester as ``"semester_2"`` or ``["semester_2"]``, so those spellings are read too.
_SEMESTER_NAMES = {"semester_1": 1, "semester_2": 2}


def _taught_in(raw: object, field: str, name: str) -> int | None:
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    if isinstance(raw, str) and raw.strip() in _SEMESTER_NAMES:
        return _SEMESTER_NAMES[raw.strip()]
    return _optional_int(raw, field, f"{name}: taught_in (1, 2, semester_1 hoặc semester_2)", 1, 2)


def _text(raw: object, field: str, what: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput(field, f"{what} phải là một chuỗi không rỗng, nhận được {raw!r}")
    return raw.strip()


class _SubjectReader:
    def __init__(self, regulation: str, grade: int, school_year: str | None) -> None:
        self.programme = CATALOGUE_PROGRAMME[regulation]
        self.grade = grade
        self.periodic_allowed = uses_periodic_tests(regulation, school_year)
        self.notes: list[str] = []

    def mark(self, assessment: Assessment, raw: object, field: str, label: str) -> Mark | None:
        if assessment is Assessment.COMMENT:
            return parse_comment(raw, field, label)
        return parse_mark(raw, field, label)

    def marks(
        self, assessment: Assessment, raw: object, field: str, label: str
    ) -> tuple[Mark, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise InvalidInput(field, f"{label}: phải là một danh sách điểm")
        parsed = (
            self.mark(assessment, item, f"{field}[{i}]", f"{label} thứ {i + 1}")
            for i, item in enumerate(raw)
        )
        # A null inside the list is a cell not entered: it is not a mark (D6).
        return tuple(mark for mark in parsed if mark is not None)

    def semester(
        self, assessment: Assessment, raw: object, field: str, label: str
    ) -> SemesterMarks:
        if raw is None:
            return SemesterMarks()
        data = _mapping(raw, field)
        periodic = self.marks(
            assessment, data.get("periodic"), f"{field}.periodic", f"{label}, KTđk"
        )
        if periodic and not self.periodic_allowed:
            raise InvalidInput(
                f"{field}.periodic",
                f"{label}: bài kiểm tra định kì (KTđk) chỉ có ở TT58 trước TT26; dùng midterm",
            )
        return SemesterMarks(
            regular=self.marks(
                assessment, data.get("regular"), f"{field}.regular", f"{label}, điểm thường xuyên"
            ),
            midterm=self.mark(
                assessment, data.get("midterm"), f"{field}.midterm", f"{label}, điểm giữa kì"
            ),
            final=self.mark(
                assessment, data.get("final"), f"{field}.final", f"{label}, điểm cuối kì"
            ),
            periodic=periodic,
        )

    def subject(self, raw: object, field: str) -> SubjectInput:
        data = _mapping(raw, field)
        name = _text(data.get("name"), f"{field}.name", "tên môn")
        entry = resolve(name, programme=self.programme, grade=self.grade)
        kind = data.get("assessment")
        if kind is None and entry is not None and entry.assessment in ("score", "comment"):
            kind = entry.assessment
        if kind not in ("score", "comment"):
            raise InvalidInput(
                f"{field}.assessment",
                f"{name}: hình thức đánh giá phải là score hoặc comment, nhận được {kind!r}",
            )
        assessment = Assessment(str(kind))
        taught_in = _taught_in(data.get("taught_in"), f"{field}.taught_in", name)
        if entry is None and code_for_name(name) is not None:
            # subjects.md: a known subject that the grade does not have is never mapped to a
            # neighbour; it is evaluated as given and the explanation says so (D21).
            self.notes.append(
                f"{name}: môn có trong danh mục nhưng không có trong chương trình lớp {self.grade} "
                f"({'GDPT 2018' if self.programme == '2018' else 'chương trình cũ'}); tính như "
                "môn đã ghi, cần kiểm tra lại tên môn (D21)."
            )
        exempt = data.get("exempt")
        if exempt is not None and not isinstance(exempt, bool):
            raise InvalidInput(f"{field}.exempt", f"{name}: exempt phải là true hoặc false")
        return SubjectInput(
            name=name,
            assessment=assessment,
            semester_1=self.semester(
                assessment,
                data.get("semester_1"),
                f"{field}.semester_1",
                f"{name}, {SEMESTER_LABELS[1]}",
            ),
            semester_2=self.semester(
                assessment,
                data.get("semester_2"),
                f"{field}.semester_2",
                f"{name}, {SEMESTER_LABELS[2]}",
            ),
            periods_per_year=_optional_int(
                data.get("periods_per_year"), f"{field}.periods_per_year", f"{name}: số tiết/năm", 1
            ),
            retest=self.mark(
                assessment, data.get("retest"), f"{field}.retest", f"{name}, kiểm tra lại"
            ),
            exempt=bool(exempt),
            taught_in=taught_in,
            code=code_for_name(name),
            regular_required=entry.regular_marks if entry is not None else None,
            practical_exemption_only=entry is not None
            and entry.has_role("practical_exemption")
            and not entry.has_role("exemptible"),
        )


def _conduct(raw: object, regulation: str) -> ConductInput:
    if raw is None:
        return ConductInput()
    data = _mapping(raw, "conduct")
    tt58 = regulation in TT58_CONDUCT_REGULATIONS
    allowed = [level.value for level in (Conduct if tt58 else Rating)]
    what = "hạnh kiểm" if tt58 else "kết quả rèn luyện"
    values: dict[str, str | None] = {}
    for key in ("semester_1", "semester_2", "year", "summer"):
        value = data.get(key)
        if isinstance(value, str):
            # NFC, single spaces, any letter case: "chưa  Đạt" is "Chưa đạt".
            spelled = " ".join(unicodedata.normalize("NFC", value).split()).casefold()
            value = next((level for level in allowed if level.casefold() == spelled), value)
        if value is not None and value not in allowed:
            raise InvalidInput(
                f"conduct.{key}", f"{what} phải là {' | '.join(allowed)}, nhận được {value!r}"
            )
        values[key] = value if isinstance(value, str) else None
    return ConductInput(**values)


def _specialised(raw: object, subjects: Sequence[SubjectInput]) -> str | None:
    if raw is None:
        return None
    name = _text(raw, "specialised_subject", "môn chuyên")
    code = code_for_name(name)
    for subject in subjects:
        same = normalise_name(subject.name) == normalise_name(name) or (
            code is not None and subject.code == code
        )  # D21: "Anh" names the subject given as "Tiếng Anh"
        if same and subject.assessment is Assessment.SCORE:
            return subject.name
    raise InvalidInput(
        "specialised_subject", f"môn chuyên {name!r} không có trong các môn tính điểm"
    )


def parse_student(data: Mapping[str, object], regulation: str) -> StudentInput:
    """A secondary evaluate input, validated, under the (already chosen) ``regulation``."""
    grade = _optional_int(
        data.get("grade"), "grade", "lớp", SECONDARY_GRADES.start, SECONDARY_GRADES.stop - 1
    )
    if grade is None:
        raise InvalidInput("grade", "thiếu lớp (grade)")
    school_year = data.get("school_year")
    if school_year is not None:
        if not isinstance(school_year, str):
            raise InvalidInput(
                "school_year", f"năm học phải có dạng 2025-2026, nhận được {school_year!r}"
            )
        school_year_start(school_year)
    raw_subjects = data.get("subjects")
    if not isinstance(raw_subjects, list) or not raw_subjects:
        raise InvalidInput("subjects", "phải là một danh sách môn học, ít nhất một môn")
    reader = _SubjectReader(regulation, grade, school_year)
    subjects = tuple(reader.subject(raw, f"subjects[{i}]") for i, raw in enumerate(raw_subjects))
    seen: dict[str, int] = {}
    for i, subject in enumerate(subjects):
        key = normalise_name(subject.name)
        if key in seen:
            raise InvalidInput(
                f"subjects[{i}].name", f"môn {subject.name!r} đã có ở subjects[{seen[key]}]"
            )
        seen[key] = i
    return StudentInput(
        regulation=regulation,
        grade=grade,
        subjects=subjects,
        conduct=_conduct(data.get("conduct"), regulation),
        absences=_optional_int(data.get("absences"), "absences", "số buổi nghỉ", 0),
        school_year=school_year,
        specialised_subject=_specialised(data.get("specialised_subject"), subjects),
        notes=tuple(reader.notes),
    )
