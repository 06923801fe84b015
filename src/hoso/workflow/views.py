"""Pages of the correction workflow (issue 6): thin — parse, call one service or selector,
render. Out-of-scope ids answer 404, like ids that do not exist."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.academics.models import TeachingAssignment
from hoso.academics.selectors import school_year_current
from hoso.accounts.access import scope_of
from hoso.accounts.models import Role, User
from hoso.accounts.permissions import Perm
from hoso.assessment.selectors import access_assignment
from hoso.audit.services import client_info_from_request
from hoso.core.errors import HosoError, NotFoundError, PermissionDeniedError
from hoso.core.ids import id_lookup
from hoso.workflow import selectors, services
from hoso.workflow.evidence import EvidenceInput
from hoso.workflow.models import (
    ApplyMode,
    ApprovalDelegation,
    CorrectionRequest,
    CorrectionStatus,
    EvidenceKind,
)
from hoso.workflow.policy import apply_mode, is_school_admin, may_approve, open_path, role_holders

EVIDENCE_SLOTS = 3


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _semester(raw: str | None) -> int:
    return 2 if raw == "2" else 1


@login_required
def corrections_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = school_year_current()
    assignments = (
        list(
            TeachingAssignment.objects.filter(teacher=user, year=year).select_related(
                "subject", "group", "school"
            )
        )
        if year is not None and Role.SUBJECT_TEACHER in scope_of(user).roles
        else []
    )
    return render(
        request,
        "workflow/home.html",
        {
            "mine": selectors.correction_requests_mine(user),
            "inbox": selectors.correction_inbox(user),
            "assignments": assignments,
            "is_principal": any(g.role == Role.PRINCIPAL for g in scope_of(user).grants),
        },
    )


@login_required
def correction_new(request: HttpRequest) -> HttpResponse:
    """The teacher picks marks of one assignment and semester, types the new values and the
    reason, and attaches evidence."""
    user = _user(request)
    raw_assignment = request.GET.get("assignment") or request.POST.get("assignment") or ""
    try:
        assignment = access_assignment(
            user, str(uuid.UUID(raw_assignment)), Perm.REQUEST_CORRECTION
        )
    except (ValueError, NotFoundError) as error:
        raise Http404 from error
    if assignment.teacher_id != user.id:
        raise Http404
    semester = _semester(request.GET.get("semester") or request.POST.get("semester"))
    query = request.GET.get("q", "")
    marks = selectors.correctable_marks(
        actor=user, assignment=assignment, semester=semester, student_query=query
    )
    day = timezone.localdate()
    path, last_day = open_path(
        school=assignment.school,
        year=assignment.year,
        semester=semester,
        classes=list(
            {m.enrollment.school_class_id: m.enrollment.school_class for m in marks}.values()
        )
        or ([assignment.group.school_class] if assignment.group.school_class else []),
        on=day,
    )
    typed: dict[int, str] = {}
    picked: set[int] = set()
    problems: dict[int, str] = {}
    failure = ""
    if request.method == "POST":
        picked = {int(v) for v in request.POST.getlist("pick") if v.isdigit()}
        typed = {m.id: request.POST.get(f"new_{m.id}", "") for m in marks}
        evidence = []
        for slot in range(1, EVIDENCE_SLOTS + 1):
            upload = request.FILES.get(f"file_{slot}")
            if upload is not None:
                evidence.append(
                    EvidenceInput(
                        file=upload,
                        kind=request.POST.get(f"kind_{slot}", ""),
                        name=upload.name or "",
                    )
                )
        admin = None
        admin_name = request.POST.get("admin_in_charge", "")
        if admin_name:
            admin = (
                role_holders(assignment.school, Role.SCHOOL_ADMIN, on=day)
                .filter(username=admin_name)
                .first()
            )
        try:
            created = services.correction_request_submit(
                actor=user,
                assignment=assignment,
                semester=semester,
                items=[services.ItemInput(mid, typed.get(mid, "")) for mid in sorted(picked)],
                reason=request.POST.get("reason", ""),
                evidence=evidence,
                admin_in_charge=admin,
                client=client_info_from_request(request),
            )
        except services.CorrectionRefused as refused:
            problems = {p.mark_id: p.message for p in refused.problems}
            failure = refused.message
        except PermissionDeniedError as denied:
            raise Http404 from denied
        except HosoError as failed:
            failure = failed.message
        else:
            messages.success(
                request, _("Đã gửi phiếu đề nghị sửa điểm %(ref)s.") % {"ref": created.reference}
            )
            return redirect("correction-detail", request_uuid=created.uuid)
    rows = [
        {
            "mark": m,
            "column": selectors.column_label(m.kind, m.index),
            "typed": typed.get(m.id, ""),
            "picked": m.id in picked,
            "problem": problems.get(m.id, ""),
        }
        for m in marks
    ]
    return render(
        request,
        "workflow/new.html",
        {
            "assignment": assignment,
            "semester": semester,
            "query": query,
            "rows": rows,
            "path": path,
            "last_day": last_day,
            "admins": role_holders(assignment.school, Role.SCHOOL_ADMIN, on=day),
            "evidence_kinds": EvidenceKind.choices,
            "slots": range(1, EVIDENCE_SLOTS + 1),
            "error": failure,
            "reason": request.POST.get("reason", ""),
        },
        status=400 if failure else 200,
    )


def _get_request(request: HttpRequest, request_uuid: uuid.UUID) -> CorrectionRequest:
    try:
        return selectors.correction_request_get(request.user, str(request_uuid))
    except NotFoundError as error:
        raise Http404 from error


@login_required
def correction_detail(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    user = _user(request)
    correction = _get_request(request, request_uuid)
    record = selectors.correction_record(actor=user, request=correction)
    day = timezone.localdate()
    waiting = correction.status == CorrectionStatus.SUBMITTED
    can_decide = (
        waiting
        and correction.requester_id != user.id
        and may_approve(user, correction.school, on=day)
    )
    can_apply = correction.status == CorrectionStatus.APPROVED and services.may_apply(
        user, correction
    )
    return render(
        request,
        "workflow/detail.html",
        {
            "correction": correction,
            "record": record,
            "can_decide": can_decide,
            "can_apply": can_apply,
            "applies_at_once": apply_mode(correction.school) == ApplyMode.ON_APPROVAL,
        },
    )


def _decide(request: HttpRequest, request_uuid: uuid.UUID, action: str) -> HttpResponse:
    user = _user(request)
    correction = _get_request(request, request_uuid)
    client = client_info_from_request(request)
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            services.correction_request_approve(
                actor=user, request=correction, comment=comment, client=client
            )
            messages.success(request, _("Đã duyệt phiếu %(ref)s.") % {"ref": correction.reference})
        elif action == "reject":
            services.correction_request_reject(
                actor=user, request=correction, comment=comment, client=client
            )
            messages.success(
                request, _("Đã không duyệt phiếu %(ref)s.") % {"ref": correction.reference}
            )
        else:
            services.correction_apply(actor=user, request=correction, client=client)
            messages.success(
                request, _("Đã sửa điểm theo phiếu %(ref)s.") % {"ref": correction.reference}
            )
    except PermissionDeniedError as denied:
        messages.error(request, denied.message)
        return redirect("correction-detail", request_uuid=correction.uuid)
    except HosoError as failed:
        messages.error(request, failed.message)
    return redirect("correction-detail", request_uuid=correction.uuid)


@login_required
@require_POST
def correction_approve(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    return _decide(request, request_uuid, "approve")


@login_required
@require_POST
def correction_reject(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    return _decide(request, request_uuid, "reject")


@login_required
@require_POST
def correction_apply(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    return _decide(request, request_uuid, "apply")


@login_required
def evidence_download(
    request: HttpRequest, request_uuid: uuid.UUID, evidence_uuid: uuid.UUID
) -> FileResponse:
    """The only way to an evidence file: scoped like its request, 404 for anyone else."""
    try:
        evidence = selectors.evidence_get(request.user, str(request_uuid), str(evidence_uuid))
    except NotFoundError as error:
        raise Http404 from error
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=False,
        filename=evidence.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def correction_record_print(request: HttpRequest, request_uuid: uuid.UUID) -> HttpResponse:
    correction = _get_request(request, request_uuid)
    record = selectors.correction_record(actor=request.user, request=correction)
    return render(
        request,
        "workflow/record_print.html",
        {"record": record, "printed_on": timezone.localdate()},
    )


def _month(raw: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    if raw:
        try:
            day = dt.datetime.strptime(raw, "%Y-%m")  # noqa: DTZ007 - a month, no time
        except ValueError:
            return today.year, today.month
        return day.year, day.month
    return today.year, today.month


@login_required
def edit_log(request: HttpRequest) -> HttpResponse:
    """A teacher's mark-edit log for one month (R4.6a): their own, or any teacher's of the
    schools whose audit trail the reader may see."""
    user = _user(request)
    username = request.GET.get("teacher") or user.username
    teacher = User.objects.filter(username=username).first()
    if teacher is None:
        raise Http404
    year, month = _month(request.GET.get("month"))
    only_edits = request.GET.get("all") != "1"
    try:
        log = selectors.mark_edit_log(
            actor=user, teacher=teacher, year=year, month=month, only_edits=only_edits
        )
    except NotFoundError as error:
        raise Http404 from error
    scope = scope_of(user)
    readable = [sid for sid in scope.unit_perms if scope.unit_allows(sid, Perm.VIEW_AUDIT)]
    teachers = (
        User.objects.filter(teaching_assignments__school_id__in=readable)
        .distinct()
        .order_by("full_name", "username")
        if readable
        else User.objects.none()
    )
    template = (
        "workflow/edit_log_print.html" if request.GET.get("print") else "workflow/edit_log.html"
    )
    return render(
        request,
        template,
        {
            "log": log,
            "teachers": teachers,
            "month_value": f"{year:04d}-{month:02d}",
            "printed_on": timezone.localdate(),
        },
    )


@login_required
def workflow_settings(request: HttpRequest) -> HttpResponse:
    """The principal's page: who applies approved corrections, and delegations to vice
    principals."""
    user = _user(request)
    schools = [g.unit for g in scope_of(user).grants if g.role == Role.PRINCIPAL]
    if not schools:
        raise Http404
    school = schools[0]
    client = client_info_from_request(request)
    if request.method == "POST":
        try:
            if "apply_mode" in request.POST:
                services.workflow_settings_set(
                    actor=user, school=school, apply_mode=request.POST["apply_mode"], client=client
                )
            elif "revoke" in request.POST:
                delegation = ApprovalDelegation.objects.filter(
                    school=school, **id_lookup(request.POST["revoke"])
                ).first()
                if delegation is None:
                    raise Http404
                services.approval_delegation_revoke(
                    actor=user, delegation=delegation, client=client
                )
            else:
                delegate = (
                    role_holders(school, Role.VICE_PRINCIPAL, on=timezone.localdate())
                    .filter(username=request.POST.get("delegate", ""))
                    .first()
                )
                if delegate is None:
                    raise services.CorrectionError(_("Cần chọn Phó hiệu trưởng."))
                services.approval_delegate(
                    actor=user,
                    school=school,
                    delegate=delegate,
                    valid_from=dt.date.fromisoformat(
                        request.POST.get("valid_from") or timezone.localdate().isoformat()
                    ),
                    valid_to=dt.date.fromisoformat(request.POST["valid_to"])
                    if request.POST.get("valid_to")
                    else None,
                    note=request.POST.get("note", ""),
                    client=client,
                )
        except (HosoError, ValueError) as failed:
            messages.error(request, getattr(failed, "message", str(failed)))
        else:
            messages.success(request, _("Đã lưu."))
        return redirect("correction-settings")
    return render(
        request,
        "workflow/settings.html",
        {
            "school": school,
            "apply_mode": apply_mode(school),
            "modes": ApplyMode.choices,
            "vice_principals": role_holders(school, Role.VICE_PRINCIPAL, on=timezone.localdate()),
            "delegations": ApprovalDelegation.objects.filter(school=school).select_related(
                "delegate"
            ),
            "is_admin": is_school_admin(user, school),
        },
    )
