"""Vietnamese by default; English on request through Django's ``set_language``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from hoso.core.i18n_compile import compile_po, mo_bytes, parse_po
from tests.web.conftest import World


def switch_to(client: Client, language: str, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url


def test_pages_are_vietnamese_by_default(client: Client, world: World) -> None:
    client.force_login(world.teacher_a)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in html
    assert "Phân công giảng dạy" in html and "Đăng xuất" in html


def test_the_language_switch_renders_english(client: Client, world: World) -> None:
    client.force_login(world.teacher_a)
    switch_to(client, "en")
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Teaching assignments" in html and "Log out" in html and "Subject teacher" in html
    assert "Phân công giảng dạy" not in html
    switch_to(client, "vi")
    assert '<html lang="vi">' in client.get(reverse("home")).content.decode()


def test_english_login_page_and_error(client: Client, world: World) -> None:
    switch_to(client, "en", reverse("login"))
    response = client.post(reverse("login"), {"username": "hieutruong.a", "password": "sai"})
    html = response.content.decode()
    assert "Log in" in html and "Wrong username or password." in html


def test_english_school_and_class_pages(client: Client, world: World) -> None:
    client.force_login(world.principal_a)
    switch_to(client, "en")
    school = client.get(reverse("school-detail", args=[world.school_a.uuid])).content.decode()
    assert "Grade 10" in school and "2 classes, 4 students studying." in school
    roster = client.get(reverse("class-detail", args=[world.class_a.uuid])).content.decode()
    assert "Date of birth" in roster and "Personal ID number" in roster and ">Male</td>" in roster


CATALOGUE = r"""# header
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: a.py:1
msgid "Lớp"
msgstr "Class"

msgctxt "giới tính"
msgid "Nam"
msgstr "Male"

#, fuzzy
msgid "Khối"
msgstr "Block"

msgid "Chưa dịch"
msgstr ""

msgid "%(n)s học sinh"
msgid_plural "%(n)s học sinh"
msgstr[0] "%(n)s student"
msgstr[1] ""
"%(n)s \"students\""
"""


def test_pure_python_compiler_reads_what_gettext_writes(tmp_path: Path) -> None:
    catalogue = parse_po(CATALOGUE)
    assert catalogue["Lớp"] == "Class"
    assert catalogue["giới tính\x04Nam"] == "Male"
    assert "Khối" not in catalogue  # fuzzy: not trusted, as msgfmt does
    assert "Chưa dịch" not in catalogue  # untranslated: the source string shows
    assert catalogue["%(n)s học sinh\0%(n)s học sinh"] == '%(n)s student\0%(n)s "students"'
    po = tmp_path / "django.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    mo = compile_po(po)
    assert mo.read_bytes() == mo_bytes(catalogue)

    import gettext

    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Lớp") == "Class"
    assert translations.pgettext("giới tính", "Nam") == "Male"
    assert translations.ngettext("%(n)s học sinh", "%(n)s học sinh", 1) == "%(n)s student"
    assert translations.ngettext("%(n)s học sinh", "%(n)s học sinh", 5) == '%(n)s "students"'
    assert translations.gettext("Khối") == "Khối"


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client: Client) -> None:
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi"' in response.content.decode()
