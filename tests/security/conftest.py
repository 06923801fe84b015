"""Shared by the security tests: a clean cache (the login rate limit lives there) and a way to
log in through the real login page, as a person would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

PASSWORD = "hoso-test-pw"  # tests/personas.py


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def login(client: Client, username: str, password: str = PASSWORD, **extra: str) -> object:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)
