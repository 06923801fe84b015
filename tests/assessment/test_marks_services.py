"""Mark entry services (issue 4; R4.2, R4.4, R4.5, R14.2): all or nothing, states, locks,
deadlines, optimistic concurrency, one audit event per call and a revision per changed mark."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hoso.academics.models import Enrollment
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.assessment.errors import MarkEntryError, MarkSaveRefused
from hoso.assessment.models import LockScope, Mark, MarkRevision, MarkState
from hoso.assessment.selectors import gradebook_get
from hoso.assessment.services import (
    CellInput,
    book_lock,
    book_unlock,
    deadline_extend,
    deadline_set,
    marks_save,
    marks_submit,
    midterm_test_record,
)
from hoso.audit.models import AuditEvent
from hoso.core.errors import NotFoundError, PermissionDeniedError
from tests.personas import World

TODAY = dt.date(2025, 11, 20)


def enrollment_of(world: World) -> Enrollment:
    return Enrollment.objects.get(student=world.student_a1)


def cell(world: World, kind: str, index: int, text: str, version: int = 0) -> CellInput:
    return CellInput(enrollment_of(world).id, kind, index, text, version)


def save(world: World, *cells: CellInput, actor: User | None = None, semester: int = 1):  # type: ignore[no-untyped-def]
    return marks_save(
        actor=actor or world.teacher_a,
        assignment=world.assignment_a,
        semester=semester,
        cells=list(cells),
        today=TODAY,
    )


def test_given_a_draft_book_when_the_teacher_saves_a_column_then_marks_and_one_event(
    world: World,
) -> None:
    events_before = AuditEvent.objects.count()
    result = save(world, cell(world, "regular", 1, "8,5"), cell(world, "regular", 2, "0"))
    marks = {m.index: m for m in Mark.objects.filter(kind="regular")}
    assert marks[1].value == Decimal("8.5") and marks[1].state == MarkState.DRAFT
    assert marks[2].value == Decimal("0.0")  # a 0 is a mark
    assert [c.version for c in result.saved] == [1, 1]
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "marks.saved" and len(event.changes) == 2
    assert MarkRevision.objects.filter(event_id=event.id).count() == 2


def test_one_bad_cell_saves_nothing_and_names_the_reason(world: World) -> None:
    with pytest.raises(MarkSaveRefused) as caught:
        save(world, cell(world, "regular", 1, "8"), cell(world, "regular", 2, "8,55"))
    problem = caught.value.problems[0]
    assert problem.index == 2 and problem.suggestion == "8,6"
    assert "Có phải là 8,6?" in problem.message
    assert not Mark.objects.exists()
    assert not AuditEvent.objects.filter(action="marks.saved").exists()


def test_a_stale_save_is_refused_with_the_current_value(world: World) -> None:
    save(world, cell(world, "midterm", 1, "7"))
    # a second browser still shows the empty cell (version 0) and types 9
    with pytest.raises(MarkSaveRefused) as caught:
        save(world, cell(world, "midterm", 1, "9", version=0))
    problem = caught.value.problems[0]
    assert problem.current_text == "7,0" and problem.current_version == 1
    assert Mark.objects.get(kind="midterm").value == Decimal("7.0")
    # based on the current version, the change goes through
    save(world, cell(world, "midterm", 1, "9", version=1))
    assert Mark.objects.get(kind="midterm").value == Decimal("9.0")


def test_saving_the_same_value_again_changes_nothing(world: World) -> None:
    save(world, cell(world, "final", 1, "6,5"))
    result = save(world, cell(world, "final", 1, "6.5", version=1))
    assert result.saved == [] and result.unchanged == 1 and result.event_id is None


def test_submitted_marks_cannot_be_changed_by_the_teacher(world: World) -> None:
    save(world, cell(world, "regular", 1, "8"))
    assert marks_submit(actor=world.teacher_a, assignment=world.assignment_a, semester=1) == 1
    mark = Mark.objects.get()
    assert mark.state == MarkState.SUBMITTED
    with pytest.raises(MarkSaveRefused, match=r"R4\.2"):
        save(world, cell(world, "regular", 1, "9", version=mark.version))
    assert AuditEvent.objects.filter(action="marks.submitted").count() == 1


def test_submitting_a_column_runs_the_same_queries_for_one_mark_as_for_several(
    world: World,
) -> None:
    """No query per mark (the event names each cell's class and subject): seed_demo and a real
    class's "Hoàn tất" used to run three queries per mark."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    save(world, cell(world, "regular", 1, "8"))
    with CaptureQueriesContext(connection) as one:
        marks_submit(actor=world.teacher_a, assignment=world.assignment_a, semester=1)
    save(world, *(cell(world, "regular", i, "7") for i in (2, 3, 4)))
    with CaptureQueriesContext(connection) as three:
        marks_submit(actor=world.teacher_a, assignment=world.assignment_a, semester=1)
    assert Mark.objects.filter(state=MarkState.SUBMITTED).count() == 4
    assert len(three.captured_queries) == len(one.captured_queries)


def test_clearing_a_draft_cell_makes_it_not_entered_and_keeps_history(world: World) -> None:
    save(world, cell(world, "regular", 1, "8"))
    save(world, cell(world, "regular", 1, "", version=1))
    mark = Mark.objects.get()
    assert mark.value is None and not mark.is_entered and mark.version == 2
    assert list(mark.revisions.values_list("new_text", flat=True)) == ["8,0", ""]


def test_a_locked_class_accepts_no_write(world: World) -> None:
    book_lock(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        scope=LockScope.CLASS,
        school_class=world.class_a1,
    )
    with pytest.raises(MarkSaveRefused, match=r"R4\.4"):
        save(world, cell(world, "regular", 1, "8"))
    # semester 2 is not locked by a semester-1 lock
    save(world, cell(world, "regular", 1, "8"), semester=2)


def test_a_grade_or_school_lock_covers_the_class(world: World) -> None:
    lock = book_lock(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=None,
        scope=LockScope.GRADE,
        grade=10,
    )
    with pytest.raises(MarkSaveRefused):
        save(world, cell(world, "regular", 1, "8"), semester=2)
    book_unlock(actor=world.principal_a, lock=lock)
    save(world, cell(world, "regular", 1, "8"), semester=2)


def test_unlocking_a_class_does_not_open_a_cell_locked_on_its_own(world: World) -> None:
    save(world, cell(world, "regular", 1, "8"))
    Mark.objects.update(locked=True)  # as an applied correction leaves it (R4.6a)
    lock = book_lock(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        scope=LockScope.CLASS,
        school_class=world.class_a1,
    )
    book_unlock(actor=world.principal_a, lock=lock)
    with pytest.raises(MarkSaveRefused, match=r"R4\.6a"):
        save(world, cell(world, "regular", 1, "9", version=1))


def test_an_admin_locks_only_on_the_principals_recorded_request(world: World) -> None:
    admin = User.objects.create_user(username="admin_a", password="x-pass-123")
    RoleAssignment.objects.create(user=admin, role=Role.SCHOOL_ADMIN, unit=world.school_a)
    with pytest.raises(MarkEntryError, match=r"R14\.2"):
        book_lock(
            actor=admin,
            school=world.school_a,
            year=world.year,
            semester=1,
            scope=LockScope.SCHOOL,
        )
    lock = book_lock(
        actor=admin,
        school=world.school_a,
        year=world.year,
        semester=1,
        scope=LockScope.SCHOOL,
        decided_by=world.principal_a,
        note="Hiệu trưởng yêu cầu khóa sổ HK I ngày 15/01",
    )
    assert lock.decided_by == world.principal_a and lock.locked_by == admin
    event = AuditEvent.objects.get(action="book.locked")
    assert event.approval_ref == "principal:principal_a"


def test_teachers_and_other_schools_cannot_lock(world: World) -> None:
    for actor in (world.teacher_a, world.teacher_b, world.district_officer):
        with pytest.raises(PermissionDeniedError):
            book_lock(
                actor=actor,
                school=world.school_a,
                year=world.year,
                semester=1,
                scope=LockScope.SCHOOL,
            )


def test_another_teacher_cannot_write_into_the_assignment(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        save(world, cell(world, "regular", 1, "8"), actor=world.teacher_b)
    with pytest.raises(PermissionDeniedError):
        save(world, cell(world, "regular", 1, "8"), actor=world.homeroom_a)
    assert not Mark.objects.exists()


def test_a_student_outside_the_group_is_refused(world: World) -> None:
    other = Enrollment.objects.get(student=world.student_b1)
    with pytest.raises(MarkSaveRefused, match="không thuộc nhóm"):
        save(world, CellInput(other.id, "regular", 1, "8"))


def test_regular_marks_after_the_deadline_need_an_extension(world: World) -> None:
    deadline_set(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        kind="regular",
        due_on=TODAY - dt.timedelta(days=1),
    )
    with pytest.raises(MarkSaveRefused, match="quá hạn nhập ĐĐGtx"):
        save(world, cell(world, "regular", 1, "8"))
    # the mid-term column is not concerned by the regular-mark deadline
    save(world, cell(world, "midterm", 1, "8"))
    deadline_extend(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        until=TODAY,
        reason="Giáo viên ốm",
        teacher=world.teacher_a,
    )
    save(world, cell(world, "regular", 1, "8"))


def test_midterm_marks_are_due_within_seven_days_of_the_test(world: World) -> None:
    midterm_test_record(
        actor=world.teacher_a,
        assignment=world.assignment_a,
        semester=1,
        test_date=TODAY - dt.timedelta(days=8),
    )
    with pytest.raises(MarkSaveRefused, match=r"R4\.5"):
        save(world, cell(world, "midterm", 1, "8"))
    midterm_test_record(
        actor=world.teacher_a,
        assignment=world.assignment_a,
        semester=1,
        test_date=TODAY - dt.timedelta(days=7),
    )
    save(world, cell(world, "midterm", 1, "8"))


def test_only_the_principal_sets_deadlines(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        deadline_set(
            actor=world.teacher_a,
            school=world.school_a,
            year=world.year,
            semester=1,
            kind="regular",
            due_on=TODAY,
        )


def test_the_grid_shows_the_engines_averages(world: World) -> None:
    # Toán grade 10: 105 periods → 4 regular marks (TT22 Art. 6.2)
    save(
        world,
        cell(world, "regular", 1, "8"),
        cell(world, "regular", 2, "6"),
        cell(world, "regular", 3, "7,5"),
        cell(world, "regular", 4, "9"),
        cell(world, "midterm", 1, "7"),
        cell(world, "final", 1, "5"),
    )
    book = gradebook_get(actor=world.teacher_a, assignment=world.assignment_a, semester=1)
    assert [c.label for c in book.columns] == ["TX1", "TX2", "TX3", "TX4", "TX5", "GK", "CK"]
    row = book.rows[0]
    # (8 + 6 + 7.5 + 9 + 2×7 + 3×5) / 9 = 59.5 / 9 = 6.61… → 6.6 (evaluate-format.md example)
    assert row.averages.semester_1 == Decimal("6.6")
    assert row.averages.year is None  # semester 2 not entered: incomplete, never zero (D6)


def test_the_grid_is_hidden_from_other_schools(world: World) -> None:
    with pytest.raises(NotFoundError):
        gradebook_get(actor=world.teacher_b, assignment=world.assignment_a, semester=1)


def test_the_grid_loads_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    save(world, cell(world, "regular", 1, "8"))
    world.teacher_a.refresh_from_db()
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        gradebook_get(actor=world.teacher_a, assignment=world.assignment_a, semester=1)
