"""The API's tests read the compiled catalogues: DRF's messages in Vietnamese come from
``locale/vi`` (hoso.core.i18n_compile builds the git-ignored ``.mo`` files)."""

from __future__ import annotations

import pytest
from django.utils.translation import trans_real

from hoso.core.i18n_compile import compile_locale


@pytest.fixture(scope="session", autouse=True)
def _catalogues() -> None:
    if compile_locale():
        # A catalogue loaded before the compile (by an earlier test) would hide the new one.
        trans_real._translations = {}
