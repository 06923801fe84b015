"""The homeroom teacher's writes (issue 5; R12.1–R12.3, R12.8, R4.4): permission, all or
nothing, exactly one audit event per call, locks, stale versions."""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.academics.models import Enrollment, Student
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.assessment.homeroom import (
    AbsenceInput,
    HomeroomError,
    RatingInput,
    attendance_week_save,
    comment_save,
    conduct_save,
    student_profile_update,
)
from hoso.assessment.models import Absence, ConductRating, LockScope, StudentComment
from hoso.assessment.services import book_lock
from hoso.audit.models import AuditEvent
from hoso.core.errors import PermissionDeniedError
from tests.personas import World

MONDAY = dt.date(2025, 11, 17)
SATURDAY = dt.date(2025, 11, 22)


def a2_enrollment(world: World) -> Enrollment:
    return Enrollment.objects.get(school_class=world.class_a2)


def week(world: World, *items: AbsenceInput, actor: User | None = None):  # type: ignore[no-untyped-def]
    return attendance_week_save(
        actor=actor or world.homeroom_a,
        school_class=world.class_a2,
        week_start=MONDAY,
        absences=list(items),
        today=SATURDAY,
    )


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- attendance (R12.2) -------------------------------------------------------------------------


def test_given_a_week_when_the_homeroom_teacher_saves_it_then_absences_and_one_event(
    world: World,
) -> None:
    e = a2_enrollment(world)
    result = week(
        world,
        AbsenceInput(e.id, MONDAY, "sang", excused=True, reason="Ốm"),
        AbsenceInput(e.id, MONDAY, "chieu", excused=True, reason="Ốm"),
        AbsenceInput(e.id, MONDAY + dt.timedelta(days=2), "sang"),
    )
    assert result.created == 3 and events("attendance.saved") == 1
    event = AuditEvent.objects.get(action="attendance.saved")
    assert len(event.changes) == 3 and event.changes[0]["new"].startswith("có phép")
    # The grid sends the whole week again: one absence dropped, one made excused.
    result = week(
        world,
        AbsenceInput(e.id, MONDAY, "sang", excused=True, reason="Ốm"),
        AbsenceInput(e.id, MONDAY + dt.timedelta(days=2), "sang", excused=True),
    )
    assert (result.created, result.updated, result.deleted) == (0, 1, 1)
    assert Absence.objects.count() == 2 and events("attendance.saved") == 2
    # Nothing changed: nothing recorded.
    again = week(
        world,
        AbsenceInput(e.id, MONDAY, "sang", excused=True, reason="Ốm"),
        AbsenceInput(e.id, MONDAY + dt.timedelta(days=2), "sang", excused=True),
    )
    assert again.event_id is None and events("attendance.saved") == 2


def test_one_bad_day_saves_nothing(world: World) -> None:
    e = a2_enrollment(world)
    with pytest.raises(HomeroomError) as caught:
        week(
            world,
            AbsenceInput(e.id, MONDAY, "sang"),
            AbsenceInput(e.id, MONDAY + dt.timedelta(days=9), "sang"),  # next week
            AbsenceInput(e.id, MONDAY, "toi"),
        )
    assert len(caught.value.problems) == 2
    assert not Absence.objects.exists() and events("attendance.saved") == 0


def test_a_student_of_another_class_is_refused(world: World) -> None:
    other = Enrollment.objects.get(student=world.student_a1)
    with pytest.raises(HomeroomError, match="không thuộc lớp 10A2"):
        week(world, AbsenceInput(other.id, MONDAY, "sang"))


@pytest.mark.parametrize("persona", ["teacher_a", "principal_a", "teacher_b", "inspector"])
def test_only_the_homeroom_teacher_records_attendance(world: World, persona: str) -> None:
    with pytest.raises(PermissionDeniedError):
        week(
            world,
            AbsenceInput(a2_enrollment(world).id, MONDAY, "sang"),
            actor=getattr(world, persona),
        )
    assert not Absence.objects.exists()


def test_a_locked_book_refuses_attendance(world: World) -> None:
    book_lock(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=None,
        scope=LockScope.CLASS,
        school_class=world.class_a2,
    )
    with pytest.raises(HomeroomError, match=r"R4\.4"):
        week(world, AbsenceInput(a2_enrollment(world).id, MONDAY, "sang"))
    assert not Absence.objects.exists()


# --- conduct (R12.3) ------------------------------------------------------------------------------


def rate(world: World, rating: str, version: int = 0, period: str = "hk1"):  # type: ignore[no-untyped-def]
    return conduct_save(
        actor=world.homeroom_a,
        school_class=world.class_a2,
        period=period,
        ratings=[RatingInput(a2_enrollment(world).id, rating, version)],
    )


def test_conduct_column_saved_with_versions_and_one_event(world: World) -> None:
    rate(world, "Tốt")
    row = ConductRating.objects.get()
    assert (row.rating, row.version) == ("Tốt", 1) and events("conduct.saved") == 1
    # A second screen still showing version 0 is refused; nothing changes.
    with pytest.raises(HomeroomError, match="người khác thay đổi"):
        rate(world, "Khá", version=0)
    rate(world, "Khá", version=1)
    row.refresh_from_db()
    assert (row.rating, row.version) == ("Khá", 2) and events("conduct.saved") == 2
    event = AuditEvent.objects.filter(action="conduct.saved").latest("id")
    assert event.changes[0]["old"] == "Tốt" and event.changes[0]["new"] == "Khá"


