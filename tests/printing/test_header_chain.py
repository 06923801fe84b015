"""The print header's parents in one query agree with ``ancestors_of`` (issue 9), at any depth
and on either side of a dated move."""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.organizations.models import Unit, UnitKind, UnitLink
from hoso.organizations.selectors import ancestors_of
from hoso.printing.documents.common import HEADER_LEVELS, header_chain

pytestmark = pytest.mark.django_db

START = dt.date(2000, 1, 1)


def _unit(code: str, kind: UnitKind, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=code, kind=kind)
    if parent is not None:
        UnitLink.objects.create(child=unit, parent=parent, valid_from=START)
    return unit


def test_header_chain_is_ancestors_of_at_every_depth(django_assert_max_num_queries) -> None:
    top = _unit("SO", UnitKind.PROVINCE)
    chain = [top]
    for depth in range(HEADER_LEVELS + 2):  # deeper than one query reads: the fallback too
        chain.append(_unit(f"U{depth}", UnitKind.COMMUNE, chain[-1]))
    school = _unit("TRUONG", UnitKind.SCHOOL, chain[-1])
    day = dt.date(2025, 9, 5)
    for unit in [school, *chain]:
        assert header_chain(unit, day) == ancestors_of(unit, on=day)
    near = _unit("GAN", UnitKind.SCHOOL, chain[1])
    with django_assert_max_num_queries(1):
        assert header_chain(near, day) == [chain[1], top]


def test_header_chain_follows_the_links_of_that_day() -> None:
    province = _unit("SO", UnitKind.PROVINCE)
    district = _unit("PGD", UnitKind.DISTRICT, province)
    school = _unit("TRUONG", UnitKind.SCHOOL)
    UnitLink.objects.create(
        child=school, parent=district, valid_from=START, valid_to=dt.date(2025, 6, 30)
    )
    UnitLink.objects.create(child=school, parent=province, valid_from=dt.date(2025, 7, 1))
    for day in (dt.date(2024, 9, 5), dt.date(2025, 9, 5), dt.date(1999, 1, 1)):
        assert header_chain(school, day) == ancestors_of(school, on=day)
    assert header_chain(school, dt.date(2024, 9, 5)) == [district, province]
    assert header_chain(school, dt.date(2025, 9, 5)) == [province]
