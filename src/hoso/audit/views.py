"""The audit browser (issue 6; R4.3, R15): leadership and inspectors read the trail of the
units in their scope, one mark's history, and export to Excel. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hoso.accounts.models import User
from hoso.audit.browser import (
    AuditFilters,
    audit_events_browse,
    audit_schools,
    mark_history,
    may_browse,
)
from hoso.audit.browser_services import audit_export, audit_view_record, is_inspector
from hoso.audit.registry import ACTIONS
from hoso.audit.services import client_info_from_request
from hoso.core.errors import NotFoundError

PAGE_SIZE = 50


def _reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_browse(user):
        raise Http404
    return user


@login_required
def audit_browse(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    filters = AuditFilters.from_query(request.GET)
    page = Paginator(audit_events_browse(actor=user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if is_inspector(user):
        # R15: an inspection of the trail is itself on the trail.
        audit_view_record(
            actor=user,
            filters=filters,
            what=f"list:page {page.number}",
            client=client_info_from_request(request),
        )
    return render(
        request,
        "audit/browse.html",
        {
            "filters": filters,
            "query": filters.as_query(),
            "page": page,
            "schools": audit_schools(user),
            "actions": sorted(ACTIONS.items()),
        },
    )


@login_required
def audit_export_view(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    filters = AuditFilters.from_query(request.GET)
    content, _count = audit_export(
        actor=user, filters=filters, client=client_info_from_request(request)
    )
    name = f"nhat-ky-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def mark_history_view(request: HttpRequest, mark_id: int) -> HttpResponse:
    user = _reader(request)
    try:
        history = mark_history(actor=user, mark_id=mark_id)
    except NotFoundError as error:
        raise Http404 from error
    if is_inspector(user):
        audit_view_record(
            actor=user,
            filters=AuditFilters(school=history.school_code),
            what=f"mark:{mark_id}",
            client=client_info_from_request(request),
        )
    return render(request, "audit/mark_history.html", {"history": history})