def test_the_regime_scale_is_enforced(world: World) -> None:
    # 10A2, 2025-2026, programme 2018: TT22 training levels, no "Trung bình".
    with pytest.raises(HomeroomError, match="không phải mức đánh giá hợp lệ"):
        rate(world, "Trung bình")
    with pytest.raises(HomeroomError, match=r"Điều 8\.2"):
        rate(world, "Tốt", period="year")
    world.class_a2.programme = "old"
    world.class_a2.save()
    rate(world, "Trung bình")  # TT58 hạnh kiểm
    assert ConductRating.objects.get().rating == "Trung bình"


def test_conduct_needs_the_homeroom_teacher_and_an_open_book(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        conduct_save(
            actor=world.principal_a,
            school_class=world.class_a2,
            period="hk1",
            ratings=[RatingInput(a2_enrollment(world).id, "Tốt")],
        )
    book_lock(
        actor=world.principal_a,
        school=world.school_a,
        year=world.year,
        semester=1,
        scope=LockScope.SCHOOL,
    )
    with pytest.raises(HomeroomError, match=r"R4\.4"):
        rate(world, "Tốt")
    rate(world, "Tốt", period="hk2")  # a semester-1 lock leaves HK II open
    assert ConductRating.objects.get().period == "hk2"


# --- comments (R12.8) ---------------------------------------------------------------


def test_general_comment_by_the_homeroom_teacher_only(world: World) -> None:
    e = a2_enrollment(world)
    comment = comment_save(
        actor=world.homeroom_a, enrollment=e, subject=None, semester=1, text="  Chăm ngoan. "
    )
    assert comment.text == "Chăm ngoan." and comment.version == 1
    assert events("comment.saved") == 1
    with pytest.raises(HomeroomError, match="người khác thay đổi"):
        comment_save(actor=world.homeroom_a, enrollment=e, subject=None, semester=1, text="X")
    with pytest.raises(PermissionDeniedError):
        comment_save(actor=world.teacher_a, enrollment=e, subject=None, semester=1, text="X")
    with pytest.raises(PermissionDeniedError):
        comment_save(actor=world.principal_a, enrollment=e, subject=None, semester=1, text="X")


def test_subject_comment_by_that_subject_teacher_only(world: World) -> None:
    mine = Enrollment.objects.get(student=world.student_a1)  # 10A1: teacher_a teaches Toán
    toan = world.assignment_a.subject
    comment_save(actor=world.teacher_a, enrollment=mine, subject=toan, semester=1, text="Tốt.")
    assert StudentComment.objects.get().subject == toan
    with pytest.raises(PermissionDeniedError, match="Toán"):
        comment_save(
            actor=world.teacher_a,
            enrollment=a2_enrollment(world),
            subject=toan,
            semester=1,
            text="X",
        )
    with pytest.raises(PermissionDeniedError):
        comment_save(actor=world.homeroom_a, enrollment=mine, subject=toan, semester=1, text="X")
    assert events("comment.saved") == 1


# --- profile (R12.1) ----------------------------------------------------------------


def test_profile_update_is_audited_field_by_field(world: World) -> None:
    student = Student.objects.get(enrollments__school_class=world.class_a2)
    student_profile_update(
        actor=world.homeroom_a,
        student=student,
        changes={"current_address": "Thôn Đông, xã Tân Dĩnh", "phone": "0912345678"},
    )
    student.refresh_from_db()
    assert student.current_address == "Thôn Đông, xã Tân Dĩnh"
    event = AuditEvent.objects.get(action="student.updated")
    assert {c["field"]: (c["old"], c["new"]) for c in event.changes} == {
        "current_address": ("", "Thôn Đông, xã Tân Dĩnh"),
        "phone": ("", "0912345678"),
    }


def test_profile_refusals(world: World) -> None:
    student = Student.objects.get(enrollments__school_class=world.class_a2)
    with pytest.raises(PermissionDeniedError):
        student_profile_update(actor=world.teacher_b, student=student, changes={"phone": "1"})
    with pytest.raises(HomeroomError, match="national_id"):
        student_profile_update(
            actor=world.homeroom_a, student=student, changes={"national_id": "9"}
        )
    with pytest.raises(HomeroomError, match="email"):
        student_profile_update(
            actor=world.homeroom_a, student=student, changes={"email": "khong-phai-email"}
        )
    admin = User.objects.create_user(username="quantri_a", password="x-pw-12345")
    RoleAssignment.objects.create(user=admin, role=Role.SCHOOL_ADMIN, unit=world.school_a)
    student_profile_update(actor=admin, student=student, changes={"full_name": "Trần Thị Bình An"})
    student.refresh_from_db()
    assert student.full_name == "Trần Thị Bình An" and student.name_sort_key
    assert events("student.updated") == 1
