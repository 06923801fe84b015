"""Account pages: the person's own account, account management, inspectors, parents, anomaly
reports. Thin: parse, call one service or selector, render. Every id in a URL goes through a
fetch-and-authorize helper, so another school's id answers 404 like one that does not exist."""

from __future__ import annotations

import binascii
import datetime as dt
import os
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.academics.models import SchoolClass, Subject, TeachingAssignment, TeachingGroup
from hoso.academics.selectors import school_year_current
from hoso.accounts import selectors, services
from hoso.accounts.access import (
    access_account,
    access_unit,
    may_grant,
    roles_grantable,
    scope_of,
    units_managed,
)
from hoso.accounts.errors import AccountError
from hoso.accounts.forms import (
    AccountCreateForm,
    AnomalyReportForm,
    BulkUploadForm,
    InspectorGrantForm,
    OTPTokenForm,
    ParentLinkForm,
    RoleGrantForm,
    TeachingAssignForm,
)
from hoso.accounts.middleware import HAS_OTP_DEVICE, second_factor_needed
from hoso.accounts.models import Role, RoleAssignment, User
from hoso.accounts.permissions import Perm
from hoso.accounts.security import client_ip
from hoso.audit.services import client_info_from_request
from hoso.core.errors import HosoError, NotFoundError
from hoso.organizations.models import Unit, UnitKind

View = Callable[..., HttpResponse]

# Login attempts per address in LOGIN_RATE_WINDOW seconds, whatever the usernames tried: a school's
# shared address is not locked out (the account is, by django-axes), only slowed down.
LOGIN_RATE_LIMIT = 30
LOGIN_RATE_WINDOW = 300


def not_found_as_404(view: View) -> View:
    """Turn the helpers' ``NotFoundError`` into a 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as error:
            raise Http404(error.message) from error

    return wrapper


def _client(request: HttpRequest) -> services.ClientInfo:
    return client_info_from_request(request)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _safe_next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _problems(request: HttpRequest, error: HosoError) -> None:
    for problem in getattr(error, "problems", None) or [error.message]:
        messages.error(request, problem)


# --- Login ----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = f"hoso-login-rate:{client_ip(request)}"
        cache.add(key, 0, LOGIN_RATE_WINDOW)
        try:
            attempts = cache.incr(key)
        except ValueError:
            attempts = 1
        if attempts > LOGIN_RATE_LIMIT:
            return render(request, "accounts/rate_limited.html", status=429)
        return super().post(request, *args, **kwargs)


# --- My account -----------------------------------------------------------------------------


@login_required
def account_me(request: HttpRequest) -> HttpResponse:
    """ "Tài khoản của tôi": login history, open sessions, second factor (R8.1)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = _user(request)
    sessions = selectors.sessions_open(user)
    current_key = request.session.session_key
    return render(
        request,
        "accounts/me.html",
        {
            "history": selectors.login_history(user),
            "sessions": sessions,
            "current_key": current_key,
            "others": [s for s in sessions if s.session_key != current_key],
            "flagged": any(s.flagged for s in sessions),
            "has_otp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "otp_needed": second_factor_needed(user),
            "roles": scope_of(user).grants,
        },
    )


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = services.sessions_end_others(
        actor=_user(request), session=request.session, client=_client(request)
    )
    messages.success(request, _("Đã đăng xuất %(n)d phiên khác.") % {"n": ended})
    return HttpResponseRedirect(reverse("account-me"))


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        services.password_changed(actor=user, client=_client(request))
        messages.success(request, _("Đã đổi mật khẩu."))
        return HttpResponseRedirect(reverse("account-me"))
    return render(
        request,
        "accounts/password.html",
        {"form": form, "required": user.password_change_required},
    )


# --- Second factor (TOTP) -------------------------------------------------------------------

OTP_SETUP_KEY = "_hoso_otp_setup_key"


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code (inline SVG) and the key, then one code."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = _user(request)
    # Replacing a device takes the current one: with only the password, nobody registers their
    # own authenticator in place of the owner's.
    verified = getattr(user, "is_verified", lambda: False)()
    if not verified and TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return HttpResponseRedirect(reverse("account-otp-verify"))
    # One key per setting-up session: reloading the page keeps it, so an app that already
    # scanned the code keeps giving codes that work.
    key_hex = request.session.get(OTP_SETUP_KEY)
    if not key_hex:
        key_hex = binascii.hexlify(os.urandom(20)).decode()
        request.session[OTP_SETUP_KEY] = key_hex
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_device_confirm(
            actor=user, key_hex=key_hex, token=form.cleaned_data["token"], client=_client(request)
        ):
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            otp_login(request, device)
            request.session.pop(OTP_SETUP_KEY, None)
            request.session[HAS_OTP_DEVICE] = True
            messages.success(request, _("Đã bật xác thực hai bước."))
            return HttpResponseRedirect(_safe_next(request, reverse("home")))
        form.add_error("token", _("Mã không đúng. Kiểm tra giờ của điện thoại và thử lại."))
    device = TOTPDevice(user=user, key=key_hex, name="hoso")
    secret = _base32(key_hex)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _safe_next(request, ""),
        },
    )


