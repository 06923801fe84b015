"""Pages of the homeroom teacher's book (issue 5; R12.1–R12.8) — thin: the services in
``homeroom.py`` write, ``overview.py`` computes; these only read forms and lay things out.

Everyone who may see the class's marks (the homeroom teacher, the school's leadership, offices,
inspectors) reads these pages; only the class's homeroom teacher writes attendance, ratings and
the general comments; a subject teacher writes the comments of their own subject.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from hoso.academics.models import Enrollment, EnrollmentStatus, SchoolClass, SchoolYear, Student
from hoso.accounts.access import Actor, access_class, can
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.assessment.computation import class_regime
from hoso.assessment.homeroom import (
    PROFILE_FIELDS,
    AbsenceInput,
    HomeroomError,
    RatingInput,
    attendance_week_save,
    comment_save,
    conduct_save,
    conduct_scale,
    student_profile_update,
    year_rating_entered,
)
from hoso.assessment.models import (
    Absence,
    CommentPeriod,
    ConductPeriod,
    ConductRating,
    Session,
    StudentComment,
)
from hoso.assessment.overview import class_overview
from hoso.assessment.selectors import access_assignment, group_enrollments
from hoso.audit.services import client_info_from_request
from hoso.core.errors import NotFoundError, PermissionDeniedError

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy")


def _class(
    request: HttpRequest, class_uuid: uuid.UUID, perm: Perm = Perm.VIEW_MARKS
) -> SchoolClass:
    try:
        return access_class(request.user, str(class_uuid), perm)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _writer(actor: Actor, school_class: SchoolClass) -> bool:
    return can(actor, Perm.ENTER_HOMEROOM, school_class)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _studying(school_class: SchoolClass) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(school_class=school_class, status=EnrollmentStatus.STUDYING)
        .select_related("student")
        .order_by("student__name_sort_key", "student__national_id")
    )


def _semester(raw: str | None, default: int = 1) -> int:
    return int(raw) if raw in ("1", "2") else default


def _base(school_class: SchoolClass, **extra: Any) -> dict[str, Any]:
    return {
        "school_class": school_class,
        "hub_url": reverse("homeroom-hub", args=[school_class.uuid]),
        **extra,
    }


@login_required
def hub(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    """The homeroom teacher's book of one class: what to record and what to check."""
    school_class = _class(request, class_uuid)
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    return render(
        request,
        "homeroom/hub.html",
        _base(
            school_class,
            writer=_writer(request.user, school_class),
            week=monday,
            enrollments=_studying(school_class),
            year_entered=year_rating_entered(class_regime(school_class)),
        ),
    )


# --- attendance -----------------------------------------------------------------------------------


def _week(raw: str | None, year: SchoolYear) -> dt.date:
    """The Monday of the asked week, kept inside the school year (a typed or tampered date far
    away — 9999-12-31 — would otherwise overflow the next-week link)."""
    try:
        day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    day = min(max(day, year.start_date), year.end_date)
    return day - dt.timedelta(days=day.weekday())


