"""Reads over the unit tree: who is under whom on a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from hoso.organizations.models import Unit, UnitKind, UnitLink

# A guard, not an assumption about the tree: no real hierarchy is anywhere near this deep.
MAX_DEPTH = 12


def today() -> dt.date:
    return timezone.localdate()


def _links_on(day: dt.date) -> QuerySet[UnitLink]:
    return UnitLink.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def unit_ids_under(roots: Iterable[int], *, on: dt.date | None = None) -> set[int]:
    """The roots and every unit below them on that day, whatever the depth (one query a level)."""
    day = on or today()
    found = set(roots)
    frontier = set(found)
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        children = set(
            _links_on(day).filter(parent_id__in=frontier).values_list("child_id", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def schools_under(roots: Iterable[int], *, on: dt.date | None = None) -> QuerySet[Unit]:
    """The schools at or below the given units on that day."""
    return Unit.objects.filter(id__in=unit_ids_under(roots, on=on), kind=UnitKind.SCHOOL).order_by(
        "code"
    )


def ancestors_of(unit: Unit, *, on: dt.date | None = None) -> list[Unit]:
    """The chain of parents of a unit on that day, nearest first."""
    day = on or today()
    chain: list[Unit] = []
    current_id = unit.id
    for _ in range(MAX_DEPTH):
        link = _links_on(day).filter(child_id=current_id).select_related("parent").first()
        if link is None:
            break
        chain.append(link.parent)
        current_id = link.parent_id
    return chain
