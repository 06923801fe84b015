"""Authentication events from Django's auth signals: login, logout, failed login.

Recording them is the audit trail's own business, not a business reaction (style.md forbids
those in signals): the signal is the one place every login passes, whatever view or backend.
A failed login records the username that was tried and the address — never the password.

Chain: the user's home unit (:func:`hoso.audit.selectors.audit_home_unit`); the system chain
for an account without a role and for a username that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from hoso.audit.registry import AUTH_LOGIN, AUTH_LOGIN_FAILED, AUTH_LOGOUT
from hoso.audit.selectors import audit_home_unit
from hoso.audit.services import audit_record

USERNAME_MAX = 150


@receiver(user_logged_in, dispatch_uid="hoso_audit_login")
def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AUTH_LOGIN,
            unit=audit_home_unit(user=user),
            target=user,
            summary=f"Đăng nhập: {user.get_username()}",
            request=request,
        )


@receiver(user_logged_out, dispatch_uid="hoso_audit_logout")
def record_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return  # logging out an anonymous session changes nothing
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AUTH_LOGOUT,
            unit=audit_home_unit(user=user),
            target=user,
            summary=f"Đăng xuất: {user.get_username()}",
            request=request,
        )


@receiver(user_login_failed, dispatch_uid="hoso_audit_login_failed")
def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    user_model = get_user_model()
    # Only the username is read from the credentials; Django has already masked the password,
    # and nothing else of them is stored.
    tried = str(credentials.get(user_model.USERNAME_FIELD) or credentials.get("username") or "")
    tried = tried[:USERNAME_MAX]
    account = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: tried}).first()
    with transaction.atomic():
        audit_record(
            actor=None,
            actor_username="",
            action=AUTH_LOGIN_FAILED,
            unit=audit_home_unit(user=account) if account is not None else None,
            target_type="accounts.user",
            target_id=tried,
            summary=f"Đăng nhập thất bại: {tried}",
            request=request,
        )