def _base32(key_hex: str) -> str:
    import base64

    return base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login: the code of the authenticator app."""
    from django_otp import login as otp_login
    from django_otp import match_token

    user = _user(request)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = _otp_wait_until(user)
        if waiting is not None:
            # django-otp doubles the wait after each wrong code (against guessing); say so,
            # instead of refusing the right code with "wrong code".
            form.add_error(
                "token",
                _("Đã nhập sai nhiều lần: chờ đến %(time)s rồi nhập mã đang hiện trong ứng dụng.")
                % {"time": timezone.localtime(waiting).strftime("%H:%M:%S")},
            )
        else:
            device = match_token(user, form.cleaned_data["token"].strip())
            if device is not None:
                otp_login(request, device)
                return HttpResponseRedirect(_safe_next(request, reverse("home")))
            form.add_error("token", _("Mã không đúng hoặc đã hết hạn."))
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


def _otp_wait_until(user: User) -> dt.datetime | None:
    """When the throttled device accepts a code again, or None when it does now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        if data and data.get("locked_until"):
            return data["locked_until"]
    return None


# --- Account management (R11.2, R14.1) ------------------------------------------------------


def _managed_unit(request: HttpRequest) -> tuple[Unit, list[Unit]]:
    units = list(units_managed(request.user))
    if not units:
        raise NotFoundError()
    wanted = request.GET.get("don-vi") or request.POST.get("don-vi")
    if wanted:
        try:
            return access_unit(request.user, str(uuid.UUID(wanted)), Perm.MANAGE_ACCOUNTS), units
        except ValueError as error:
            raise NotFoundError() from error
    # The person's own school or office first (an office also reaches the units below).
    own = {g.unit_id for g in scope_of(request.user).grants}
    return next((u for u in units if u.id in own), units[0]), units


@login_required
@not_found_as_404
def accounts_list(request: HttpRequest) -> HttpResponse:
    unit, units = _managed_unit(request)
    accounts = selectors.accounts_of_unit(unit)
    return render(
        request,
        "accounts/manage_list.html",
        {
            "unit": unit,
            "units": units if len(units) > 1 else [],
            "accounts": accounts,
            "locked": selectors.locked_usernames([a.username for a in accounts]),
            "can_create": bool(roles_grantable(request.user, unit)),
            "is_school": unit.kind == UnitKind.SCHOOL,
        },
    )


@login_required
@not_found_as_404
def account_create(request: HttpRequest) -> HttpResponse:
    unit, _units = _managed_unit(request)
    roles = roles_grantable(request.user, unit)
    if not roles:
        raise NotFoundError()
    form = AccountCreateForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.account_create(
                actor=request.user,
                unit=unit,
                username=data["username"],
                full_name=data["full_name"],
                role=Role(data["role"]),
                email=data["email"],
                phone=data["phone"],
                client=_client(request),
            )
        except AccountError as error:
            _problems(request, error)
        else:
            return render(request, "accounts/created.html", {"unit": unit, "created": [created]})
    return render(request, "accounts/manage_create.html", {"form": form, "unit": unit})


@login_required
@not_found_as_404
def account_detail(request: HttpRequest, account_uuid: uuid.UUID) -> HttpResponse:
    account = access_account(request.user, str(account_uuid))
    units = list(units_managed(request.user))
    roles = [r for r in Role if any(may_grant(request.user, r, u) for u in units)]
    form = RoleGrantForm(roles=roles, units=[(str(u.uuid), f"{u.code} — {u.name}") for u in units])
    return render(
        request,
        "accounts/manage_detail.html",
        {
            "account": account,
            "assignments": selectors.role_assignments_of(account),
            "form": form,
            "locked": account.username in selectors.locked_usernames([account.username]),
            "today": timezone.localdate(),
        },
    )


def _account_action(
    run: Callable[[HttpRequest, User], str | None],
) -> View:
    @login_required
    @require_POST
    @not_found_as_404
    @wraps(run)
    def view(request: HttpRequest, account_uuid: uuid.UUID) -> HttpResponse:
        account = access_account(request.user, str(account_uuid))
        try:
            done = run(request, account)
        except AccountError as error:
            _problems(request, error)
        else:
            if done:
                messages.success(request, done)
        return HttpResponseRedirect(reverse("account-detail", args=[account.uuid]))

    return view


