"""Importing marks from Excel (issue 4; R4.2, R4.4, D1, D6, D18, D20, D21) — on the real teacher's
workbook, imported into the seeded demo school LC-DEMO, and on small files made of its rows."""

from __future__ import annotations

import time
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.db.models import QuerySet
from openpyxl import load_workbook

from hoso.academics.models import Enrollment, SchoolClass
from hoso.assessment.errors import MSG_CELL_LOCKED, MSG_LOCKED, MSG_SUBMITTED
from hoso.assessment.models import Mark, MarkRevision
from hoso.assessment.selectors import gradebook_get
from hoso.assessment.services import CellInput, book_lock, marks_save, marks_submit
from hoso.audit.models import AuditEvent
from hoso.demo.data import REAL_WORKBOOK
from hoso.interchange import errors as E
from hoso.interchange.mark_import import (
    apply_import,
    errors_workbook,
    plan_import,
)
from hoso.interchange.teacher_workbook import read_teacher_workbook
from hoso.organizations.models import Unit
from hoso.rules.values import round_half_up_1
from tests.interchange.helpers import (
    TODAY,
    assignment_of,
    real_rows,
    row_9,
    run,
    sheet_9,
    user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_province")]


def tin_marks() -> QuerySet[Mark]:
    return Mark.objects.filter(subject__code="tin_hoc", semester=2)


def mark_of(national_id: str, kind: str, index: int = 1) -> Mark:
    return Mark.objects.get(
        enrollment__student__national_id=national_id,
        subject__code="tin_hoc",
        semester=2,
        kind=kind,
        index=index,
    )


# --- the real workbook ------------------------------------------------------------------------


def test_the_real_workbook_imports_116_students_of_seven_classes_in_one_go() -> None:
    started = time.perf_counter()
    report = run()
    seconds = time.perf_counter() - started
    print(f"\nImport of the real workbook (116 students): {seconds:.3f} s")  # noqa: T201
    assert report.ok and report.applied
    assert report.students == 116
    # 12T1 and MUL10L3: 3 TX + GK + CK; 9H01, 9H02: 2 TX + GK + CK.
    assert len(report.changes) == 29 * 5 + 27 * 5 + 30 * 4 + 30 * 4 == 520
    assert tin_marks().count() == 520
    assert {c.class_name for c in report.counts} == {
        "12T1",
        "9H01",
        "9H02",
        "10A1",
        "10A2",
        "10F1",
        "10F2",
    }
    # The group MUL10L3 draws from four classes: each student's marks are in their own class.
    assert [g.group for g in report.groups] == ["12T1", "9H01", "9H02", "MUL10L3"]
    assert tin_marks().filter(enrollment__school_class__name="10F2").exists()
    # One marks_save per teaching assignment: one audit event each, naming the file (R4.3).
    events = AuditEvent.objects.filter(id__in=report.event_ids)
    assert events.count() == 4
    assert all("import: so-diem-tt22-2025-2026-anon.xlsx" in e.summary for e in events)
    assert MarkRevision.objects.filter(event_id__in=report.event_ids).count() == 520
    # Issue 4 asks < 2 s. Measured 0.25–0.45 s on an idle machine, 0.9–1.4 s (SQLite and
    # PostgreSQL) with a load average of ~25: recorded (printed), not asserted — the margin under
    # load is not comfortable enough for a test that must not flake (docs/import-export.md).


def test_two_part_marks_are_added_exactly_then_rounded_once() -> None:
    run()
    # 12T1, Kiều Trọng Bảo Bình: CKTN 6 + CKTH 3,8 = 9,8 (D18).
    assert mark_of("7942848782", "final").value == Decimal("9.8")
    # 12T1, Trần Gia Anh: GKTN 6 + GKTH 4 = 10.
    assert mark_of("7944185218", "midterm").value == Decimal("10.0")
    # 9H02, Trịnh Thu Xuân Anh: CKTN 4,75 + CKTH 1,5 = 6,25 → 6,3 (added first, rounded once;
    # rounding each part first would give 4,8 + 1,5 = 6,3 too — see the next student).
    assert mark_of("7974371048", "final").value == Decimal("6.3")
    # 9H02, Hoàng Phương My: 3,75 + 1,3 = 5,05 → 5,1 (parts rounded first: 3,8 + 1,3 = 5,1);
    # 9H02, Vũ Tuấn Thùy Đan: 5,75 + 2,8 = 8,55 → 8,6.
    rows = {r.full_name: r for r in real_rows("9H02")}
    dan = rows["Vũ Tuấn Thùy Đan"]
    assert mark_of(dan.national_id, "final").value == Decimal("8.6")
    # Grade 9 has a single mid-term part (GKTN out of 10): 9H01 Huỳnh Ngọc Phương Hà 9,75 → 9,8.
    ha = {r.full_name: r for r in real_rows("9H01")}["Huỳnh Ngọc Phương Hà"]
    assert mark_of(ha.national_id, "midterm").value == Decimal("9.8")


def test_every_mark_with_more_than_one_decimal_is_rounded_and_reported_with_its_original() -> None:
    report = run(dry_run=True)
    # Independently: every single mark or sum of parts of the file with two decimals.
    expected = set()
    for row in read_teacher_workbook(REAL_WORKBOOK).rows:
        for parts in (("TX1",), ("TX2",), ("TX3",), ("GKTN", "GKTH"), ("CKTN", "CKTH")):
            values = [row.marks[p] for p in parts if row.marks.get(p) is not None]
            if not values:
                continue
            exact = sum(values, Decimal(0))
            if exact != exact.quantize(Decimal("0.1")):
                given = "+".join(p for p in parts if row.marks.get(p) is not None)
                expected.add((row.sheet, row.row, given, round_half_up_1(exact)))
    reported = {(r.sheet, r.row, r.column, r.recorded) for r in report.rounded}
    assert reported == expected
    assert len(reported) == 18
    texts = [str(r) for r in report.rounded]
    assert any(t.startswith("9H01, dòng 10, GKTN") and t.endswith("9,75 → 9,8") for t in texts)
    assert any(t.endswith("4,75 + 1,5 = 6,25 → 6,3") for t in texts)
    # A dry run writes nothing.
    assert not tin_marks().exists()


def test_the_averages_the_grid_shows_then_follow_the_circular() -> None:
    run()
    teacher = user("gvbm.tin")
    book = gradebook_get(actor=teacher, assignment=assignment_of("9H02"), semester=2, today=TODAY)
    average = {r.enrollment.student.full_name: r.averages.semester_2 for r in book.rows}
    # TT22 Art. 9.1.a: ĐTBmhk = (ΣTX + 2·GK + 3·CK) / (n + 5), rounded half up (D1).
    # Trịnh Thu Xuân Anh: TX 10, 10; GK 9,6; CK 4,75 + 1,5 = 6,25 → 6,3
    #   (20 + 19,2 + 18,9) / 7 = 58,1 / 7 = 8,3
    assert average["Trịnh Thu Xuân Anh"] == Decimal("8.3")
    # Huỳnh Tuấn Ánh: TX 9, 8; GK 7,75 → 7,8; CK 4,75 + 4 = 8,75 → 8,8
    #   (17 + 15,6 + 26,4) / 7 = 59 / 7 = 8,428… → 8,4
    assert average["Huỳnh Tuấn Ánh"] == Decimal("8.4")
    book_12 = gradebook_get(
        actor=teacher, assignment=assignment_of("12T1"), semester=2, today=TODAY
    )
    average_12 = {r.enrollment.student.full_name: r.averages.semester_2 for r in book_12.rows}
    # Trần Gia Anh: TX 9,3, 10, 10; GK 6 + 4 = 10; CK 6 + 4 = 10
    #   (29,3 + 20 + 30) / 8 = 79,3 / 8 = 9,9125 → 9,9
    assert average_12["Trần Gia Anh"] == Decimal("9.9")


def test_the_bonus_column_is_ignored_and_reported() -> None:
    report = run(dry_run=True)
    ignored = {(i.sheet, i.column) for i in report.ignored}
    assert ignored == {(s, "Điểm cộng/trừ") for s in ("12T1", "9H01", "9H02", "MUL10L3")}
    assert all(i.reason == E.MSG_IGNORED_BONUS for i in report.ignored)


def test_importing_the_same_file_twice_changes_nothing() -> None:
    run()
    again = run()
    assert again.ok and again.changes == () and again.unchanged == 520
    assert again.event_ids == ()


# --- all or nothing ---------------------------------------------------------------------------


def test_one_bad_cell_imports_nothing_and_names_sheet_row_and_column(tmp_path: Path) -> None:
    first, second, third = real_rows("9H01")[:3]
    path = sheet_9(
        tmp_path / "book.xlsx",
        [row_9(first), row_9(second, TX2=11), row_9(third, CKTN=Decimal("-1"))],
    )
    report = run(path, file_name="book.xlsx")
    assert not report.applied
    where = [(p.sheet, p.row, p.column) for p in report.errors]
    assert where == [("9H01", 3, "TX2"), ("9H01", 4, "CKTN")]
    assert report.errors[0].reason == E.MSG_OUT_OF_RANGE.format(value="11")
    assert report.errors[1].reason == E.MSG_PART_OUT_OF_RANGE.format(value="-1")
    assert not tin_marks().exists()  # the good row was not written either


def test_a_value_that_is_not_a_number_is_an_error(tmp_path: Path) -> None:
    (first,) = real_rows("9H01")[:1]
    path = sheet_9(tmp_path / "book.xlsx", [row_9(first, TX1="chín")])
    report = run(path, file_name="book.xlsx")
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [("9H01", 2, "TX1")]
    assert "không phải là số" in report.errors[0].reason
    # "Đ" in a score subject's column is refused too.
    path = sheet_9(tmp_path / "book2.xlsx", [row_9(first, TX1="Đ")])
    report = run(path, file_name="book2.xlsx")
    assert report.errors[0].reason == E.MSG_NOT_A_NUMBER.format(value="Đ")
    assert not tin_marks().exists()


def test_a_part_left_blank_is_an_error_not_half_a_mark(tmp_path: Path) -> None:
    (first,) = real_rows("9H01")[:1]
    path = sheet_9(tmp_path / "book.xlsx", [row_9(first, CKTH=None)])
    report = run(path, file_name="book.xlsx")
    (problem,) = report.errors
    assert (problem.row, problem.column) == (2, "CKTN+CKTH")
    assert problem.reason == E.MSG_PART_MISSING.format(parts="CKTN + CKTH", missing="CKTH")


def test_the_error_list_is_also_an_excel_file(tmp_path: Path) -> None:
    (first,) = real_rows("9H01")[:1]
    report = run(sheet_9(tmp_path / "b.xlsx", [row_9(first, TX2=12)]), file_name="b.xlsx")
    sheet = load_workbook(BytesIO(errors_workbook(report.errors))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Trang tính", "Dòng", "Cột", "Lý do")
    assert rows[1] == ("9H01", 2, "TX2", E.MSG_OUT_OF_RANGE.format(value="12"))


def test_a_change_between_plan_and_apply_is_refused_and_nothing_is_written() -> None:
    school = Unit.objects.get(code="LC-DEMO")
    report, assignments = plan_import(
        actor=None,
        source=REAL_WORKBOOK,
        file_name="so-diem.xlsx",
        school=school,
        year=assignment_of("12T1").year,
        semester=2,
        subject_name="Tin học",
        today=TODAY,
    )
    assert report.ok
    # Meanwhile the teacher types a mark on the grid of 9H02.
    dan = {r.full_name: r for r in real_rows("9H02")}["Vũ Tuấn Thùy Đan"]
    enrollment = Enrollment.objects.get(student__national_id=dan.national_id)
    marks_save(
        actor=user("gvbm.tin"),
        assignment=assignment_of("9H02"),
        semester=2,
        cells=[CellInput(enrollment.id, "final", 1, "7")],
        today=TODAY,
    )
    result = apply_import(report, assignments, actor=None, today=TODAY)
    assert not result.applied
    (problem,) = result.errors
    assert (problem.sheet, problem.column) == ("9H02", "CKTN+CKTH")
    assert "đã được người khác thay đổi" in problem.reason
    # All or nothing across assignments: 12T1 (saved before 9H02 in the same transaction) too.
    assert tin_marks().count() == 1


# --- states and locks (R4.2, R4.4, R4.6a) -----------------------------------------------------


def test_a_submitted_mark_is_never_overwritten(tmp_path: Path) -> None:
    first = real_rows("9H01")[0]
    run(sheet_9(tmp_path / "a.xlsx", [row_9(first)]), file_name="a.xlsx")
    marks_submit(actor=user("gvbm.tin"), assignment=assignment_of("9H01"), semester=2)
    # The same values again: nothing to do, no error.
    same = run(sheet_9(tmp_path / "b.xlsx", [row_9(first)]), file_name="b.xlsx")
    assert same.ok and same.changes == ()
    # A different TX1: refused, named, nothing written.
    changed = run(sheet_9(tmp_path / "c.xlsx", [row_9(first, TX1=7)]), file_name="c.xlsx")
    (problem,) = changed.errors
    assert (problem.sheet, problem.row, problem.column) == ("9H01", 2, "TX1")
    assert problem.reason.startswith(MSG_SUBMITTED)
    assert "trong sổ: 10,0, trong tệp: 7,0" in problem.reason
    assert mark_of(first.national_id, "regular").value == Decimal("10.0")


def test_a_locked_mark_or_book_is_never_overwritten(tmp_path: Path) -> None:
    first, second = real_rows("9H01")[:2]
    run(sheet_9(tmp_path / "a.xlsx", [row_9(first)]), file_name="a.xlsx")
    Mark.objects.filter(
        enrollment__student__national_id=first.national_id, semester=2, kind="final"
    ).update(locked=True)  # locked on its own after an approved correction (R4.6a)
    report = run(sheet_9(tmp_path / "b.xlsx", [row_9(first, CKTH=1)]), file_name="b.xlsx")
    assert report.errors[0].reason.startswith(MSG_CELL_LOCKED)
    school = Unit.objects.get(code="LC-DEMO")
    book_lock(
        actor=user("hieutruong"),
        school=school,
        year=assignment_of("9H01").year,
        semester=2,
        scope="class",
        school_class=SchoolClass.objects.get(school=school, name="9H01"),
    )
    report = run(sheet_9(tmp_path / "c.xlsx", [row_9(second)]), file_name="c.xlsx")
    assert report.errors and all(p.reason.startswith(MSG_LOCKED) for p in report.errors)
    assert not Mark.objects.filter(
        enrollment__student__national_id=second.national_id, semester=2
    ).exists()


def test_a_blank_cell_is_not_entered_and_never_erases_a_mark(tmp_path: Path) -> None:
    first = real_rows("9H01")[0]
    run(sheet_9(tmp_path / "a.xlsx", [row_9(first)]), file_name="a.xlsx")
    report = run(sheet_9(tmp_path / "b.xlsx", [row_9(first, TX1=None, TX2=0)]), file_name="b.xlsx")
    assert report.ok
    assert mark_of(first.national_id, "regular", 1).value == Decimal("10.0")  # kept
    assert mark_of(first.national_id, "regular", 2).value == Decimal("0.0")  # a real zero


# --- matching students ------------------------------------------------------------------------


def test_a_row_without_id_is_matched_by_name_and_birth_date(tmp_path: Path) -> None:
    first = real_rows("9H01")[0]
    line = row_9(first)
    line[2] = None  # no Mã định danh
    line[5] = "  " + first.full_name.upper().replace(" ", "  ")  # spacing and case differ
    report = run(sheet_9(tmp_path / "a.xlsx", [line]), file_name="a.xlsx")
    assert report.ok and report.students == 1
    assert mark_of(first.national_id, "regular").value == first.marks["TX1"]


def test_rows_that_match_no_student_or_the_wrong_class_are_errors(tmp_path: Path) -> None:
    first, second, third = real_rows("9H01")[:3]
    unknown = row_9(first)
    unknown[2] = "0000000001"
    wrong_class = row_9(second)
    wrong_class[1] = "9H02"
    no_birth = row_9(third)
    no_birth[2] = None
    no_birth[6] = None
    duplicate = row_9(second)
    shifted = row_9(third)
    shifted[5] = first.full_name  # the id of one student, the name of another
    report = run(
        sheet_9(tmp_path / "a.xlsx", [unknown, wrong_class, no_birth, duplicate, shifted]),
        file_name="a.xlsx",
    )
    reasons = {p.row: p.reason for p in report.errors}
    assert reasons[2] == E.MSG_NO_STUDENT_ID.format(national_id="0000000001")
    assert reasons[3] == E.MSG_CLASS_MISMATCH.format(
        name=second.full_name, actual="9H01", given="9H02"
    )
    assert reasons[4] == E.MSG_NEED_ID_OR_BIRTH
    assert reasons[5] == E.MSG_DUPLICATE_ROW.format(name=second.full_name, sheet="9H01", row=3)
    assert "dòng có thể bị lệch" in reasons[6]
    assert not tin_marks().exists()


def test_the_sheet_name_does_not_name_the_class(tmp_path: Path) -> None:
    first = real_rows("9H01")[0]
    report = run(sheet_9(tmp_path / "a.xlsx", [row_9(first)], title="Trang 1"), file_name="a.xlsx")
    assert report.ok and report.counts[0].class_name == "9H01"


# --- who may import ---------------------------------------------------------------------------


def test_a_school_admin_imports_on_the_teachers_behalf(tmp_path: Path) -> None:
    first = real_rows("9H01")[0]
    admin = user("quantri")
    report = run(sheet_9(tmp_path / "a.xlsx", [row_9(first)]), file_name="a.xlsx", actor=admin)
    assert report.applied
    (event,) = AuditEvent.objects.filter(id__in=report.event_ids)
    assert event.actor_id == admin.id


def test_a_teacher_cannot_import_into_another_teachers_group(tmp_path: Path) -> None:
    first = real_rows("9H01")[0]
    other = user("gvcn.12t1")  # a homeroom teacher, not the Tin học teacher of 9H01
    report = run(sheet_9(tmp_path / "a.xlsx", [row_9(first)]), file_name="a.xlsx", actor=other)
    (problem,) = report.errors
    assert "Bạn không được nhập điểm môn" in problem.reason
    assert not tin_marks().exists()


def test_an_unknown_subject_school_or_year_is_a_usage_error() -> None:
    with pytest.raises(E.ImportUsageError):
        run(semester=3)
    from hoso.interchange.mark_import import import_marks

    for school, year, subject in (
        ("XX", "2025-2026", "Tin học"),
        ("LC-DEMO", "2030-2031", "Tin học"),
        ("LC-DEMO", "2025-2026", "Thiên văn"),
    ):
        with pytest.raises(E.ImportUsageError):
            import_marks(
                actor=None,
                source=REAL_WORKBOOK,
                file_name="x.xlsx",
                school_code=school,
                year=year,
                semester=2,
                subject_name=subject,
            )


def test_the_plan_reads_the_database_a_constant_number_of_times(
    django_assert_max_num_queries: object,
) -> None:
    school = Unit.objects.get(code="LC-DEMO")
    year = assignment_of("12T1").year
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        report, _ = plan_import(
            actor=None,
            source=REAL_WORKBOOK,
            file_name="x.xlsx",
            school=school,
            year=year,
            semester=2,
            subject_name="Tin học",
            today=TODAY,
        )
    assert report.ok and len(report.changes) == 520
