"""Deadline-day teachers for Locust (run by ``bench.deadline_day``, not by hand).

Each simulated teacher logs in (session cookie + CSRF token), opens their grid
(``/so-diem/<assignment>/hk2/``), reads each cell's version from the page, then saves whole
regular columns (``POST …/luu``, 40–45 marks each) with the versions their screen shows. The plan
(``BENCH_LOCUST_PLAN``, written by ``bench.deadline_day``) pairs some users on the same
assignment — the same teacher in two browsers — so they edit the same cells: one of two
concurrent saves is refused with 409 (stale), the loser re-reads the version from the refusal
and saves again later. Every accepted cell (its version and text) is appended to
``BENCH_LOCUST_LOG``-<pid>.jsonl for the check afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN: list[dict[str, Any]] = json.loads(Path(os.environ["BENCH_LOCUST_PLAN"]).read_text())
LOG_PREFIX = os.environ["BENCH_LOCUST_LOG"]
CELL = re.compile(
    r'data-enrollment="([0-9a-f-]{36})" data-kind="(\w+)" data-index="(\d+)" '
    r'data-version="(\d+)"'
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_slots = itertools.count()
_log: Any = None
_counts = {"stale": 0, "saved": 0, "other": 0}


def _write(record: dict[str, Any]) -> None:
    global _log
    if _log is None:
        _log = open(f"{LOG_PREFIX}-{os.getpid()}.jsonl", "a")  # noqa: SIM115
    _log.write(json.dumps(record) + "\n")


@events.test_stop.add_listener
def _flush(**_: Any) -> None:
    _write({"counts": _counts})
    if _log is not None:
        _log.flush()


class Teacher(HttpUser):
    wait_time = between(0.1, 0.6)

    def on_start(self) -> None:
        runner = self.environment.runner
        index = getattr(runner, "worker_index", 0)
        workers = int(os.environ.get("BENCH_LOCUST_PROCESSES", "1"))
        slot = index + workers * next(_slots)
        self.plan = PLAN[slot % len(PLAN)]
        self.rng = random.Random(slot)
        self.versions: dict[tuple[str, str, int], int] = {}
        if slot > 0 and self.plan.get("session"):
            # A session made beforehand (bench.deadline_day): no Argon2 in the measured window.
            self.client.cookies.set("sessionid", self.plan["session"])
            self.open_grid()
            return
        page = self.client.get("/dang-nhap/", name="login page")
        token = CSRF_INPUT.search(page.text)
        self.client.post(
            "/dang-nhap/",
            data={
                "username": self.plan["username"],
                "password": self.plan["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.client.base_url + "/dang-nhap/"},
            name="login",
        )
        self.open_grid()

    @property
    def grid_url(self) -> str:
        return f"/so-diem/{self.plan['assignment']}/hk2/"

    def open_grid(self) -> None:
        page = self.client.get(self.grid_url, name="open grid")
        for enrollment, kind, index, version in CELL.findall(page.text):
            self.versions[(enrollment, kind, int(index))] = int(version)
        self.csrf = self.client.cookies.get("csrftoken", "")

    @task(1)
    def reopen(self) -> None:
        self.open_grid()

    @task(9)
    def save_column(self) -> None:
        index = self.rng.choice(self.plan["columns"])
        cells = []
        for enrollment in self.plan["enrollments"]:
            key = (enrollment, "regular", index)
            value = self.rng.randrange(0, 21) / 2
            cells.append(
                {
                    "enrollment": enrollment,
                    "kind": "regular",
                    "index": index,
                    "text": f"{value:.1f}".replace(".", ","),
                    "base_version": self.versions.get(key, 0),
                }
            )
        with self.client.post(
            self.grid_url + "luu",
            data=json.dumps({"cells": cells}),
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": self.csrf,
                "Referer": self.client.base_url + self.grid_url,
            },
            name="save column",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                body = response.json()
                for cell in body.get("saved", []):
                    self.versions[(cell["enrollment"], cell["kind"], cell["index"])] = cell[
                        "version"
                    ]
                _write(
                    {
                        "assignment": self.plan["assignment"],
                        "saved": [
                            [c["enrollment"], c["kind"], c["index"], c["version"], c["text"]]
                            for c in body.get("saved", [])
                        ],
                        "unchanged": body.get("unchanged", 0),
                    }
                )
                _counts["saved"] += 1
                response.success()
            elif response.status_code == 409:
                # Expected when two users edit the same cells: take the current versions.
                for problem in response.json().get("problems", []):
                    if problem.get("current_version") is not None:
                        key = (problem["enrollment"], problem["kind"], problem["index"])
                        self.versions[key] = problem["current_version"]
                _counts["stale"] += 1
                response.success()
            else:
                _counts["other"] += 1
                response.failure(f"HTTP {response.status_code}")
