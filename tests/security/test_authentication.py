"""Authentication as a new user meets it (issue 8): lock-out after five wrong passwords, the
second factor required for a principal outside demo mode, password rules, idle expiry, the
login history, concurrent sessions (R8.1)."""

from __future__ import annotations

import time
from typing import Any as SettingsWrapper

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoso.accounts import services
from hoso.accounts.middleware import LAST_SEEN
from hoso.accounts.models import LoginRecord, UserSession
from hoso.audit.models import AuditEvent
from tests.personas import World
from tests.security.conftest import PASSWORD, login


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Lock-out (django-axes) ---------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(client: Client, world: World) -> None:
    # Given five wrong passwords in a row for teacher_a
    for attempt in range(5):
        response = login(client, "teacher_a", f"sai-mat-khau-{attempt}")
    # Then the fifth already answers with the Vietnamese lock-out page
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tài khoản tạm khóa" in page
    assert "sai mật khẩu 5 lần liên tiếp" in page and "tự mở lại sau 1 giờ" in page
    # And even the right password is now refused, from any address
    response = login(Client(), "teacher_a", PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert not _logged_in(client)
    # Other accounts are not affected
    other = Client()
    assert login(other, "homeroom_a").status_code == 302


def test_an_admin_lifts_the_lock_out(client: Client, world: World) -> None:
    for attempt in range(5):
        login(client, "teacher_a", f"sai-{attempt}")
    assert login(client, "teacher_a").status_code == 429
    # When the principal resets it on the account's page
    principal = Client()
    principal.force_login(world.principal_a)
    response = principal.post(reverse("account-lockout-reset", args=[world.teacher_a.uuid]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.lockout_reset").count() == 1
    # Then the teacher logs in again
    assert login(Client(), "teacher_a").status_code == 302


def test_four_wrong_then_right_logs_in_and_resets_the_count(client: Client, world: World) -> None:
    for attempt in range(4):
        assert login(client, "teacher_a", f"sai-{attempt}").status_code == 200
    assert login(client, "teacher_a").status_code == 302
    for attempt in range(4):
        assert login(Client(), "teacher_a", f"sai-lan-hai-{attempt}").status_code == 200
    assert login(Client(), "teacher_a").status_code == 302


def test_many_attempts_from_one_address_are_slowed_down(client: Client, world: World) -> None:
    from hoso.accounts.views import LOGIN_RATE_LIMIT

    for number in range(LOGIN_RATE_LIMIT):
        login(client, f"khong-co-{number}", "x")
    response = login(client, "teacher_a")
    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập" in response.content.decode()


# --- Second factor (django-otp) -----------------------------------------------------------


@pytest.fixture
def production(settings: SettingsWrapper) -> SettingsWrapper:
    """Not in demo mode: the second factor is enforced."""
    settings.DEMO_MODE = False
    if hasattr(settings, "HOSO_OTP_REQUIRED"):
        del settings.HOSO_OTP_REQUIRED
    return settings


def _device(user: object) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_principal_cannot_work_without_the_second_factor(
    client: Client, world: World, production: SettingsWrapper
) -> None:
    # When the principal logs in with the right password, without a device yet
    response = login(client, "principal_a")
    assert response.status_code == 302
    # Then every page leads to setting up the second factor
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("account-otp-setup"))
    assert client.get(reverse("school-detail", args=[world.school_a.uuid])).status_code == 302
    # And the API refuses too
    assert client.get("/api/v1/classes/").status_code == 403


def test_a_principal_with_a_device_must_enter_the_code(
    client: Client, world: World, production: SettingsWrapper
) -> None:
    device = _device(world.principal_a)
    login(client, "principal_a")
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("account-otp-verify"))
    # A wrong code is refused
    wrong = client.post(reverse("account-otp-verify"), {"token": "000000"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302
    # Right after it, even the right code waits out the throttle — and the page says so
    hurried = client.post(reverse("account-otp-verify"), {"token": _code(device)})
    assert (
        hurried.status_code == 200 and "Đã nhập sai nhiều lần: chờ đến" in hurried.content.decode()
    )
    # The right one opens the pages (once the one-second throttle after a failure has passed)
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(reverse("account-otp-verify"), {"token": _code(device)})
    assert right.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_password_alone_cannot_replace_the_device(
    client: Client, world: World, production: SettingsWrapper
) -> None:
    _device(world.principal_a)
    login(client, "principal_a")
    response = client.get(reverse("account-otp-setup"))
    assert response.status_code == 302 and response["Location"] == reverse("account-otp-verify")
    assert client.post(reverse("account-otp-setup"), {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=world.principal_a).count() == 1


def test_setting_up_the_second_factor(
    client: Client, world: World, production: SettingsWrapper
) -> None:
    login(client, "principal_a")
    page = client.get(reverse("account-otp-setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "Khóa bí mật" in html
    key_hex = client.session["_hoso_otp_setup_key"]
    # Reloading the page keeps the key the app has already scanned
    client.get(reverse("account-otp-setup"))
    assert client.session["_hoso_otp_setup_key"] == key_hex
    probe = TOTPDevice(user=world.principal_a, key=key_hex)
    response = client.post(reverse("account-otp-setup"), {"token": _code(probe)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=world.principal_a, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(action="accounts.otp_enabled").count() == 1
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("who", ["district_officer", "province_officer"])
def test_officers_need_the_second_factor(
    client: Client, world: World, production: SettingsWrapper, who: str
) -> None:
    login(client, who)
    assert client.get(reverse("home")).status_code == 302


def test_a_teacher_works_without_a_second_factor(
    client: Client, world: World, production: SettingsWrapper
) -> None:
    login(client, "teacher_a")
    assert client.get(reverse("home")).status_code == 200


def test_demo_mode_waives_it_with_a_banner(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.DEMO_MODE = True
    login(client, "principal_a")
    html = client.get(reverse("home")).content.decode()
    assert "Chế độ trình diễn" in html and "xác thực hai bước" in html


def test_demo_mode_still_asks_a_principal_who_set_up_a_device(
    client: Client, world: World, settings: SettingsWrapper
) -> None:
    settings.DEMO_MODE = True
    _device(world.principal_a)
    login(client, "principal_a")
    assert client.get(reverse("home")).status_code == 302


# --- Passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["ngan-qua", "1234567890123", "password123", "teacher_a-2025"],
    ids=["short", "numeric", "common", "like-username"],
)
def test_weak_passwords_are_refused_in_vietnamese(world: World, password: str) -> None:
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password(password, world.teacher_a)
    assert all("password" not in message.lower() for message in refused.value.messages)


def test_a_password_set_by_someone_else_must_be_changed(client: Client, world: World) -> None:
    admin = Client()
    admin.force_login(world.principal_a)
    services.password_reset(actor=world.principal_a, account=world.teacher_a)
    world.teacher_a.refresh_from_db()
    assert world.teacher_a.password_change_required
    client.force_login(world.teacher_a)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("account-password")


# --- Sessions (R8.1) -------------------------------------------------------------------------


def test_an_idle_session_expires(client: Client, world: World, settings: SettingsWrapper) -> None:
    settings.HOSO_IDLE_TIMEOUT = 600
    client.force_login(world.teacher_a)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 601
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not _logged_in(client)


def test_the_login_history_is_on_my_account(client: Client, world: World) -> None:
    login(client, "teacher_a", "sai-mot-lan", REMOTE_ADDR="198.51.100.4")
    login(client, "teacher_a", REMOTE_ADDR="198.51.100.5", HTTP_USER_AGENT="Firefox/140")
    records = list(LoginRecord.objects.filter(user=world.teacher_a).order_by("occurred_at"))
    assert [(r.success, r.ip_address) for r in records] == [
        (False, "198.51.100.4"),
        (True, "198.51.100.5"),
    ]
    html = client.get(reverse("account-me")).content.decode()
    assert "198.51.100.4" in html and "Firefox/140" in html and "Sai mật khẩu" in html


def test_a_second_session_from_another_address_is_flagged(client: Client, world: World) -> None:
    # Given teacher_a logged in at school
    first = Client()
    assert login(first, "teacher_a", REMOTE_ADDR="192.0.2.1").status_code == 302
    # When the same account logs in from another address while that session is active
    second = Client()
    assert login(second, "teacher_a", REMOTE_ADDR="192.0.2.99").status_code == 302
    # Then the new session is flagged, recorded, and shown to the person
    session = UserSession.objects.get(session_key=second.session.session_key)
    assert session.flagged and session.other_addresses == "192.0.2.1"
    event = AuditEvent.objects.get(action="accounts.concurrent_session")
    assert event.actor == world.teacher_a and event.unit == world.school_a
    page = second.get(reverse("account-me"), REMOTE_ADDR="192.0.2.99").content.decode()
    assert "đăng nhập đồng thời từ địa chỉ khác" in page
    # And listed for the school's admins
    principal = Client()
    principal.force_login(world.principal_a)
    listing = principal.get(reverse("accounts-sessions-flagged")).content.decode()
    assert "teacher_a" in listing and "192.0.2.99" in listing
    # But not for another school's
    other = Client()
    other.force_login(world.teacher_b)
    assert other.get(reverse("accounts-sessions-flagged")).status_code == 404


def test_the_same_address_is_not_flagged(world: World) -> None:
    login(Client(), "teacher_a", REMOTE_ADDR="192.0.2.1")
    login(Client(), "teacher_a", REMOTE_ADDR="192.0.2.1")
    assert not UserSession.objects.filter(flagged=True).exists()


def test_ending_the_other_sessions(world: World) -> None:
    first, second = Client(), Client()
    login(first, "teacher_a", REMOTE_ADDR="192.0.2.1")
    login(second, "teacher_a", REMOTE_ADDR="192.0.2.99")
    response = second.post(reverse("account-sessions-end"), REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 302
    # The first is logged out, the second goes on
    assert first.get(reverse("home")).status_code == 302
    assert second.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.sessions_ended").count() == 1
