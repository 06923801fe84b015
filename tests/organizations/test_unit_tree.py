"""The unit tree: any depth, dated links, and the 2025 reform that removed the district level."""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.organizations.models import Unit, UnitKind, UnitLink
from hoso.organizations.selectors import ancestors_of, schools_under, unit_ids_under
from hoso.organizations.services import unit_attach

pytestmark = pytest.mark.django_db

BEFORE_REFORM = dt.date(2024, 9, 5)
AFTER_REFORM = dt.date(2025, 9, 5)
REFORM_DAY = dt.date(2025, 7, 1)


def make_unit(code: str, kind: UnitKind, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.create(code=code, name=code, kind=kind)
    if parent is not None:
        unit_attach(child=unit, parent=parent, valid_from=dt.date(2000, 1, 1))
    return unit


def test_given_province_district_school_then_each_level_reaches_the_schools_below() -> None:
    province = make_unit("SO", UnitKind.PROVINCE)
    district = make_unit("PGD", UnitKind.DISTRICT, province)
    school_a = make_unit("TH-A", UnitKind.SCHOOL, district)
    school_b = make_unit("THPT-B", UnitKind.SCHOOL, province)

    assert set(schools_under([province.id], on=AFTER_REFORM)) == {school_a, school_b}
    assert set(schools_under([district.id], on=AFTER_REFORM)) == {school_a}
    assert set(schools_under([school_b.id], on=AFTER_REFORM)) == {school_b}


def test_given_the_district_is_closed_then_past_years_still_see_the_tree_as_it_was() -> None:
    province = make_unit("SO", UnitKind.PROVINCE)
    district = make_unit("PGD", UnitKind.DISTRICT, province)
    school = make_unit("THCS", UnitKind.SCHOOL, district)

    # when: the reform moves the school directly under the province
    unit_attach(child=school, parent=province, valid_from=REFORM_DAY)

    assert unit_ids_under([district.id], on=BEFORE_REFORM) == {district.id, school.id}
    assert unit_ids_under([district.id], on=AFTER_REFORM) == {district.id}
    assert ancestors_of(school, on=BEFORE_REFORM) == [district, province]
    assert ancestors_of(school, on=AFTER_REFORM) == [province]
    old_link = UnitLink.objects.get(child=school, parent=district)
    assert old_link.valid_to == REFORM_DAY - dt.timedelta(days=1)


def test_nothing_assumes_three_levels() -> None:
    # ministry → province → district → commune → school: five levels, and the walk still finds it
    ministry = make_unit("BO", UnitKind.PROVINCE)
    province = make_unit("SO", UnitKind.PROVINCE, ministry)
    district = make_unit("PGD", UnitKind.DISTRICT, province)
    commune = make_unit("XA", UnitKind.COMMUNE, district)
    school = make_unit("TH", UnitKind.SCHOOL, commune)

    assert list(schools_under([ministry.id])) == [school]
    assert ancestors_of(school) == [commune, district, province, ministry]


def test_a_school_with_no_parent_is_its_own_scope() -> None:
    school = make_unit("TH-LONE", UnitKind.SCHOOL)
    assert list(schools_under([school.id])) == [school]
    assert ancestors_of(school) == []
