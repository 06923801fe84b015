"""Which primary subjects a grade has, which are tested and which are electives (D8, D17).

TT27/2020 (2018 programme): read from the shared catalogue (``subjects.json``, D21): a subject is
tested at a checkpoint when the checkpoint is in its ``periodic_test`` (TT27 Art. 7.1.b), and an
elective when it is not compulsory (Ngoại ngữ 1 in grades 1–2, Tiếng dân tộc thiểu số).

TT30/2014 + TT22/2016 (the old primary programme, QĐ 16/2006): the catalogue's old programme
covers grades 6–12 only, so the primary table is kept here as data (``primary.md`` §10) [U for the
grade sets and for which subjects were optional].
"""

from __future__ import annotations

from dataclasses import dataclass

from hoso.rules import catalogue
from hoso.rules.errors import InvalidInput
from hoso.rules.primary.levels import Checkpoint, fold


@dataclass(frozen=True, slots=True)
class SubjectRole:
    """What a circular says about one subject of one grade."""

    code: str | None  # None: not in the catalogue (an ordinary subject, explained as such)
    name: str  # the official name, or the name as given when not recognised
    tested_at: frozenset[Checkpoint]  # checkpoints with a periodic test
    elective: bool  # D8: counted only when the pupil has a level; its test only if given

    @property
    def recognised(self) -> bool:
        return self.code is not None


_END_TESTS = frozenset({Checkpoint.CK1, Checkpoint.CN})
_NO_TESTS: frozenset[Checkpoint] = frozenset()

# TT30 Art. 10 as amended by TT22/2016: periodic tests at the end of semester I and of the year
# for Tiếng Việt, Toán, Khoa học, Lịch sử và Địa lí, Ngoại ngữ, Tin học, Tiếng dân tộc; grades 4–5
# also Tiếng Việt and Toán at mid-semester I and II. Ngoại ngữ, Tin học and Tiếng dân tộc were
# optional subjects of the 2006 programme: tested when the pupil studies them [U].
_OLD_TESTS_45 = frozenset(Checkpoint)
_OLD_ROWS: tuple[tuple[str, str, tuple[int, ...], frozenset[Checkpoint], bool], ...] = (
    # code, name on the old học bạ, grades, tested at, elective
    ("tieng_viet", "Tiếng Việt", (1, 2, 3), _END_TESTS, False),
    ("tieng_viet", "Tiếng Việt", (4, 5), _OLD_TESTS_45, False),
    ("toan", "Toán", (1, 2, 3), _END_TESTS, False),
    ("toan", "Toán", (4, 5), _OLD_TESTS_45, False),
    ("dao_duc", "Đạo đức", (1, 2, 3, 4, 5), _NO_TESTS, False),
    ("tu_nhien_va_xa_hoi", "Tự nhiên và Xã hội", (1, 2, 3), _NO_TESTS, False),
    ("khoa_hoc", "Khoa học", (4, 5), _END_TESTS, False),
    ("lich_su_va_dia_li", "Lịch sử và Địa lí", (4, 5), _END_TESTS, False),
    ("am_nhac", "Âm nhạc", (1, 2, 3, 4, 5), _NO_TESTS, False),
    ("mi_thuat", "Mĩ thuật", (1, 2, 3, 4, 5), _NO_TESTS, False),
    ("thu_cong", "Thủ công", (1, 2, 3), _NO_TESTS, False),
    ("ki_thuat", "Kĩ thuật", (4, 5), _NO_TESTS, False),
    ("giao_duc_the_chat", "Thể dục", (1, 2, 3, 4, 5), _NO_TESTS, False),
    ("ngoai_ngu_1", "Ngoại ngữ", (1, 2, 3, 4, 5), _END_TESTS, True),
    ("tin_hoc", "Tin học", (1, 2, 3, 4, 5), _END_TESTS, True),
    ("tieng_dan_toc_thieu_so", "Tiếng dân tộc", (1, 2, 3, 4, 5), _END_TESTS, True),
)
# Old subjects the shared catalogue does not name (it has no old primary programme).
_OLD_ALIASES = {
    fold("Thủ công"): "thu_cong",
    fold("Kĩ thuật"): "ki_thuat",
    fold("Kĩ thuật (Thủ công)"): "ki_thuat",
}


def _not_in_grade(name: str, grade: int, basis: str, field: str) -> InvalidInput:
    # subjects.md: a known subject missing from the grade is never mapped to a neighbour subject
    return InvalidInput(
        field, f"môn {name} không có trong chương trình lớp {grade} ({basis}); hãy kiểm tra tên môn"
    )


def tt27_subject(name: str, grade: int, field: str) -> SubjectRole:
    """The role of a subject name in a grade of the 2018 programme (TT27)."""
    if catalogue.code_for_name(name) is None:
        return SubjectRole(None, name.strip(), _NO_TESTS, elective=False)
    entry = catalogue.resolve(name, programme="2018", grade=grade)
    if entry is None:
        raise _not_in_grade(name, grade, "chương trình GDPT 2018", field)
    tested = frozenset(Checkpoint(c) for c in entry.periodic_test or ())
    return SubjectRole(entry.code, entry.name, tested, elective=entry.compulsory is False)


def tt27_grade_subjects(grade: int) -> tuple[SubjectRole, ...]:
    """Every subject and activity of a grade of the 2018 programme."""
    return tuple(
        tt27_subject(entry.name, grade, "") for entry in catalogue.grade_subjects("2018", grade)
    )


def tt30_subject(name: str, grade: int, field: str) -> SubjectRole:
    """The role of a subject name in a grade of the old primary programme (TT30 + TT22/2016)."""
    code = _OLD_ALIASES.get(fold(name)) or catalogue.code_for_name(name)
    if code is None:
        return SubjectRole(None, name.strip(), _NO_TESTS, elective=False)
    for row_code, row_name, grades, tested, elective in _OLD_ROWS:
        if row_code == code and grade in grades:
            return SubjectRole(code, row_name, tested, elective)
    raise _not_in_grade(name, grade, "chương trình tiểu học cũ, TT30/2014", field)


def tt30_grade_subjects(grade: int) -> tuple[SubjectRole, ...]:
    """Every subject of a grade of the old primary programme."""
    return tuple(
        SubjectRole(code, name, tested, elective)
        for code, name, grades, tested, elective in _OLD_ROWS
        if grade in grades
    )
