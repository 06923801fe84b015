"""Request guards of issue 8: idle expiry and the person's sessions (R8.1), a forced password
change, the second factor for leadership and officers, inspectors' views audited (R15.3), and
the Content-Security-Policy.

Order (settings.MIDDLEWARE): after authentication, django-otp and messages, so each guard sees
the user, whether their session passed the second factor, and can leave a message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hoso.accounts.access import scope_of
from hoso.accounts.models import Role, User, UserSession
from hoso.accounts.security import OTP_REQUIRED_ROLES, otp_required_globally
from hoso.audit.services import client_info_from_request

Handler = Callable[[HttpRequest], HttpResponse]

# Session keys.
LAST_SEEN = "_hoso_seen"
HAS_OTP_DEVICE = "_hoso_otp_device"
# How often the last-seen time is written (idle expiry is as precise as this).
TOUCH_EVERY = 60


def _exempt_prefixes() -> tuple[str, ...]:
    return (str(settings.STATIC_URL),)


class _Guard:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> frozenset[str]:
        """Pages a person must reach before the guards are satisfied."""
        names = [
            "login",
            "logout",
            "account-otp-setup",
            "account-otp-verify",
            "account-password",
            "set_language",
            "healthz",
        ]
        return frozenset(reverse(name) for name in names)

    def is_open(self, request: HttpRequest) -> bool:
        return request.path in self.open_paths or request.path.startswith(_exempt_prefixes())


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class SessionGuardMiddleware(_Guard):
    """Idle expiry, ended sessions and a forced password change."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            idle = int(getattr(settings, "HOSO_IDLE_TIMEOUT", 1800))
            if isinstance(last, int | float) and now - last > idle:
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn vì lâu không thao tác."))
                if not _is_api(request):
                    return HttpResponseRedirect(
                        reverse("login") + "?" + urlencode({"next": request.get_full_path()})
                    )
                return self.get_response(request)
            if not isinstance(last, int | float) or now - last > TOUCH_EVERY:
                request.session[LAST_SEEN] = int(now)
                if request.session.session_key:
                    UserSession.objects.filter(session_key=request.session.session_key).update(
                        last_seen=timezone.now()
                    )
            if user.password_change_required and not self.is_open(request):
                if _is_api(request):
                    return JsonResponse({"detail": _("Cần đổi mật khẩu trước.")}, status=403)
                return HttpResponseRedirect(reverse("account-password"))
        return self.get_response(request)


def second_factor_needed(user: User) -> bool:
    """Whether the person's roles call for a second factor (R8.1, issue 8)."""
    return user.is_superuser or bool(scope_of(user).roles & OTP_REQUIRED_ROLES)


class SecondFactorMiddleware(_Guard):
    """Principals, vice principals, admins and officers work only in a session that passed the
    second factor (TOTP). In demo mode an account without a device is let through with a banner
    (``request.hoso_otp_waived``), so the demo accounts work on ``make run``."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.hoso_otp_waived = False  # type: ignore[attr-defined]
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not self.is_open(request)
            and not _verified(user)
            and second_factor_needed(user)
        ):
            has_device = request.session.get(HAS_OTP_DEVICE)
            if has_device is None:
                has_device = _has_device(user)
                request.session[HAS_OTP_DEVICE] = has_device
            if not has_device and not otp_required_globally():
                request.hoso_otp_waived = True  # type: ignore[attr-defined]
                return self.get_response(request)
            if _is_api(request):
                return JsonResponse(
                    {"detail": _("Cần xác thực hai bước trước khi dùng API.")}, status=403
                )
            target = "account-otp-verify" if has_device else "account-otp-setup"
            return HttpResponseRedirect(
                reverse(target) + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)


def _verified(user: User) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def _has_device(user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class InspectorAuditMiddleware:
    """Every page or API answer an inspector receives is an audit event (R15.3)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = request.user
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not request.path.startswith(_exempt_prefixes())
        ):
            grants = [g for g in scope_of(user).grants if g.role == Role.INSPECTOR]
            if grants:
                from hoso.accounts.services import inspector_view_record

                inspector_view_record(
                    actor=user,
                    unit=grants[0].unit,
                    path=request.get_full_path(),
                    client=client_info_from_request(request),
                )
        return response


class ContentSecurityPolicyMiddleware:
    """Django 5.2 has no CSP of its own: our origin only, no inline script (issue 8)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        relaxed = getattr(settings, "HOSO_CSP_RELAXED_PATHS", [])
        if not any(request.path.startswith(prefix) for prefix in relaxed):
            response.headers.setdefault("Content-Security-Policy", settings.HOSO_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
