"""Hardening (issue 8): the production configuration passes ``check --deploy``; every page has
the security headers and a CSP without inline script; CSRF is enforced; uploaded files have no
public URL; personal data stays out of the logs."""

from __future__ import annotations

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from hoso.accounts.log_filters import PersonalDataFilter, scrub
from tests.personas import World

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "src" / "hoso" / "templates"


def test_check_deploy_is_clean_in_the_production_configuration(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.vn",
        "HOSO_VAR_DIR": str(tmp_path),
    }
    env.pop("HOSO_DEMO", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_rate_limits_count_in_redis_when_redis_url_is_set(tmp_path: Path) -> None:
    """With several gunicorn workers a per-process cache would let each count alone."""
    script = (
        "from django.core.cache import cache; from django.conf import settings; "
        "cache.set('hoso-test-shared', 1, 5); "
        "print(settings.CACHES['default']['BACKEND'], cache.get('hoso-test-shared'))"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/1", "HOSO_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]  # shell may first say what it imported
    assert last.split() == ["django.core.cache.backends.redis.RedisCache", "1"]


def test_security_headers_and_csp(client: Client, world: World) -> None:
    client.force_login(world.teacher_a)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    login = Client().get(reverse("login"))
    assert "Content-Security-Policy" in login


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def test_our_templates_have_nothing_the_csp_blocks() -> None:
    """The CSP allows scripts and styles from our own files only: an inline handler, <script>,
    <style> or style="" in any page template would silently do nothing in the browser. (Print
    documents are Typst templates, not HTML, and are not served to a browser.)"""
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for name, pattern in [
            ("script", INLINE_SCRIPT),
            ("handler", INLINE_HANDLER),
            ("style", INLINE_STYLE),
        ]:
            if pattern.search(text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: inline {name}")
    assert offenders == []


def test_csrf_is_enforced(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.teacher_a)
    response = client.post(reverse("anomaly-report"), {"page_url": "/", "description": "x"})
    assert response.status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("login"), {"username": "a", "password": "b"}).status_code == 403


def test_uploaded_files_have_no_public_url(client: Client, world: World) -> None:
    media = Path(settings.MEDIA_ROOT) / "students" / "photos"
    media.mkdir(parents=True, exist_ok=True)
    (media / "anh.jpg").write_bytes(b"\xff\xd8\xff")
    client.force_login(world.principal_a)
    for url in ("/media/students/photos/anh.jpg", "/students/photos/anh.jpg"):
        assert client.get(url).status_code == 404
    assert not getattr(settings, "MEDIA_URL", "").strip("/") or not any(
        str(pattern.pattern).startswith(settings.MEDIA_URL.strip("/"))
        for pattern in __import__("hoso.config.urls", fromlist=["urlpatterns"]).urlpatterns
    )


def test_api_is_rate_limited() -> None:
    rest = settings.REST_FRAMEWORK
    assert "rest_framework.throttling.UserRateThrottle" in rest["DEFAULT_THROTTLE_CLASSES"]
    assert "rest_framework.throttling.AnonRateThrottle" in rest["DEFAULT_THROTTLE_CLASSES"]
    assert set(rest["DEFAULT_THROTTLE_RATES"]) >= {"user", "anon"}


def test_personal_data_is_masked_in_logs() -> None:
    text = scrub(
        'login full_name="Nguyễn Văn An" national_id=001204012345 password=bi-mat '
        "token: abcdef123456 Authorization: Bearer eyJhbGciOi.xyz cccd 079204001234 "
        "mark 8.5 class 10A1"
    )
    for secret in (
        "Nguyễn Văn An",
        "001204012345",
        "bi-mat",
        "abcdef123456",
        "eyJhbGciOi",
        "079204001234",
    ):
        assert secret not in text
    assert "8.5" in text and "10A1" in text
    # A UUID whose last group is all digits is an id of a row, not a person's: kept whole
    path = "Bad Request: /so-diem/543bf5db-1111-4aaa-8bbb-123456789012/hk1/"
    assert scrub(path) == path


def test_the_filter_is_on_the_log_handlers(caplog: object) -> None:
    record = logging.LogRecord(
        "hoso", logging.INFO, __file__, 1, "student %s id %s", ("x", "001204012345"), None
    )
    assert PersonalDataFilter().filter(record)
    assert "001204012345" not in record.getMessage()
    handler = settings.LOGGING["handlers"]["console"]
    assert "personal_data" in handler["filters"]
