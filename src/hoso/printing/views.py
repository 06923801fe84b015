"""Web pages of printing (issue 7): the office's print page (``/in/``), the PDF download, batch
printing of a class's or the whole school's transcripts with a progress bar, and the public
verification page behind every QR code (``/xac-minh/<code>/``). Thin: the services and selectors
do the work."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoso.academics.models import Enrollment, TeachingAssignment
from hoso.accounts.access import access_class, access_unit, can, classes_visible
from hoso.accounts.models import User
from hoso.accounts.permissions import Perm
from hoso.audit.services import client_info_from_request
from hoso.core.errors import HosoError, NotFoundError
from hoso.organizations.models import Unit, UnitKind
from hoso.printing.documents.common import PrintRequest, level_of
from hoso.printing.forms import FORMS
from hoso.printing.models import PrintBatch
from hoso.printing.selectors import current_year, refuse_wrong_level, student_of_class
from hoso.printing.selectors import verification_get as _verification_get
from hoso.printing.services import (
    normalise_code,
    print_batch_create,
    print_batch_run,
    print_issue,
)

CLASS_FORMS = ("so-theo-doi", "bang-tong-hop")
STUDENT_FORMS = ("hoc-ba", "ho-so-chuyen-truong", "phieu-lien-lac")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


REASON_MAX = 300  # the ad hoc reason printed on every page (R3.2); the form says the same


@login_required
def print_index(request: HttpRequest) -> HttpResponse:
    """The classes the user may print for, and their schools (a whole-school batch); with
    ``?lop=<uuid>``, that class's forms."""
    user = _user(request)
    year = current_year()
    classes = [
        c
        for c in classes_visible(user, year_id=year.id if year else None)
        if can(user, Perm.PRINT, c.school)
    ]
    schools = list({c.school_id: c.school for c in classes}.values())
    school_batches = list(
        PrintBatch.objects.filter(school__in=schools, school_class=None).select_related("school")[
            :5
        ]
    )
    # Whose blank personal book the office can print (R3.1): the school's teachers this year.
    teachers: dict[int, list[User]] = {}
    if year is not None and schools:
        for assignment in (
            TeachingAssignment.objects.filter(school__in=schools, year=year)
            .select_related("teacher")
            .order_by("teacher__full_name", "teacher__username")
        ):
            listed = teachers.setdefault(assignment.school_id, [])
            if assignment.teacher not in listed:
                listed.append(assignment.teacher)
    selected = None
    students: list[Enrollment] = []
    forms: list[tuple[str, str]] = []
    batches: list[PrintBatch] = []
    if request.GET.get("lop"):
        try:
            selected = access_class(user, request.GET["lop"], Perm.PRINT)
        except NotFoundError:
            raise Http404 from None
        students = list(
            Enrollment.objects.filter(school_class=selected)
            .select_related("student")
            .order_by("student__name_sort_key")
        )
        primary = level_of(selected.grade) == "primary"
        forms = [
            (name, FORMS[name].title)
            for name in CLASS_FORMS
            if (name == "bang-tong-hop") == primary
        ]
        batches = list(PrintBatch.objects.filter(school_class=selected)[:5])
    return render(
        request,
        "printing/index.html",
        {
            "classes": classes,
            "schools": [(school, teachers.get(school.id, [])) for school in schools],
            "school_batches": school_batches,
            "selected": selected,
            "students": students,
            "class_forms": forms,
            "student_forms": [(n, FORMS[n].title) for n in STUDENT_FORMS],
            "batches": batches,
        },
    )


