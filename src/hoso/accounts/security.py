"""Authentication plumbing: django-axes wired to our own client address, and the second-factor
rule (which roles need TOTP, and when the demo waives it)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest

from hoso.accounts.models import Role
from hoso.audit.services import client_info_from_request

# R8.1, R11: leadership, admins and the offices hold the keys to every school's records.
OTP_REQUIRED_ROLES = frozenset(
    {
        Role.PRINCIPAL,
        Role.VICE_PRINCIPAL,
        Role.SCHOOL_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.PROVINCE_OFFICER,
    }
)


def client_ip(request: HttpRequest) -> str:
    """The address axes counts failures against: the same one the audit trail records
    (``HOSO_PROXY_COUNT`` trusted proxies), so a forged X-Forwarded-For changes nothing."""
    return client_info_from_request(request).ip or "0.0.0.0"


class HosoAxesBackend(AxesStandaloneBackend):
    """Axes' lock-out check for every login through a request (the login page, the admin).

    ``authenticate()`` without a request only comes from our own code (tests' ``Client.login``,
    management commands), never from a client: axes would raise there, so it steps aside and the
    next backend checks the password as usual.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def otp_required_globally() -> bool:
    """Whether the second factor is enforced: always outside demo mode; in demo mode only when
    ``HOSO_OTP_REQUIRED`` says so (the demo accounts must work on ``make run``)."""
    forced = getattr(settings, "HOSO_OTP_REQUIRED", None)
    if forced is not None:
        return bool(forced)
    return not settings.DEMO_MODE
