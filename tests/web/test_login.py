"""Login and logout, in Vietnamese."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.web.conftest import World


def test_login_page_is_vietnamese(client: Client) -> None:
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html


def test_anonymous_home_redirects_to_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_with_the_right_password_goes_home(client: Client, world: World) -> None:
    response = client.post(
        reverse("login"), {"username": "hieutruong.a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xin chào, Phan Văn Hiệu" in response.content.decode()


def test_wrong_password_shows_the_vietnamese_error(client: Client, world: World) -> None:
    response = client.post(reverse("login"), {"username": "hieutruong.a", "password": "sai"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert 'value="hieutruong.a"' in html  # the username stays typed in
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_returns_to_login(client: Client, world: World) -> None:
    client.force_login(world.principal_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_superuser_reaches_the_admin_and_sees_its_link(client: Client, world: World) -> None:
    world.principal_a.is_staff = world.principal_a.is_superuser = True
    world.principal_a.save()
    client.force_login(world.principal_a)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()
    assert client.get(reverse("admin:index")).status_code == 200


def test_ordinary_user_sees_no_admin_link(client: Client, world: World) -> None:
    client.force_login(world.teacher_a)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
