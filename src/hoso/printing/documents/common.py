"""Pieces every document shares: the request, the school header, the students of a class.

Builders read the database once into frozen dataclasses (issue 7: no database access while
rendering); text is formatted here — decimal comma, dd/mm/yyyy (forms.md §8.3–8.4).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from hoso.academics.models import (
    Enrollment,
    EnrollmentStatus,
    SchoolClass,
    SchoolYear,
    Student,
)
from hoso.accounts.models import User
from hoso.core.formatting import date_vi
from hoso.organizations.models import Unit, UnitKind, UnitLink
from hoso.organizations.selectors import ancestors_of

# hoc-ba-so.md §8: district offices ended on 1/7/2025; pages of earlier years keep their line.
DISTRICTS_ENDED = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class PrintRequest:
    """What to print: the form's subject (class, student or teacher) and its options."""

    form: str
    school: Unit
    year: SchoolYear
    school_class: SchoolClass | None = None
    student: Student | None = None
    teacher: User | None = None
    semester: int | None = None
    # Form-specific options kept with the record (checkpoint, month, correction reference).
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Header:
    authority: str  # "Sở Giáo dục và Đào tạo tỉnh Hòa Sơn"
    district: str  # "Phòng Giáo dục và Đào tạo huyện An Lạc", only for years before 1/7/2025
    school: str
    province: str  # "Hòa Sơn" (for "Tỉnh/Thành phố" and "…, ngày …")
    commune: str
    year: str


def _after(prefixes: Sequence[str], name: str) -> str:
    for prefix in prefixes:
        match = re.search(rf"\b{prefix}\s+(.+)$", name, flags=re.IGNORECASE)
        if match:
            return match.group(1).strip()
    return name


# Parents read in one query by ``header_chain`` before falling back to one query a level.
HEADER_LEVELS = 3


def header_chain(unit: Unit, day: dt.date) -> list[Unit]:
    """``ancestors_of(unit, on=day)`` in one query for trees up to ``HEADER_LEVELS`` deep (every
    print has a header: three queries there were a tenth of a transcript's time)."""
    links = UnitLink.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    wanted = Q(child_id=unit.id)
    level = links.filter(child_id=unit.id).values("parent_id")
    for _ in range(HEADER_LEVELS - 1):
        wanted |= Q(child_id__in=level)
        level = links.filter(child_id__in=level).values("parent_id")
    first: dict[int, UnitLink] = {}
    # The same link as ``ancestors_of`` takes, the first by valid_from; sorted here, as an ORDER
    # BY over the joined unit's columns costs Django more than the query itself.
    rows = links.filter(wanted).select_related("parent").order_by()
    for link in sorted(rows, key=lambda link: (link.child_id, link.valid_from, link.id)):
        first.setdefault(link.child_id, link)
    chain: list[Unit] = []
    current = unit.id
    while current in first and len(chain) < HEADER_LEVELS:
        chain.append(first[current].parent)
        current = first[current].parent_id
    if len(chain) == HEADER_LEVELS:  # deeper than read: the rest a level at a time
        chain += ancestors_of(chain[-1], on=day)
    return chain


def school_header(school: Unit, year: SchoolYear) -> Header:
    """The school's header as the tree was at the start of that year (forms.md §8.11)."""
    chain = header_chain(school, year.start_date)
    province = next((u for u in chain if u.kind == UnitKind.PROVINCE), None)
    district = next((u for u in chain if u.kind == UnitKind.DISTRICT), None)
    if district is not None and year.start_date >= DISTRICTS_ENDED:
        district = None
    address_parts = [p.strip() for p in school.address.split(",") if p.strip()]
    province_name = _after(("tỉnh", "thành phố"), province.name) if province else ""
    if not province_name and address_parts:
        province_name = _after(("tỉnh", "thành phố"), address_parts[-1])
    return Header(
        authority=province.name if province else "",
        district=district.name if district else "",
        school=school.name,
        province=province_name,
        commune=address_parts[0] if address_parts else "",
        year=year.name.replace("-", " - "),
    )


def class_enrollments(school_class: SchoolClass) -> list[Enrollment]:
    """The class's students in Vietnamese name order (interfaces.md), those who left included
    (the book keeps them with a note), in one query."""
    return list(
        Enrollment.objects.filter(school_class=school_class)
        .select_related("student")
        .order_by("student__name_sort_key", "student__national_id")
    )


def enrollment_note(enrollment: Enrollment) -> str:
    """Ghi chú of the class list: transfers in/out with the date, exemptions, disability."""
    notes: list[str] = []
    if enrollment.status == EnrollmentStatus.TRANSFERRED_OUT:
        notes.append(f"Chuyển đi {date_vi(enrollment.end_date)}".strip())
    elif enrollment.status == EnrollmentStatus.DROPPED_OUT:
        notes.append(f"Thôi học {date_vi(enrollment.end_date)}".strip())
    student = enrollment.student
    if student.exemptions:
        notes.append(f"Miễn: {student.exemptions}")
    if student.has_disability:
        notes.append("Khuyết tật")
    return "; ".join(notes)


def parents_text(student: Student) -> str:
    names = [n for n in (student.father_name, student.mother_name) if n]
    if student.guardian_name:
        names.append(f"{student.guardian_name} (người giám hộ)")
    return ", ".join(names)


def roman(semester: int) -> str:
    return "I" if semester == 1 else "II"


def level_of(grade: int) -> str:
    """``primary`` (1–5), ``lower`` (6–9) or ``upper`` (10–12)."""
    if grade <= 5:
        return "primary"
    return "lower" if grade <= 9 else "upper"


def grades_of_level(grade: int) -> range:
    level = level_of(grade)
    return {"primary": range(1, 6), "lower": range(6, 10), "upper": range(10, 13)}[level]


def names(users: Iterable[User | None]) -> str:
    seen: list[str] = []
    for user in users:
        if user is not None and user.display_name not in seen:
            seen.append(user.display_name)
    return ", ".join(seen)
