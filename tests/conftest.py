"""Settings every test shares: files go to a temporary folder, never into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    # The rules engine's tests run without Django (-p no:django): only touch settings with it.
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db: None) -> object:
    """Two schools and their people (``tests/personas.py``)."""
    # Imported here: the rules engine's tests run without Django, and this file loads for them.
    from tests.personas import build_world

    return build_world()
