"""The demo province is seeded once for the whole ``tests/demo`` package and removed after it.

Each test still runs in its own rolled-back transaction (``django_db``), on top of the seeded
data; the seed itself is committed so it is built once (about two seconds), not per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hoso.demo.seed import SeedSummary, demo_reset, seed_demo


@pytest.fixture(scope="package", autouse=True)
def demo_province(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SeedSummary]:
    with django_db_blocker.unblock():
        summary = seed_demo(reset=True)
    yield summary
    # Other packages expect an empty database.
    with django_db_blocker.unblock():
        demo_reset()
