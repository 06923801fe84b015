"""Login, logout and failed login are audit events: who, from where; never the password."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hoso.audit.models import AuditEvent
from tests.audit.conftest import AuditWorld
from tests.factories import PASSWORD


def test_a_login_is_recorded_in_the_users_school_chain(
    client: Client, audit_world: AuditWorld
) -> None:
    # When the principal of school A logs in through the login page
    response = client.post(
        reverse("login"),
        {"username": "principal_a", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT="Chrome/128",
    )
    assert response.status_code == 302
    # Then one auth.login event names them, their address and browser, in school A's chain
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == audit_world.principal_a
    assert event.unit == audit_world.school_a
    assert (event.ip_address, event.user_agent) == ("192.0.2.10", "Chrome/128")


def test_a_district_officers_login_goes_to_the_offices_chain(
    client: Client, audit_world: AuditWorld
) -> None:
    client.force_login(audit_world.district_officer)
    assert AuditEvent.objects.get(action="auth.login").unit == audit_world.district


def test_a_failed_login_records_the_username_and_address_never_the_password(
    client: Client, audit_world: AuditWorld
) -> None:
    # When someone tries school A's principal with a wrong password
    wrong = "mat-khau-sai-123"
    client.post(
        reverse("login"),
        {"username": "principal_a", "password": wrong},
        REMOTE_ADDR="198.51.100.9",
    )
    # Then a failed-login event records who was tried and from where, in school A's chain
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert (event.target_id, event.ip_address) == ("principal_a", "198.51.100.9")
    assert event.unit == audit_world.school_a
    # And the password appears nowhere in it
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert wrong not in repr(stored)
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_failed_login_for_an_unknown_name_goes_to_the_system_chain(
    client: Client, audit_world: AuditWorld
) -> None:
    client.post(reverse("login"), {"username": "khong-ton-tai", "password": "x"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.unit is None and event.chain.unit is None
    assert event.target_id == "khong-ton-tai"


def test_a_logout_is_recorded(client: Client, audit_world: AuditWorld) -> None:
    client.force_login(audit_world.teacher_b)
    client.post(reverse("logout"))
    event = AuditEvent.objects.get(action="auth.logout")
    assert (event.actor, event.unit) == (audit_world.teacher_b, audit_world.school_b)


def test_logins_keep_the_chain_verifiable(client: Client, audit_world: AuditWorld) -> None:
    from hoso.audit.verify import verify_chains

    client.force_login(audit_world.principal_a)
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "nobody", "password": "x"})
    report = verify_chains()
    assert report.ok and report.events == 3
