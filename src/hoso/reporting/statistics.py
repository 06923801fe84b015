"""Statistics of a unit — the province, a district or a school — for a semester (R9, R10: the
province and district leadership use the system for statistics and aggregation; R6.4: the
schools' results flow up to the district and the province).

Every figure is an SQL aggregation grouped by school (or by grade inside one school), rolled up
in Python along the unit tree of the day: a constant number of queries whatever the number of
schools. What is counted: students studying; marks entered and submitted ("hoàn tất", R4.2) in
the semester; the end-of-term marks (ĐĐGck) of score subjects — their number, average (rounded
half up to one decimal, D1) and the shares below 5 and from 8.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from hoso.academics.models import Enrollment, EnrollmentStatus, SchoolYear, Subject
from hoso.assessment.models import Mark, MarkKind, MarkState
from hoso.organizations.models import Unit, UnitKind, UnitLink
from hoso.organizations.selectors import today
from hoso.reporting.selectors import percent
from hoso.rules.values import round_half_up_1

FIVE = Decimal(5)
EIGHT = Decimal(8)


@dataclass
class Figures:
    """What is added up for a group of schools (or grades)."""

    schools: int = 0
    students: int = 0
    entered: int = 0
    submitted: int = 0
    finals: int = 0
    finals_total: Decimal = Decimal(0)
    finals_below_5: int = 0
    finals_from_8: int = 0

    def add(self, other: Figures) -> None:
        self.schools += other.schools
        self.students += other.students
        self.entered += other.entered
        self.submitted += other.submitted
        self.finals += other.finals
        self.finals_total += other.finals_total
        self.finals_below_5 += other.finals_below_5
        self.finals_from_8 += other.finals_from_8

    @property
    def submitted_share(self) -> Decimal | None:
        return percent(self.submitted, self.entered)

    @property
    def final_average(self) -> Decimal | None:
        if not self.finals:
            return None
        return round_half_up_1(self.finals_total / self.finals)

    @property
    def below_5_share(self) -> Decimal | None:
        return percent(self.finals_below_5, self.finals)

    @property
    def from_8_share(self) -> Decimal | None:
        return percent(self.finals_from_8, self.finals)


@dataclass
class StatisticsRow:
    label: str
    unit: Unit | None = None  # the district or school of the row (None: a grade)
    figures: Figures = field(default_factory=Figures)


@dataclass
class SubjectRow:
    subject: Subject
    figures: Figures = field(default_factory=Figures)


@dataclass
class UnitStatistics:
    unit: Unit
    year: SchoolYear
    semester: int
    day: dt.date
    rows: list[StatisticsRow]
    total: Figures
    subjects: list[SubjectRow]
    by_grade: bool  # one school: its rows are grades


def _tree(day: dt.date) -> dict[int, list[int]]:
    """Children of every unit on that day (one query: the link table is small)."""
    children: dict[int, list[int]] = defaultdict(list)
    links = UnitLink.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    for parent_id, child_id in links.values_list("parent_id", "child_id"):
        children[parent_id].append(child_id)
    return children


def _below(unit_id: int, children: dict[int, list[int]]) -> set[int]:
    found = {unit_id}
    frontier = [unit_id]
    while frontier:
        frontier = [c for u in frontier for c in children.get(u, ()) if c not in found]
        found.update(frontier)
    return found


def _entered() -> Q:
    return Q(value__isnull=False) | ~Q(comment="")


def _final_score() -> Q:
    return Q(kind=MarkKind.FINAL, value__isnull=False)


def _mark_figures(rows: Iterable[dict[str, object]]) -> dict[object, Figures]:
    figures: dict[object, Figures] = {}
    for row in rows:
        figures[row["key"]] = Figures(
            entered=int(row["entered"]),  # type: ignore[call-overload]
            submitted=int(row["submitted"]),  # type: ignore[call-overload]
            finals=int(row["finals"]),  # type: ignore[call-overload]
            finals_total=Decimal(str(row["finals_total"] or 0)),
            finals_below_5=int(row["below_5"]),  # type: ignore[call-overload]
            finals_from_8=int(row["from_8"]),  # type: ignore[call-overload]
        )
    return figures


def _mark_aggregates() -> dict[str, object]:
    final = _final_score()
    return {
        "entered": Count("id", filter=_entered()),
        "submitted": Count("id", filter=_entered() & Q(state=MarkState.SUBMITTED)),
        "finals": Count("id", filter=final),
        "finals_total": Sum("value", filter=final),
        "below_5": Count("id", filter=final & Q(value__lt=FIVE)),
        "from_8": Count("id", filter=final & Q(value__gte=EIGHT)),
    }


def unit_statistics(
    *, unit: Unit, year: SchoolYear, semester: int, day: dt.date | None = None
) -> UnitStatistics:
    """The unit's figures for a semester, by district or school below it (by grade for a school),
    with the totals and the end-of-term marks by subject."""
    day = day or today()
    marks = Mark.objects.filter(year=year, semester=semester).order_by()
    students = Enrollment.objects.filter(year=year, status=EnrollmentStatus.STUDYING).order_by()
    rows: list[StatisticsRow]
    if unit.kind == UnitKind.SCHOOL:
        marks = marks.filter(school=unit)
        grade = "enrollment__school_class__grade"
        per_grade = _mark_figures(
            marks.annotate(key=F(grade)).values("key").annotate(**_mark_aggregates())
        )
        counted = dict(
            students.filter(school=unit)
            .values_list("school_class__grade")
            .annotate(n=Count("id"))
            .values_list("school_class__grade", "n")
        )
        rows = []
        for number in sorted(set(per_grade) | set(counted), key=lambda g: int(str(g))):
            figures = per_grade.get(number, Figures())
            figures.students = counted.get(number, 0)  # type: ignore[call-overload]
            rows.append(StatisticsRow(label=f"Khối {number}", figures=figures))
        school_ids = {unit.id}
    else:
        children = _tree(day)
        units = {u.id: u for u in Unit.objects.filter(id__in=_below(unit.id, children))}
        school_ids = {uid for uid, u in units.items() if u.kind == UnitKind.SCHOOL}
        marks = marks.filter(school_id__in=school_ids)
        per_school = _mark_figures(
            marks.annotate(key=F("school_id")).values("key").annotate(**_mark_aggregates())
        )
        counted_schools = dict(
            students.filter(school_id__in=school_ids)
            .values_list("school_id")
            .annotate(n=Count("id"))
            .values_list("school_id", "n")
        )
        rows = []
        for child_id in children.get(unit.id, ()):
            child = units.get(child_id)
            if child is None:
                continue
            row = StatisticsRow(label=child.name, unit=child)
            for school_id in _below(child_id, children) & school_ids:
                figures = per_school.get(school_id, Figures())
                figures.schools = 1
                figures.students = counted_schools.get(school_id, 0)
                row.figures.add(figures)
            rows.append(row)
        # Districts first, then the schools linked to the unit directly; each by code.
        rows.sort(key=lambda r: (r.unit is None or r.unit.kind == UnitKind.SCHOOL, _code(r)))
    total = Figures()
    for row in rows:
        total.add(row.figures)
    if unit.kind == UnitKind.SCHOOL:
        total.schools = 1
    catalogue = {s.id: s for s in Subject.objects.all()}
    subjects = []
    per_subject = _mark_figures(
        marks.filter(_final_score())
        .annotate(key=F("subject_id"))
        .values("key")
        .annotate(**_mark_aggregates())
    )
    for subject_id, figures in per_subject.items():
        subject = catalogue.get(int(str(subject_id)))
        if subject is not None and figures.finals:
            subjects.append(SubjectRow(subject=subject, figures=figures))
    subjects.sort(key=lambda s: (s.subject.grade, s.subject.position, s.subject.name))
    return UnitStatistics(
        unit=unit,
        year=year,
        semester=semester,
        day=day,
        rows=rows,
        total=total,
        subjects=subjects,
        by_grade=unit.kind == UnitKind.SCHOOL,
    )


def _code(row: StatisticsRow) -> str:
    return row.unit.code if row.unit is not None else row.label
