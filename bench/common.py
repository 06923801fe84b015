"""What every benchmark shares: the bench database, Django set-up, results on disk, machine facts.

Each benchmark writes its figures to ``var/bench/<name>.json`` (with the exact command that made
them); ``python -m bench.report`` turns those files into ``docs/performance.md``.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).absolute().parent.parent
RESULTS = REPO / "var" / "bench"
BENCH_VAR = RESULTS / "runtime"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hoso_bench"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def database_url(value: str | None = None) -> str:
    return value or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL


def admin_url(url: str) -> str:
    """The same server's ``postgres`` database (to create or drop the bench database)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def libpq_url(url: str) -> str:
    """psycopg and pgbench want ``postgresql://``; dj-database-url accepts both."""
    return url.replace("postgres://", "postgresql://", 1)


def setup_django(url: str, *, debug: bool = False) -> None:
    """Point Django at the bench database (before anything imports the settings) and set it up."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DEBUG"] = "true" if debug else "false"
    # Production-like settings that do not need TLS in front (loopback only).
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
    os.environ.setdefault("HOSO_DEMO", "true")  # second factor waived, as in the demo
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")  # persistent connections, as in production
    # Static files and uploads of the bench server live apart from the developer's var/.
    os.environ.setdefault("HOSO_VAR_DIR", str(BENCH_VAR))
    import django

    django.setup()


def collectstatic() -> None:
    """The manifest that ``DEBUG=false`` serves from (once per run, quietly)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def say(text: str) -> None:
    """A line of a benchmark's report on standard output."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def command_line() -> str:
    """How this benchmark was started, as one would type it."""
    return shlex.join([".venv/bin/python", "-m", _module_name(), *sys.argv[1:]])


def _module_name() -> str:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return spec.name if spec is not None else Path(sys.argv[0]).stem


def module_command(module: str, args: list[str]) -> str:
    return shlex.join([".venv/bin/python", "-m", module, *args])


def result_write(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"name": name, "taken_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"), **data}
    data.setdefault("load_before", os.getloadavg())
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def result_read(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _run(args: list[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine_info(url: str | None = None) -> dict[str, Any]:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": _run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(_run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"])),
        "load": os.getloadavg(),
    }
    if url:
        info["postgresql"] = _run(["psql", libpq_url(url), "-Atc", "select version()"])
    return info


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as t: …`` then ``t[0]`` is the elapsed seconds."""
    box: list[float] = []
    started = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[position]


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
