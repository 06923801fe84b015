"""Reads for printing: resolving what to print from codes and names, and the verification view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    SchoolYear,
    Student,
    TeachingAssignment,
)
from hoso.accounts.access import Actor, can
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.organizations.models import Unit, UnitKind
from hoso.printing import errors
from hoso.printing.documents.common import PrintRequest, level_of
from hoso.printing.errors import MissingParameterError, PrintError, UnknownFormError
from hoso.printing.forms import FORMS, form_list
from hoso.printing.models import PrintedDocument
from hoso.printing.render import document_json, fingerprint


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.order_by("-start_date").first()


def refuse_wrong_level(form: str, school_class: SchoolClass) -> None:
    """A form for one level only (the primary summary, the secondary book) refuses a class of
    the other level, with the reason (command line and print page alike)."""
    spec = FORMS[form]
    if not spec.level:
        return
    is_primary = level_of(school_class.grade) == "primary"
    if (spec.level == "primary") != is_primary:
        raise PrintError(
            errors.MSG_WRONG_LEVEL.format(
                form=form,
                level="tiểu học" if spec.level == "primary" else "THCS/THPT",
                name=school_class.name,
                grade=school_class.grade,
            )
        )


def print_request_resolve(
    *,
    form: str,
    school_code: str,
    year_name: str | None = None,
    class_name: str | None = None,
    student_id: str | None = None,
    teacher_username: str | None = None,
    semester: int | None = None,
    options: dict[str, str] | None = None,
) -> PrintRequest:
    """The request of the command line (and the print page): codes and names → rows, with a
    Vietnamese reason when something is missing."""
    spec = FORMS.get(form)
    if spec is None:
        raise UnknownFormError(errors.MSG_UNKNOWN_FORM.format(form=form, forms=form_list()))
    if not school_code:
        raise MissingParameterError(errors.MSG_NEED_SCHOOL)
    school = Unit.objects.filter(code=school_code, kind=UnitKind.SCHOOL).first()
    if school is None:
        raise PrintError(errors.MSG_NO_SCHOOL.format(code=school_code))
    year = SchoolYear.objects.filter(name=year_name).first() if year_name else current_year()
    if year is None:
        raise PrintError(errors.MSG_NO_YEAR.format(year=year_name or ""))
    school_class = None
    student = None
    teacher = None
    if class_name:
        school_class = (
            SchoolClass.objects.select_related("school", "year", "homeroom_teacher")
            .filter(school=school, year=year, name=class_name)
            .first()
        )
        if school_class is None:
            raise PrintError(
                errors.MSG_NO_CLASS.format(school=school.code, name=class_name, year=year.name)
            )
    if student_id:
        enrollment = (
            Enrollment.objects.select_related("student", "school_class")
            .filter(student__national_id=student_id, school=school, year=year)
            .order_by("-start_date")
            .first()
        )
        if enrollment is None:
            raise PrintError(
                errors.MSG_NO_STUDENT.format(id=student_id, school=school.code, year=year.name)
            )
        student = enrollment.student
        school_class = school_class or enrollment.school_class
    if teacher_username:
        teacher = User.objects.filter(username=teacher_username).first()
        if (
            teacher is None
            or not TeachingAssignment.objects.filter(
                teacher=teacher, school=school, year=year
            ).exists()
        ):
            raise PrintError(
                errors.MSG_NO_TEACHER.format(
                    username=teacher_username, school=school.code, year=year.name
                )
            )
    if spec.needs == "class" and school_class is None:
        raise MissingParameterError(errors.MSG_NEED_CLASS.format(form=form))
    if spec.needs == "student" and student is None:
        raise MissingParameterError(errors.MSG_NEED_STUDENT.format(form=form))
    if spec.needs == "teacher" and teacher is None:
        raise MissingParameterError(errors.MSG_NEED_TEACHER.format(form=form))
    if form == "phieu-lien-lac" and not semester:
        raise MissingParameterError(errors.MSG_NEED_SEMESTER.format(form=form))
    if school_class is not None:
        refuse_wrong_level(form, school_class)
    options = dict(options or {})
    if form == "nhat-ky-sua-diem" and not options.get("month"):
        options["month"] = timezone.localdate().strftime("%Y-%m")
    return PrintRequest(
        form=form,
        school=school,
        year=year,
        school_class=school_class,
        student=student,
        teacher=teacher,
        semester=semester,
        options=options,
    )


# --- verification (the page behind the QR code) ---------------------------------------------


@dataclass(frozen=True)
class Verification:
    code: str
    form_title: str
    school: str
    year: str
    printed_at: dt.datetime
    printed_by_role: str
    ad_hoc: bool
    pages: int
    sha256: str
    # True: the data shown then is still the data now; False: changed since; None: cannot tell.
    data_unchanged: bool | None
    # Personal data: only for a logged-in user with a right to the subject of the print.
    may_see_details: bool
    title: str = ""
    printed_by: str = ""


def record_request(record: PrintedDocument) -> PrintRequest:
    semester = record.parameters.get("semester")
    return PrintRequest(
        form=record.form,
        school=record.school,
        year=record.year,  # type: ignore[arg-type]
        school_class=record.school_class,
        student=record.student,
        teacher=record.teacher,
        semester=int(semester) if semester else None,
        options=dict(record.parameters.get("options") or {}),
    )


def data_unchanged(record: PrintedDocument) -> bool | None:
    """Rebuild the document from today's data and compare fingerprints."""
    spec = FORMS.get(record.form)
    if spec is None or record.year is None:
        return None
    try:
        document = spec.builder()(record_request(record))
    except Exception:  # data gone (a class deleted …): say we cannot tell, never fail the page
        return None
    return fingerprint(document_json(document)) == record.data_fingerprint


def may_see_print(viewer: Actor, record: PrintedDocument) -> bool:
    if can(viewer, Perm.PRINT, record.school) or can(viewer, Perm.VIEW_AUDIT, record.school):
        return True
    if record.student is not None:
        return can(viewer, Perm.VIEW_STUDENT, record.student)
    if record.school_class is not None:
        return can(viewer, Perm.VIEW_CLASS, record.school_class)
    if record.teacher is not None:
        return isinstance(viewer, User) and viewer.id == record.teacher_id
    return False


def verification_get(*, code: str, viewer: Actor) -> Verification | None:
    record = (
        PrintedDocument.objects.select_related(
            "school", "year", "school_class", "student", "teacher", "printed_by"
        )
        .filter(code=code)
        .first()
    )
    if record is None:
        return None
    details = may_see_print(viewer, record)
    return Verification(
        code=record.code,
        form_title=FORMS[record.form].title if record.form in FORMS else record.form,
        school=record.school.name,
        year=record.year.name if record.year else "",
        printed_at=record.printed_at,
        printed_by_role=record.printed_by_role,
        ad_hoc=record.ad_hoc,
        pages=record.pages,
        sha256=record.sha256,
        data_unchanged=data_unchanged(record),
        may_see_details=details,
        title=record.title if details else "",
        printed_by=(record.printed_by.display_name if record.printed_by else "") if details else "",
    )


def student_of_class(school_class: SchoolClass, student_id: str) -> Student | None:
    enrollment = (
        Enrollment.objects.filter(school_class=school_class, student__national_id=student_id)
        .select_related("student")
        .first()
    )
    return enrollment.student if enrollment else None