@login_required
@require_POST
def print_download(request: HttpRequest) -> HttpResponse:
    """Print one form (periodic or ad hoc) and send the PDF."""
    user = _user(request)
    form = request.POST.get("form", "")
    if form not in FORMS:
        raise Http404
    try:
        school_class = access_class(user, request.POST.get("lop", ""), Perm.VIEW_CLASS)
    except NotFoundError:
        raise Http404 from None
    if FORMS[form].needs not in ("class", "student"):
        raise Http404  # the personal book and the edit log are printed from their own pages
    student = None
    if FORMS[form].needs == "student":
        student = student_of_class(school_class, request.POST.get("hoc_sinh", ""))
        if student is None:
            raise Http404
    raw_semester = request.POST.get("hoc_ki", "")
    reason = request.POST.get("ly_do", "").strip()
    problem = ""
    if raw_semester not in ("", "1", "2"):
        problem = "Học kì phải là I hoặc II (để trống: cả năm)."
    elif len(reason) > REASON_MAX:
        problem = f"Lí do in đột xuất dài tối đa {REASON_MAX} kí tự."
    else:
        try:
            refuse_wrong_level(form, school_class)
        except HosoError as exc:
            problem = exc.message
    if problem:
        return render(request, "printing/error.html", {"message": problem}, status=400)
    semester = int(raw_semester) if raw_semester else None
    if form == "phieu-lien-lac" and semester is None:
        semester = 1
    print_request = PrintRequest(
        form=form,
        school=school_class.school,
        year=school_class.year,
        school_class=school_class,
        student=student,
        semester=semester,
    )
    try:
        issued = print_issue(
            actor=user,
            request=print_request,
            ad_hoc=request.POST.get("dot_xuat") == "1",
            reason=reason,
            client=client_info_from_request(request),
        )
    except HosoError as exc:
        return render(request, "printing/error.html", {"message": exc.message}, status=400)
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    name = f"{form}-{school_class.name}{'-' + student.national_id if student else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def print_personal_book(request: HttpRequest) -> HttpResponse:
    """The blank personal book of one teacher of the school (R3.1), printed by the office."""
    user = _user(request)
    try:
        school = access_unit(user, request.POST.get("truong", ""), Perm.PRINT)
    except NotFoundError:
        raise Http404 from None
    year = current_year()
    teacher = User.objects.filter(username=request.POST.get("giao_vien", "")).first()
    if (
        year is None
        or teacher is None
        or not TeachingAssignment.objects.filter(teacher=teacher, school=school, year=year).exists()
    ):
        raise Http404
    try:
        issued = print_issue(
            actor=user,
            request=PrintRequest(form="so-ca-nhan", school=school, year=year, teacher=teacher),
            client=client_info_from_request(request),
        )
    except HosoError as exc:
        return render(request, "printing/error.html", {"message": exc.message}, status=400)
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="so-ca-nhan-{teacher.username}.pdf"'
    return response


@login_required
@require_POST
def batch_start(request: HttpRequest) -> HttpResponse:
    """Print a whole class's (``lop``) or the whole school's (``truong``) transcripts, one file
    per student, zipped (R6.1). The embedded mode runs it inline; with Celery a task calls the
    same ``print_batch_run`` (see docs/printing.md)."""
    user = _user(request)
    form = request.POST.get("form", "hoc-ba")
    if form not in STUDENT_FORMS:
        raise Http404
    if request.POST.get("truong"):
        school = _school_to_print(user, request.POST["truong"])
        year = current_year()
        if year is None:
            raise Http404
        print_request = PrintRequest(form=form, school=school, year=year)
    else:
        try:
            school_class = access_class(user, request.POST.get("lop", ""), Perm.PRINT)
        except NotFoundError:
            raise Http404 from None
        print_request = PrintRequest(
            form=form, school=school_class.school, year=school_class.year, school_class=school_class
        )
    try:
        batch = print_batch_create(actor=user, request=print_request)
        print_batch_run(batch_id=batch.id, client=client_info_from_request(request))
    except HosoError as exc:
        return render(request, "printing/error.html", {"message": exc.message}, status=400)
    return redirect("printing-batch", batch_uuid=batch.uuid)


def _school_to_print(user: User, school_id: str) -> Unit:
    """The school, if ``user`` may print for it (the office, the principal); else 404, as for a
    school that does not exist."""
    try:
        school = access_unit(user, school_id, Perm.PRINT)
    except NotFoundError:
        raise Http404 from None
    if school.kind != UnitKind.SCHOOL:
        raise Http404
    return school


def _batch_for(user: User, batch_uuid: uuid.UUID) -> PrintBatch:
    batch = (
        PrintBatch.objects.select_related("school", "school_class").filter(uuid=batch_uuid).first()
    )
    if batch is None or not can(user, Perm.PRINT, batch.school):
        raise Http404
    return batch


@login_required
def batch_status(request: HttpRequest, batch_uuid: uuid.UUID) -> HttpResponse:
    batch = _batch_for(_user(request), batch_uuid)
    template = (
        "printing/_batch.html" if request.headers.get("HX-Request") else "printing/batch.html"
    )
    return render(request, template, {"batch": batch})


@login_required
def batch_download(request: HttpRequest, batch_uuid: uuid.UUID) -> FileResponse:
    batch = _batch_for(_user(request), batch_uuid)
    if not batch.archive:
        raise Http404
    return FileResponse(
        batch.archive.open("rb"), as_attachment=True, filename=batch.archive.name.rsplit("/", 1)[-1]
    )


def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public: what was printed, when, by which role, whether it is still valid. Personal data
    (the student's name, the printer's name) only for a logged-in user with a right to it."""
    code = normalise_code(code or request.GET.get("ma", ""))
    result = _verification_get(code=code, viewer=request.user) if code else None
    return render(
        request,
        "printing/verify.html",
        {"code": code, "result": result, "searched": bool(code)},
        status=404 if code and result is None else 200,
    )
