from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from hoso.core.formatting import date_vi, decimal_vi

register = template.Library()


@register.filter
def vi_decimal(value: Decimal | None) -> str:
    return decimal_vi(value)


@register.filter
def vi_date(value: dt.date | None) -> str:
    return date_vi(value)


@register.filter
def timeuntil_vi(value: dt.timedelta | None) -> str:
    """A waiting time in words: ``1 giờ``, ``30 phút``, ``1 giờ 30 phút``."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} giờ"] if hours else []
    if minutes or not parts:
        parts.append(f"{minutes} phút")
    return " ".join(parts)
