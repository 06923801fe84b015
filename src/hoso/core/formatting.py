"""How numbers and dates look on screen and in print: decimal comma, dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def decimal_vi(value: Decimal | None) -> str:
    """``Decimal("8.5")`` → ``"8,5"``; ``None`` (not entered) → ``""``."""
    if value is None:
        return ""
    return format(value, "f").replace(".", ",")


def date_vi(value: dt.date | None) -> str:
    """A date as dd/mm/yyyy (``""`` when there is none)."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")
