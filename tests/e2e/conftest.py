"""End-to-end browser tests (issue 10): Playwright driving Debian's Chromium against a real server.

The session starts its own server against a fresh SQLite database in a temporary folder
(``migrate`` + ``seed_demo``, demo mode and DEBUG on so static files are served), whatever
``DATABASE_URL`` the caller has set, and stops it at the end. Run with ``make e2e``; the normal
``make test`` deselects them (``-m "not e2e"`` in pyproject's addopts).

``HOSO_E2E_SCREENSHOTS=1`` writes each flow's key page to ``docs/huong-dan/img/<flow>.png`` (the
user guide's pictures); otherwise screenshots go to the temporary folder, so a normal run never
rewrites committed files.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

# Assertions wait for the page longer than Playwright's 5 s: CI machines here are often loaded.
expect.set_options(timeout=20_000)

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HOSO_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "hoso-demo"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


class Server:
    """The running server and a way to ask its database questions (a ``manage.py`` subprocess)."""

    def __init__(self, url: str, env: dict[str, str], tmp: Path) -> None:
        self.url = url
        self.env = env
        self.tmp = tmp

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def query(self, code: str) -> Any:
        """Run ``code`` in ``manage.py shell``; it must assign ``result`` (JSON-serialisable)."""
        wrapped = code + "\nimport json as _j\nprint('@@E2E@@' + _j.dumps(result, default=str))\n"
        out = self.manage("shell", "-c", wrapped)
        for line in out.splitlines():
            if line.startswith("@@E2E@@"):
                return json.loads(line[len("@@E2E@@") :])
        raise RuntimeError(f"no result from the shell:\n{out[-2000:]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer /healthz:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("hoso-e2e")
    env = dict(os.environ)
    env.update(
        {
            "HOSO_VAR_DIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "DEBUG": "1",
            "HOSO_DEMO": "1",
            "DJANGO_SETTINGS_MODULE": "hoso.config.settings",
            "PYTHONUNBUFFERED": "1",
            # The API's per-user limit must not trip over a fast test.
            "HOSO_API_RATE_USER": "10000/minute",
        }
    )
    env.pop("HOSO_OTP_REQUIRED", None)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    srv = Server(url, env, tmp)
    srv.manage("migrate", "--noinput")
    srv.manage("seed_demo", timeout=600)
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(url, process, log)
        yield srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make e2e` (it installs Debian's chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: Any, server: Server) -> Iterator[Callable[..., Any]]:
    """Open a fresh browser context (its own cookies: one person at one computer)."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None, **kwargs: Any) -> Any:
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
            **kwargs,
        )
        # A script error in a page shows up in the failing test's captured output.
        context.on("weberror", lambda error: print(f"JavaScript error: {error.error}"))  # noqa: T201
        context.set_default_timeout(30_000)
        context.set_default_navigation_timeout(60_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def login(context: Any, server: Server, username: str) -> Any:
    """Log in through the login page as a person does; return the page (on the home page)."""
    page = context.new_page()
    page.goto(server.url + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    return page


def screenshot(page: Any, server: Server, name: str, *, full_page: bool = False) -> Path:
    """Save the flow's key page: into the user guide with HOSO_E2E_SCREENSHOTS=1, else to tmp."""
    if os.environ.get("HOSO_E2E_SCREENSHOTS") == "1":
        folder = REPO / "docs" / "huong-dan" / "img"
    else:
        folder = server.tmp / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
