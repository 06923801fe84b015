"""so-theo-doi: Sổ theo dõi và đánh giá học sinh of a class (forms.md §1; R3.2, R6.1, R6.2).

Cover, usage notes, class list, per subject and semester the marks and ĐTBmhk, per subject the
year page, the results summary (levels, absences, re-tests, promotion, titles), class statistics
and signature blocks. TT22 layout for years on TT22/TT43; the TT58 years keep their names
(học lực, hạnh kiểm, ĐTBhk) on the same pages. With ``semester=1`` only semester I pages print
(the periodic print at the end of semester I).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from hoso.assessment.models import MarkKind
from hoso.core.formatting import date_vi, decimal_vi
from hoso.printing.documents.common import (
    Header,
    PrintRequest,
    class_enrollments,
    enrollment_note,
    parents_text,
    roman,
    school_header,
)
from hoso.printing.documents.results import (
    ClassResults,
    class_results,
    is_tt58,
    mark_text,
    promotion_text,
    result_text,
)
from hoso.rules.outcomes import Evaluation, PeriodOutcome, Result, SubjectOutcome
from hoso.rules.values import Comment, round_half_up_1

TT22_LEARNING = ("Tốt", "Khá", "Đạt", "Chưa đạt")
TT58_LEARNING = ("Giỏi", "Khá", "Trung bình", "Yếu", "Kém")
TT58_CONDUCT = ("Tốt", "Khá", "Trung bình", "Yếu")
# Score bands of the class statistics (forms.md §1.7).
BANDS = (
    ("Dưới 3,5", Decimal("0"), Decimal("3.5")),
    ("3,5 – dưới 5,0", Decimal("3.5"), Decimal("5.0")),
    ("5,0 – dưới 6,5", Decimal("5.0"), Decimal("6.5")),
    ("6,5 – dưới 8,0", Decimal("6.5"), Decimal("8.0")),
    ("Từ 8,0", Decimal("8.0"), Decimal("10.1")),
)


@dataclass(frozen=True)
class ListRow:
    stt: int
    name: str
    birth_date: str
    female: bool
    ethnicity: str
    address: str
    parents: str
    phone: str
    note: str


@dataclass(frozen=True)
class MarkRow:
    stt: int
    name: str
    regular: tuple[str, ...]
    midterm: str
    final: str
    result: str
    note: str


@dataclass(frozen=True)
class SubjectPage:
    subject: str
    semester: str
    teacher: str
    comment_only: bool
    regular_count: int
    rows: tuple[MarkRow, ...]


@dataclass(frozen=True)
class YearRow:
    stt: int
    name: str
    semester_1: str
    semester_2: str
    year: str
    retest: str
    note: str


@dataclass(frozen=True)
class YearPage:
    subject: str
    teacher: str
    comment_only: bool
    rows: tuple[YearRow, ...]


@dataclass(frozen=True)
class SummaryRow:
    stt: int
    name: str
    subjects: tuple[str, ...]
    learning: tuple[str, str, str]  # HK I, HK II, CN
    conduct: tuple[str, str, str]
    averages: tuple[str, str, str]  # TT58 ĐTBhk / ĐTBcn; blank under TT22
    absent_excused: str
    absent_unexcused: str
    absent_total: str
    retest: str
    summer: str
    outcome: str
    title: str


@dataclass(frozen=True)
class StatRow:
    label: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class StatTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[StatRow, ...]


@dataclass(frozen=True)
class ClassBook:
    title: str
    header: Header
    variant: str  # "TT22" or "TT58"
    class_name: str
    grade: int
    homeroom_teacher: str
    semester_only: str  # "I" for the end-of-semester-I print, "" for the whole year
    students: tuple[ListRow, ...]
    subject_pages: tuple[SubjectPage, ...]
    year_pages: tuple[YearPage, ...]
    summary_subjects: tuple[str, ...]
    summary: tuple[SummaryRow, ...]
    statistics: tuple[StatTable, ...]
    subject_teachers: tuple[str, ...]


def _period(evaluation: Evaluation | None, which: str) -> PeriodOutcome | None:
    if evaluation is None:
        return None
    return evaluation.semester_1 if which == "1" else evaluation.semester_2


def _percent(count: int, total: int) -> str:
    if not total:
        return "0"
    share = round_half_up_1(Decimal(count * 100) / Decimal(total))
    return f"{count} ({decimal_vi(share)}%)"


def _student_list(results: ClassResults) -> tuple[ListRow, ...]:
    return tuple(
        ListRow(
            stt=i,
            name=e.student.full_name,
            birth_date=date_vi(e.student.date_of_birth),
            female=e.student.gender == "F",
            ethnicity=e.student.ethnicity,
            address=e.student.current_address,
            parents=parents_text(e.student),
            phone=e.student.phone,
            note=enrollment_note(e),
        )
        for i, e in enumerate(results.enrollments, start=1)
    )


def _subject_pages(results: ClassResults, semesters: tuple[int, ...]) -> list[SubjectPage]:
    pages: list[SubjectPage] = []
    for cs in results.subjects:
        subject = cs.subject
        comment_only = subject.assessment == "comment"
        for semester in semesters:
            cells: list[tuple[dict[int, str], str, str, str, str]] = []
            most = subject.regular_marks or 2
            for e in results.enrollments:
                regular: dict[int, str] = {}
                midterm = final = ""
                for mark in results.marks.get((e.id, subject.id), []):
                    if mark.semester != semester:
                        continue
                    if mark.kind == MarkKind.REGULAR:
                        regular[mark.index] = mark_text(mark)
                        if mark.is_entered:
                            most = max(most, mark.index)
                    elif mark.kind == MarkKind.MIDTERM:
                        midterm = mark_text(mark)
                    else:
                        final = mark_text(mark)
                evaluation = results.evaluations.get(e.id)
                outcome = _subject_outcome(evaluation, subject.code, subject.name)
                value: Result | None = None
                if outcome is not None:
                    value = outcome.semester_1 if semester == 1 else outcome.semester_2
                cells.append((regular, midterm, final, result_text(value), enrollment_note(e)))
            # n: the most regular marks any student has, at least the required (§1.4).
            count = most
            rows = tuple(
                MarkRow(
                    stt=i,
                    name=e.student.full_name,
                    regular=tuple(regular.get(k, "") for k in range(1, count + 1)),
                    midterm=midterm,
                    final=final,
                    result=result,
                    note=note,
                )
                for i, (e, (regular, midterm, final, result, note)) in enumerate(
                    zip(results.enrollments, cells, strict=True), start=1
                )
            )
            pages.append(
                SubjectPage(subject.name, roman(semester), cs.teachers, comment_only, count, rows)
            )
    return pages


def _subject_outcome(evaluation: Evaluation | None, code: str, name: str) -> SubjectOutcome | None:
    if evaluation is None:
        return None
    for outcome in evaluation.subjects:
        if outcome.code == code or outcome.name == name:
            return outcome
    return None


def _year_pages(results: ClassResults) -> list[YearPage]:
    pages: list[YearPage] = []
    for cs in results.subjects:
        rows: list[YearRow] = []
        for i, e in enumerate(results.enrollments, start=1):
            outcome = _subject_outcome(
                results.evaluations.get(e.id), cs.subject.code, cs.subject.name
            )
            rows.append(
                YearRow(
                    stt=i,
                    name=e.student.full_name,
                    semester_1=result_text(outcome.semester_1) if outcome else "",
                    semester_2=result_text(outcome.semester_2) if outcome else "",
                    year=("Miễn" if outcome and outcome.exempt else result_text(outcome.year))
                    if outcome
                    else "",
                    retest=result_text(outcome.after_retest) if outcome else "",
                    note=enrollment_note(e),
                )
            )
        pages.append(
            YearPage(cs.subject.name, cs.teachers, cs.subject.assessment == "comment", tuple(rows))
        )
    return pages


def _summary(results: ClassResults, grade: int) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    for i, e in enumerate(results.enrollments, start=1):
        ev = results.evaluations.get(e.id)
        subjects = tuple(
            (lambda o: ("Miễn" if o.exempt else result_text(o.year)) if o else "")(
                _subject_outcome(ev, cs.subject.code, cs.subject.name)
            )
            for cs in results.subjects
        )
        excused, unexcused = results.homeroom.absent(e.id)
        any_absence = excused + unexcused > 0 or bool(results.homeroom.absences)
        s1, s2 = _period(ev, "1"), _period(ev, "2")
        year = ev.year if ev else None
        rows.append(
            SummaryRow(
                stt=i,
                name=e.student.full_name,
                subjects=subjects,
                learning=(
                    (s1.learning or "") if s1 else "",
                    (s2.learning or "") if s2 else "",
                    (year.learning or "") if year else "",
                ),
                conduct=(
                    (s1.conduct or "") if s1 else "",
                    (s2.conduct or "") if s2 else "",
                    (year.conduct or "") if year else "",
                ),
                averages=(
                    decimal_vi(s1.average) if s1 else "",
                    decimal_vi(s2.average) if s2 else "",
                    decimal_vi(year.average) if year else "",
                ),
                absent_excused=str(excused) if any_absence else "",
                absent_unexcused=str(unexcused) if any_absence else "",
                absent_total=str(excused + unexcused) if any_absence else "",
                retest=(year.learning_after_retest or "") if year else "",
                summer=(year.conduct_after_summer or "") if year else "",
                outcome=promotion_text(year.promotion, grade) if year else "",
                title=(year.title or "") if year else "",
            )
        )
    return rows


def _statistics(results: ClassResults, rows: list[SummaryRow], tt58: bool) -> list[StatTable]:
    total = len(rows)
    learning_levels = TT58_LEARNING if tt58 else TT22_LEARNING
    conduct_levels = TT58_CONDUCT if tt58 else TT22_LEARNING
    periods = ("HK I", "HK II", "Cả năm")
    learning = StatTable(
        "Học lực" if tt58 else "Kết quả học tập",
        learning_levels,
        tuple(
            StatRow(
                periods[p],
                tuple(
                    _percent(sum(1 for r in rows if r.learning[p] == level), total)
                    for level in learning_levels
                ),
            )
            for p in range(3)
        ),
    )
    conduct = StatTable(
        "Hạnh kiểm" if tt58 else "Kết quả rèn luyện",
        conduct_levels,
        tuple(
            StatRow(
                periods[p],
                tuple(
                    _percent(sum(1 for r in rows if r.conduct[p] == level), total)
                    for level in conduct_levels
                ),
            )
            for p in range(3)
        ),
    )
    outcomes = Counter(r.outcome for r in rows if r.outcome)
    titles = Counter(r.title for r in rows if r.title)
    outcome_table = StatTable(
        "Danh hiệu và lên lớp",
        ("Số học sinh",),
        tuple(StatRow(label, (_percent(n, total),)) for label, n in sorted(titles.items()))
        + tuple(StatRow(label, (_percent(n, total),)) for label, n in sorted(outcomes.items())),
    )
    band_rows: list[StatRow] = []
    for index, cs in enumerate(results.subjects):
        values = [r.subjects[index] for r in rows if r.subjects[index]]
        cells: tuple[str, ...]
        if cs.subject.assessment == "comment":
            cells = (
                f"Đ: {_percent(values.count(Comment.DAT.value), total)}",
                f"CĐ: {_percent(values.count(Comment.CHUA_DAT.value), total)}",
                "",
                "",
                "",
            )
        else:
            numbers = [Decimal(v.replace(",", ".")) for v in values if v != "Miễn"]
            cells = tuple(
                _percent(sum(1 for n in numbers if low <= n < high), total)
                for _, low, high in BANDS
            )
        band_rows.append(StatRow(cs.subject.name, cells))
    bands = StatTable("Kết quả cả năm theo môn học", tuple(b[0] for b in BANDS), tuple(band_rows))
    return [learning, conduct, outcome_table, bands]


def build(request: PrintRequest) -> ClassBook:
    school_class = request.school_class
    assert school_class is not None
    enrollments = class_enrollments(school_class)
    results = class_results(school_class, enrollments)
    tt58 = is_tt58(results.regime)
    semesters = (1,) if request.semester == 1 else (1, 2)
    summary = _summary(results, school_class.grade)
    homeroom = school_class.homeroom_teacher
    teachers: list[str] = []
    for cs in results.subjects:
        for name in cs.teachers.split(", "):
            if name and name not in teachers:
                teachers.append(name)
    return ClassBook(
        title=f"Sổ theo dõi và đánh giá học sinh lớp {school_class.name}, năm học "
        f"{school_class.year.name}",
        header=school_header(request.school, request.year),
        variant="TT58" if tt58 else "TT22",
        class_name=school_class.name,
        grade=school_class.grade,
        homeroom_teacher=homeroom.display_name if homeroom else "",
        semester_only="I" if request.semester == 1 else "",
        students=_student_list(results),
        subject_pages=tuple(_subject_pages(results, semesters)),
        year_pages=tuple(_year_pages(results)) if request.semester != 1 else (),
        summary_subjects=tuple(cs.subject.name for cs in results.subjects),
        summary=tuple(summary),
        statistics=tuple(_statistics(results, summary, tt58)),
        subject_teachers=tuple(teachers),
    )
