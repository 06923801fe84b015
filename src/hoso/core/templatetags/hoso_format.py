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
