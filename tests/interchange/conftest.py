"""The demo province is seeded once for the ``tests/interchange`` package and removed after it
(as in ``tests/demo``): LC-DEMO holds the classes, students and teaching group of the real
teacher's workbook, so the import tests run on the file as a school has it.

Each test still runs in its own rolled-back transaction (``django_db``) on top of the seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from hoso.demo.seed import SeedSummary, demo_reset, seed_demo


@pytest.fixture(scope="package")
def demo_province(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SeedSummary]:
    with django_db_blocker.unblock():
        summary = seed_demo(reset=True)
    yield summary
    # Other packages expect an empty database. In one transaction: SQLite checks the deferred
    # foreign keys at commit, so the order of the wiped tables does not matter.
    with django_db_blocker.unblock(), transaction.atomic():
        demo_reset()
