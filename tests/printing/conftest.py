from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _printing_public_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOSO_PUBLIC_URL = "https://hoso.example.vn"
