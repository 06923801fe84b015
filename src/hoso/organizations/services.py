"""Writes to the unit tree."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from hoso.organizations.models import Unit, UnitLink


@transaction.atomic
def unit_attach(*, child: Unit, parent: Unit | None, valid_from: dt.date) -> UnitLink | None:
    """Hang ``child`` under ``parent`` from ``valid_from`` on, closing its previous link the day
    before (a reorganisation keeps the old link for past years' reports)."""
    UnitLink.objects.filter(child=child, valid_to__isnull=True).update(
        valid_to=valid_from - dt.timedelta(days=1)
    )
    child.parent = parent
    child.save(update_fields=["parent", "updated_at"])
    if parent is None:
        return None
    return UnitLink.objects.create(child=child, parent=parent, valid_from=valid_from)