@_account_action
def account_disable(request: HttpRequest, account: User) -> str:
    services.account_disable(
        actor=request.user,
        account=account,
        reason=request.POST.get("reason", ""),
        client=_client(request),
    )
    return _("Đã khóa tài khoản.")


@_account_action
def account_enable(request: HttpRequest, account: User) -> str:
    services.account_enable(actor=request.user, account=account, client=_client(request))
    return _("Đã mở khóa tài khoản.")


@_account_action
def account_lockout_reset(request: HttpRequest, account: User) -> str:
    services.lockout_reset(actor=request.user, account=account, client=_client(request))
    return _("Đã mở khóa đăng nhập.")


@_account_action
def account_otp_reset(request: HttpRequest, account: User) -> str:
    services.otp_reset(actor=request.user, account=account, client=_client(request))
    return _("Đã đặt lại xác thực hai bước: người dùng cài lại ở lần đăng nhập sau.")


@_account_action
def account_password_reset(request: HttpRequest, account: User) -> str:
    password = services.password_reset(actor=request.user, account=account, client=_client(request))
    return _(
        "Mật khẩu tạm mới: %(password)s — trao tận tay người dùng; họ phải đổi khi đăng nhập."
    ) % {"password": password}


@_account_action
def account_role_grant(request: HttpRequest, account: User) -> str | None:
    units = list(units_managed(request.user))
    form = RoleGrantForm(
        request.POST,
        roles=list(Role),
        units=[(str(u.uuid), u.code) for u in units],
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return None
    data = form.cleaned_data
    unit = next(u for u in units if str(u.uuid) == data["unit"])
    services.role_grant(
        actor=request.user,
        account=account,
        role=Role(data["role"]),
        unit=unit,
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        note=data["note"],
        client=_client(request),
    )
    return _("Đã cấp vai trò.")


@login_required
@require_POST
@not_found_as_404
def account_role_revoke(
    request: HttpRequest, account_uuid: uuid.UUID, grant_uuid: uuid.UUID
) -> HttpResponse:
    account = access_account(request.user, str(account_uuid))
    assignment = (
        RoleAssignment.objects.filter(uuid=grant_uuid, user=account)
        .select_related("unit", "user")
        .first()
    )
    if assignment is None:
        raise NotFoundError()
    try:
        services.role_revoke(actor=request.user, assignment=assignment, client=_client(request))
    except AccountError as error:
        _problems(request, error)
    else:
        messages.success(request, _("Đã thu hồi vai trò."))
    return HttpResponseRedirect(reverse("account-detail", args=[account.uuid]))


@login_required
@not_found_as_404
def accounts_import(request: HttpRequest) -> HttpResponse:
    unit, _units = _managed_unit(request)
    if not roles_grantable(request.user, unit):
        raise NotFoundError()
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.accounts_bulk_create_from_excel(
                actor=request.user,
                unit=unit,
                file=form.cleaned_data["file"],
                client=_client(request),
            )
        except AccountError as error:
            return render(
                request,
                "accounts/manage_import.html",
                {"form": form, "unit": unit, "problems": error.problems},
                status=400,
            )
        return render(request, "accounts/created.html", {"unit": unit, "created": created})
    return render(request, "accounts/manage_import.html", {"form": form, "unit": unit})


@login_required
@not_found_as_404
def accounts_import_template(request: HttpRequest) -> HttpResponse:
    if not units_managed(request.user).exists():
        raise NotFoundError()
    response = HttpResponse(
        services.bulk_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-tai-khoan.xlsx"'
    return response


@login_required
@not_found_as_404
def assignments(request: HttpRequest) -> HttpResponse:
    """Teaching and homeroom assignments of a school's current year (R4.1)."""
    unit, _units = _managed_unit(request)
    if unit.kind != UnitKind.SCHOOL:
        raise NotFoundError()
    year = school_year_current()
    teachers = [a for a in selectors.accounts_of_unit(unit) if a.is_active]
    groups = (
        list(TeachingGroup.objects.filter(school=unit, year=year).select_related("school_class"))
        if year
        else []
    )
    classes = (
        list(SchoolClass.objects.filter(school=unit, year=year).select_related("homeroom_teacher"))
        if year
        else []
    )
    grades = sorted({c.grade for c in classes})
    subjects = list(Subject.objects.filter(grade__in=grades).order_by("grade", "position"))
    form = TeachingAssignForm(
        request.POST or None,
        teachers=[(str(t.uuid), f"{t.display_name} ({t.username})") for t in teachers],
        groups=[(str(g.uuid), g.name) for g in groups],
        subjects=[
            (str(s.id), f"{s.name} — {s.get_programme_display()} khối {s.grade}") for s in subjects
        ],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        teacher = next(t for t in teachers if str(t.uuid) == data["teacher"])
        group = next(g for g in groups if str(g.uuid) == data["group"])
        subject = next(s for s in subjects if str(s.id) == data["subject"])
        try:
            services.teaching_assign(
                actor=request.user,
                teacher=teacher,
                subject=subject,
                group=group,
                client=_client(request),
            )
        except AccountError as error:
            _problems(request, error)
        else:
            messages.success(request, _("Đã phân công giảng dạy."))
            return HttpResponseRedirect(request.get_full_path())
    current = (
        list(
            TeachingAssignment.objects.filter(school=unit, year=year)
            .select_related("teacher", "subject", "group")
            .order_by("group__name", "subject__position")
        )
        if year
        else []
    )
    return render(
        request,
        "accounts/assignments.html",
        {
            "unit": unit,
            "year": year,
            "form": form,
            "current": current,
            "classes": classes,
            "teachers": teachers,
        },
    )


@login_required
@require_POST
@not_found_as_404
def homeroom_set(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    school_class = (
        SchoolClass.objects.filter(uuid=class_uuid).select_related("school", "year").first()
    )
    if school_class is None or not scope_of(request.user).unit_allows(
        school_class.school_id, Perm.MANAGE_ACCOUNTS
    ):
        raise NotFoundError()
    wanted = request.POST.get("teacher", "")
    teacher = None
    if wanted:
        candidates = {str(a.uuid): a for a in selectors.accounts_of_unit(school_class.school)}
        teacher = candidates.get(wanted)
        if teacher is None:
            raise NotFoundError()
    try:
        services.homeroom_assign(
            actor=request.user,
            school_class=school_class,
            teacher=teacher,
            client=_client(request),
        )
    except AccountError as error:
        _problems(request, error)
    else:
        messages.success(
            request, _("Đã phân công chủ nhiệm lớp %(name)s.") % {"name": school_class.name}
        )
    return HttpResponseRedirect(
        reverse("accounts-assignments") + f"?don-vi={school_class.school.uuid}"
    )


@login_required
@require_POST
@not_found_as_404
def teaching_unassign(request: HttpRequest, assignment_uuid: uuid.UUID) -> HttpResponse:
    assignment = (
        TeachingAssignment.objects.filter(uuid=assignment_uuid)
        .select_related("school", "teacher", "subject", "group")
        .first()
    )
    if assignment is None or not scope_of(request.user).unit_allows(
        assignment.school_id, Perm.MANAGE_ACCOUNTS
    ):
        raise NotFoundError()
    services.teaching_unassign(actor=request.user, assignment=assignment, client=_client(request))
    messages.success(request, _("Đã bỏ phân công."))
    return HttpResponseRedirect(
        reverse("accounts-assignments") + f"?don-vi={assignment.school.uuid}"
    )


@login_required
@not_found_as_404
def sessions_flagged(request: HttpRequest) -> HttpResponse:
    if not units_managed(request.user).exists():
        raise NotFoundError()
    return render(
        request,
        "accounts/sessions_flagged.html",
        {"sessions": selectors.sessions_flagged(request.user)},
    )


# --- Inspectors (R15.3) ---------------------------------------------------------------------


@login_required
@not_found_as_404
def inspectors(request: HttpRequest) -> HttpResponse:
    """Province and district officers grant inspectors a read-only role over a scope and a
    period."""
    units = selectors.units_for_inspection(request.user)
    units = [u for u in units if may_grant(request.user, Role.INSPECTOR, u)]
    if not units:
        raise NotFoundError()
    form = InspectorGrantForm(
        request.POST or None, units=[(str(u.uuid), f"{u.code} — {u.name}") for u in units]
    )
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if str(u.uuid) == data["unit"])
        try:
            created = _inspector_grant(request, unit, data)
        except AccountError as error:
            _problems(request, error)
        except NotFoundError:
            messages.error(request, _("Không cấp được cho tài khoản này."))
        else:
            messages.success(request, _("Đã cấp quyền thanh tra."))
            if created is None:
                return HttpResponseRedirect(reverse("accounts-inspectors"))
    return render(
        request,
        "accounts/inspectors.html",
        {
            "form": form,
            "grants": selectors.inspector_grants_for(request.user),
            "created": [created] if created else [],
            "today": timezone.localdate(),
        },
    )


def _inspector_grant(
    request: HttpRequest, unit: Unit, data: dict[str, Any]
) -> services.CreatedAccount | None:
    username = data["username"].strip().lower()
    account = User.objects.filter(username__iexact=username).first()
    if account is None:
        return services.account_create(
            actor=request.user,
            unit=unit,
            username=username,
            full_name=data["full_name"] or username,
            role=Role.INSPECTOR,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            client=_client(request),
        )
    services.role_grant(
        actor=request.user,
        account=account,
        role=Role.INSPECTOR,
        unit=unit,
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        note=data["note"],
        client=_client(request),
    )
    return None


# --- Anomaly reports (R8.5) -----------------------------------------------------------------


@login_required
def anomaly_report(request: HttpRequest) -> HttpResponse:
    now = timezone.localtime()
    initial = {
        "page_url": _safe_next(request, "")[:500] or request.GET.get("trang", "")[:500],
        "seen_at": now.strftime("%Y-%m-%dT%H:%M"),
    }
    form = AnomalyReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.anomaly_report_create(
                actor=request.user,
                page_url=data["page_url"],
                seen_at=data["seen_at"],
                description=data["description"],
                client=_client(request),
            )
        except AccountError as error:
            _problems(request, error)
        else:
            messages.success(
                request, _("Đã gửi báo cáo bất thường tới Hiệu trưởng và Ban Quản trị. Cảm ơn bạn.")
            )
            page = data["page_url"]
            safe = url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()})
            return HttpResponseRedirect(page if safe and page.startswith("/") else reverse("home"))
    return render(request, "accounts/anomaly_form.html", {"form": form})


@login_required
@not_found_as_404
def anomaly_list(request: HttpRequest) -> HttpResponse:
    if not units_managed(request.user).exists():
        raise NotFoundError()
    return render(
        request,
        "accounts/anomaly_list.html",
        {"reports": selectors.anomaly_reports_for(request.user)},
    )


@login_required
@require_POST
@not_found_as_404
def anomaly_seen(request: HttpRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = selectors.access_anomaly_report(request.user, str(report_uuid))
    services.anomaly_report_mark_seen(actor=request.user, report=report, client=_client(request))
    return HttpResponseRedirect(reverse("anomaly-list"))


# --- Parents (R12.8) ------------------------------------------------------------------------


@login_required
@not_found_as_404
def child_detail(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    student = selectors.access_child(request.user, str(student_uuid))
    return render(request, "accounts/child.html", {"report": selectors.child_report(student)})


@login_required
@not_found_as_404
def child_report_card(request: HttpRequest, student_uuid: uuid.UUID) -> HttpResponse:
    """The parent downloads their child's report card (phiếu liên lạc) of a published semester."""
    from hoso.printing.documents.common import PrintRequest
    from hoso.printing.services import print_issue

    student = selectors.access_child(request.user, str(student_uuid))
    semester = 2 if request.GET.get("hk") == "2" else 1
    enrollment = selectors.child_report_card_enrollment(
        student, request.GET.get("nam", ""), semester
    )
    issued = print_issue(
        actor=_user(request),
        request=PrintRequest(
            form="phieu-lien-lac",
            school=enrollment.school,
            year=enrollment.year,
            school_class=enrollment.school_class,
            student=student,
            semester=semester,
        ),
        client=_client(request),
    )
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    name = f"phieu-lien-lac-{enrollment.year.name}-hk{semester}-{student.national_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@not_found_as_404
def class_parents(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    """The homeroom teacher links parent accounts to the students of their class."""
    school_class = selectors.homeroom_class_for_parents(request.user, str(class_uuid))
    rows = selectors.class_parent_links(school_class)
    students = {str(e.student.uuid): e.student for e, _links in rows}
    form = ParentLinkForm(
        request.POST or None,
        students=[(key, s.full_name) for key, s in students.items()],
    )
    created = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.parent_link_create(
                actor=request.user,
                student=students[data["student"]],
                parent_username=data["parent_username"],
                parent_full_name=data["parent_full_name"],
                relation=data["relation"],
                client=_client(request),
            )
        except AccountError as error:
            _problems(request, error)
        else:
            messages.success(request, _("Đã liên kết tài khoản cha mẹ học sinh."))
            if result.created is None:
                return HttpResponseRedirect(request.get_full_path())
            created.append(result.created)
            rows = selectors.class_parent_links(school_class)
    return render(
        request,
        "accounts/class_parents.html",
        {"school_class": school_class, "rows": rows, "form": form, "created": created},
    )
