"""The rules engine is pure Python: its tests need neither Django nor a database.

``tests/conftest.py`` sets an autouse fixture on pytest-django's ``settings``; it is overridden
here so these tests also run with ``-p no:django`` (the engine writes no files).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp() -> None:
    """Nothing to redirect: the rules engine writes no files."""