@login_required
def attendance(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    """One week's absences per session (R12.2): a tick for absent, another for excused."""
    school_class = _class(request, class_uuid)
    writer = _writer(request.user, school_class)
    week = _week(request.GET.get("tuan") or request.POST.get("tuan"), school_class.year)
    days = [week + dt.timedelta(days=n) for n in range(6)]
    enrollments = _studying(school_class)
    problems: list[str] = []
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        items = []
        for enrollment in enrollments:
            reason = request.POST.get(f"r-{enrollment.id}", "").strip()
            for day in days:
                for session in Session.values:
                    key = f"{enrollment.id}-{day.isoformat()}-{session}"
                    if request.POST.get(f"a-{key}"):
                        items.append(
                            AbsenceInput(
                                enrollment.id,
                                day,
                                session,
                                excused=bool(request.POST.get(f"p-{key}")),
                                reason=reason,
                            )
                        )
        try:
            result = attendance_week_save(
                actor=_user(request),
                school_class=school_class,
                week_start=week,
                absences=items,
                client=client_info_from_request(request),
            )
        except HomeroomError as error:
            problems = error.problems
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        else:
            messages.success(
                request,
                f"Đã lưu điểm danh: {result.created} buổi nghỉ mới, {result.updated} sửa, "
                f"{result.deleted} bỏ."
                if result.changed
                else "Không có thay đổi.",
            )
            url = reverse("homeroom-attendance", args=[school_class.uuid])
            return redirect(f"{url}?tuan={week.isoformat()}")
    absent: dict[tuple[int, dt.date, str], Absence] = {
        (a.enrollment_id, a.date, a.session): a
        for a in Absence.objects.filter(
            enrollment__school_class=school_class, date__gte=days[0], date__lte=days[-1]
        )
    }
    reasons: dict[int, str] = defaultdict(str)
    for absence in absent.values():
        reasons[absence.enrollment_id] = reasons[absence.enrollment_id] or absence.reason
    rows = [
        {
            "enrollment": e,
            "reason": reasons.get(e.id, ""),
            "cells": [
                {
                    "key": f"{e.id}-{day.isoformat()}-{session}",
                    "day": day,
                    "session": session,
                    "absence": absent.get((e.id, day, session)),
                }
                for day in days
                for session in Session.values
            ],
        }
        for e in enrollments
    ]
    url = reverse("homeroom-attendance", args=[school_class.uuid])
    return render(
        request,
        "homeroom/attendance.html",
        _base(
            school_class,
            writer=writer,
            week=week,
            days=list(zip(WEEKDAYS, days, strict=True)),
            sessions=Session.choices,
            rows=rows,
            problems=problems,
            prev_url=f"{url}?tuan={(week - dt.timedelta(days=7)).isoformat()}",
            next_url=f"{url}?tuan={(week + dt.timedelta(days=7)).isoformat()}",
        ),
    )


# --- conduct / training----------------------------------------------------------------------------


@login_required
def conduct(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    """A column of training (TT22) or conduct (TT58) ratings for one period (R12.3)."""
    school_class = _class(request, class_uuid)
    writer = _writer(request.user, school_class)
    regime_id = class_regime(school_class)
    periods = [
        (value, label)
        for value, label in ConductPeriod.choices
        if value != ConductPeriod.YEAR or year_rating_entered(regime_id)
    ]
    period = request.GET.get("ky") or request.POST.get("ky") or ConductPeriod.SEMESTER_1
    if period not in dict(periods):
        period = ConductPeriod.SEMESTER_1
    enrollments = _studying(school_class)
    problems: list[str] = []
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        ratings = [
            RatingInput(
                e.id,
                request.POST.get(f"m-{e.id}", ""),
                int(request.POST.get(f"v-{e.id}", "0") or 0),
            )
            for e in enrollments
            if f"m-{e.id}" in request.POST
        ]
        try:
            result = conduct_save(
                actor=_user(request),
                school_class=school_class,
                period=period,
                ratings=ratings,
                client=client_info_from_request(request),
            )
        except HomeroomError as error:
            problems = error.problems
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        else:
            messages.success(
                request,
                f"Đã lưu đánh giá của {result.changed} học sinh."
                if result.changed
                else "Không có thay đổi.",
            )
            url = reverse("homeroom-conduct", args=[school_class.uuid])
            return redirect(f"{url}?ky={period}")
    current = {
        r.enrollment_id: r
        for r in ConductRating.objects.filter(enrollment__school_class=school_class, period=period)
    }
    rows = [{"enrollment": e, "rating": current.get(e.id)} for e in enrollments]
    return render(
        request,
        "homeroom/conduct.html",
        _base(
            school_class,
            writer=writer,
            period=period,
            period_label=ConductPeriod(period).label,
            periods=periods,
            scale=conduct_scale(regime_id, period),
            tt58=year_rating_entered(regime_id),
            rows=rows,
            problems=problems,
        ),
    )


# --- comments--------------------------------------------------------------------------------------


def _save_comments(
    request: HttpRequest,
    enrollments: list[Enrollment],
    current: dict[int, StudentComment],
    *,
    subject: Any,
    semester: int,
) -> tuple[int, list[str]]:
    """Save each changed comment (one event each: each is one student's comment)."""
    saved = 0
    problems: list[str] = []
    for enrollment in enrollments:
        field = f"c-{enrollment.id}"
        if field not in request.POST:
            continue
        text = request.POST[field].strip()
        row = current.get(enrollment.id)
        if text == (row.text if row else ""):
            continue
        try:
            comment_save(
                actor=_user(request),
                enrollment=enrollment,
                subject=subject,
                semester=semester,
                text=text,
                base_version=int(request.POST.get(f"v-{enrollment.id}", "0") or 0),
                client=client_info_from_request(request),
            )
            saved += 1
        except HomeroomError as error:
            name = enrollment.student.full_name
            # Some of the service's messages already name the student (a stale comment).
            problems.extend(
                p if p.startswith(f"{name}:") else f"{name}: {p}" for p in error.problems
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
    return saved, problems


@login_required
def comments(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    """The homeroom teacher's comment on each student (R12.8), per semester or the year."""
    school_class = _class(request, class_uuid)
    writer = _writer(request.user, school_class)
    raw = request.GET.get("ky") or request.POST.get("ky")
    semester = int(raw) if raw in ("1", "2", "3") else CommentPeriod.SEMESTER_1
    enrollments = _studying(school_class)
    current = {
        c.enrollment_id: c
        for c in StudentComment.objects.filter(
            enrollment__school_class=school_class, subject__isnull=True, semester=semester
        )
    }
    problems: list[str] = []
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        saved, problems = _save_comments(
            request, enrollments, current, subject=None, semester=semester
        )
        if not problems:
            messages.success(
                request, f"Đã lưu {saved} nhận xét." if saved else "Không có thay đổi."
            )
            url = reverse("homeroom-comments", args=[school_class.uuid])
            return redirect(f"{url}?ky={semester}")
        current = {
            c.enrollment_id: c
            for c in StudentComment.objects.filter(
                enrollment__school_class=school_class, subject__isnull=True, semester=semester
            )
        }
    rows = [
        {
            "enrollment": e,
            "comment": current.get(e.id),
            "posted": request.POST.get(f"c-{e.id}") if problems else None,
        }
        for e in enrollments
    ]
    return render(
        request,
        "homeroom/comments.html",
        _base(
            school_class,
            writer=writer,
            semester=semester,
            periods=CommentPeriod.choices,
            rows=rows,
            problems=problems,
            subject=None,
            form_url=reverse("homeroom-comments", args=[school_class.uuid]),
        ),
    )


@login_required
def subject_comments(request: HttpRequest, assignment_uuid: uuid.UUID) -> HttpResponse:
    """A subject teacher's comments on the students of one teaching assignment."""
    try:
        assignment = access_assignment(request.user, str(assignment_uuid), Perm.VIEW_MARKS)
    except NotFoundError as error:
        raise Http404(error.message) from error
    writer = (
        can(request.user, Perm.ENTER_MARKS, assignment) and assignment.teacher_id == request.user.id
    )
    raw = request.GET.get("ky") or request.POST.get("ky")
    semester = int(raw) if raw in ("1", "2", "3") else CommentPeriod.SEMESTER_1
    enrollments = list(group_enrollments(assignment.group))

    def load() -> dict[int, StudentComment]:
        return {
            c.enrollment_id: c
            for c in StudentComment.objects.filter(
                enrollment__in=enrollments, subject=assignment.subject, semester=semester
            )
        }

    current = load()
    problems: list[str] = []
    url = reverse("subject-comments", args=[assignment.uuid])
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        saved, problems = _save_comments(
            request, enrollments, current, subject=assignment.subject, semester=semester
        )
        if not problems:
            messages.success(
                request, f"Đã lưu {saved} nhận xét." if saved else "Không có thay đổi."
            )
            return redirect(f"{url}?ky={semester}")
        current = load()
    rows = [
        {
            "enrollment": e,
            "comment": current.get(e.id),
            "posted": request.POST.get(f"c-{e.id}") if problems else None,
        }
        for e in enrollments
    ]
    return render(
        request,
        "homeroom/comments.html",
        {
            "school_class": assignment.group.school_class,
            "group_name": assignment.group.name,
            "hub_url": None,
            "writer": writer,
            "semester": semester,
            "periods": CommentPeriod.choices,
            "rows": rows,
            "problems": problems,
            "subject": assignment.subject,
            "form_url": url,
        },
    )


# --- the class overview----------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    """Every student's results of a semester, computed by the rules engine (R12.4–R12.6)."""
    school_class = _class(request, class_uuid)
    semester = _semester(request.GET.get("hk"))
    try:
        data = class_overview(actor=request.user, school_class=school_class, semester=semester)
    except NotFoundError as error:
        raise Http404(error.message) from error
    return render(
        request,
        "homeroom/overview.html",
        _base(school_class, overview=data, semester=semester),
    )


# --- the student's profile ------------------------------------------------------------------------


class StudentProfileForm(forms.ModelForm):
    class Meta:
        model = Student
        fields = list(PROFILE_FIELDS)
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


@login_required
def student_profile(
    request: HttpRequest, class_uuid: uuid.UUID, student_uuid: uuid.UUID
) -> HttpResponse:
    """A student's profile (R12.1), edited by the homeroom teacher or the school's admins."""
    school_class = _class(request, class_uuid, Perm.VIEW_STUDENT)
    enrollment = (
        Enrollment.objects.filter(school_class=school_class, student__uuid=student_uuid)
        .select_related("student")
        .first()
    )
    if enrollment is None:
        raise Http404
    student = enrollment.student
    writer = can(request.user, Perm.EDIT_STUDENT, school_class)
    form = StudentProfileForm(request.POST or None, instance=Student.objects.get(id=student.id))
    problems: list[str] = []
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                student_profile_update(
                    actor=_user(request),
                    student=student,
                    changes=changes,
                    client=client_info_from_request(request),
                )
            except HomeroomError as error:
                problems = error.problems
            except PermissionDeniedError as error:
                raise PermissionDenied(error.message) from error
            else:
                messages.success(
                    request,
                    f"Đã lưu hồ sơ ({len(changes)} trường)." if changes else "Không có thay đổi.",
                )
                return redirect(reverse("homeroom-student", args=[school_class.uuid, student.uuid]))
    if not writer:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "homeroom/student.html",
        _base(school_class, student=student, form=form, writer=writer, problems=problems),
    )
