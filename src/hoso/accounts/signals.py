"""The login history and the person's sessions, from Django's auth signals (R8.1).

Like the audit trail's own receivers (hoso.audit.signals), this is record keeping, not a business
reaction: the signal is the one place every login passes, whatever the view or backend.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from hoso.accounts.middleware import HAS_OTP_DEVICE, LAST_SEEN, _has_device
from hoso.accounts.services import login_record, session_end, session_start
from hoso.audit.services import client_info_from_request


@receiver(user_logged_in, dispatch_uid="hoso_accounts_login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    client = client_info_from_request(request)
    login_record(user=user, username=user.get_username(), success=True, client=client)
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LAST_SEEN] = int(time.time())
    session[HAS_OTP_DEVICE] = _has_device(user)
    if session.session_key is None:
        session.save()
    started = session_start(
        user=user,
        session_key=str(session.session_key),
        client=client,
        idle_seconds=int(getattr(settings, "HOSO_IDLE_TIMEOUT", 1800)),
        max_age=int(settings.SESSION_COOKIE_AGE),
    )
    if started.flagged and request is not None and hasattr(request, "_messages"):
        from django.contrib import messages
        from django.utils.translation import gettext as _

        messages.warning(
            request,
            _(
                "Tài khoản của bạn đang được dùng ở một nơi khác (%(addresses)s). Nếu không phải "
                "bạn, hãy đổi mật khẩu và đăng xuất các phiên khác trong «Tài khoản của tôi»."
            )
            % {"addresses": started.other_addresses},
        )


@receiver(user_logged_out, dispatch_uid="hoso_accounts_logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        session_end(session_key=session.session_key)


@receiver(user_login_failed, dispatch_uid="hoso_accounts_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return  # authenticate() called by our own code, not a person at the login page
    user_model = get_user_model()
    tried = str(credentials.get(user_model.USERNAME_FIELD) or credentials.get("username") or "")
    account = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: tried}).first()
    login_record(
        user=account, username=tried, success=False, client=client_info_from_request(request)
    )
