"""Every demo account of interfaces.md logs in and reaches what its role says, no more."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from hoso.academics.models import SchoolClass, SchoolYear
from hoso.accounts.access import classes_visible, schools_visible, scope_of
from hoso.accounts.models import ParentLink, RoleAssignment, User
from hoso.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from hoso.demo.seed import CURRENT_YEAR, inspector_grant_end

pytestmark = pytest.mark.django_db

INTERFACES_ACCOUNTS = {
    "sogd",
    "phonggd",
    "hieutruong",
    "quantri",
    "vanphong",
    "gvbm.tin",
    "gvcn.12t1",
    "thanhtra",
    "phuhuynh",
    "hieutruong.thpt-demo",
}
WORKBOOK_CLASSES = {"12T1", "9H01", "9H02", "10A1", "10A2", "10F1", "10F2"}


def user(username: str) -> User:
    # A fresh object each time: scopes are cached on the user instance.
    return User.objects.get(username=username)


def visible_class_names(username: str) -> set[str]:
    return set(classes_visible(user(username)).values_list("name", flat=True))


def test_every_demo_account_logs_in_with_the_demo_password() -> None:
    usernames = {a.username for a in DEMO_ACCOUNTS}
    assert usernames >= INTERFACES_ACCOUNTS
    for account in DEMO_ACCOUNTS:
        found = user(account.username)
        assert found.full_name == account.full_name and len(found.full_name.split()) >= 3
        grants = set(RoleAssignment.objects.filter(user=found).values_list("role", "unit__code"))
        assert grants == {(role.value, account.unit_code) for role in account.roles}
        if account.username in INTERFACES_ACCOUNTS:
            assert Client().login(username=account.username, password=DEMO_PASSWORD), account
        else:
            # Argon2 costs a fifth of a second a login: the others share the very same hash.
            assert found.password == user("sogd").password
    assert not Client().login(username="sogd", password="sai-mat-khau")


def test_each_other_school_has_a_principal_and_a_teacher() -> None:
    for code in ("th-demo", "thcs-demo", "thpt-demo"):
        assert user(f"hieutruong.{code}")
        teacher = user(f"gv.{code}")
        assert teacher.homeroom_classes.exists()
        assert teacher.teaching_assignments.exists()
        assert classes_visible(teacher).exists()


def test_district_officer_reaches_only_the_schools_of_pga_a() -> None:
    officer = user("phonggd")
    assert set(schools_visible(officer).values_list("code", flat=True)) == {
        "TH-DEMO",
        "THCS-DEMO",
    }
    schools = set(classes_visible(user("phonggd")).values_list("school__code", flat=True))
    assert schools == {"TH-DEMO", "THCS-DEMO"}


def test_province_officer_reaches_every_school() -> None:
    codes = set(schools_visible(user("sogd")).values_list("code", flat=True))
    assert codes == {"TH-DEMO", "THCS-DEMO", "THPT-DEMO", "LC-DEMO", "TH-DEMO-B"}


def test_subject_teacher_sees_exactly_the_classes_of_their_groups() -> None:
    teacher = user("gvbm.tin")
    classes = classes_visible(teacher)
    assert set(classes.values_list("school__code", flat=True)) == {"LC-DEMO"}
    # 12T1, 9H01, 9H02 as whole classes; the four grade-10 classes through MUL10L3.
    assert set(classes.values_list("name", flat=True)) == WORKBOOK_CLASSES
    assert len(scope_of(teacher).teaching_pairs) == 4


def test_principal_sees_the_seven_classes_of_lc_demo() -> None:
    classes = classes_visible(user("hieutruong"))
    assert set(classes.values_list("school__code", flat=True)) == {"LC-DEMO"}
    assert set(classes.values_list("name", flat=True)) == WORKBOOK_CLASSES
    assert classes.count() == 7


def test_homeroom_teacher_sees_12t1_only() -> None:
    assert visible_class_names("gvcn.12t1") == {"12T1"}
    assert SchoolClass.objects.get(name="12T1").homeroom_teacher == user("gvcn.12t1")


def test_parent_is_linked_to_one_student_of_12t1() -> None:
    (link,) = ParentLink.objects.filter(parent=user("phuhuynh"))
    assert link.student.enrollments.get().school_class.name == "12T1"
    assert link.student.father_name == user("phuhuynh").full_name
    assert scope_of(user("phuhuynh")).child_student_ids == {link.student_id}


def test_inspector_is_granted_for_a_period_that_covers_today() -> None:
    (grant,) = RoleAssignment.objects.filter(user__username="thanhtra")
    assert grant.unit.code == "SO-DEMO"
    assert grant.valid_from == dt.date(2025, 9, 5)
    assert grant.valid_to == inspector_grant_end(SchoolYear.objects.get(name=CURRENT_YEAR))
    assert len(scope_of(user("thanhtra"), on=dt.date(2026, 3, 1)).school_ids) > 5
    assert len(scope_of(user("thanhtra")).school_ids) > 5  # today, whatever the date
    assert not scope_of(user("thanhtra"), on=dt.date(2025, 8, 1)).school_ids
    assert not scope_of(user("thanhtra"), on=grant.valid_to + dt.timedelta(days=1)).school_ids


@pytest.mark.parametrize(
    ("today", "end"),
    [
        (dt.date(2026, 3, 1), dt.date(2026, 5, 31)),
        (dt.date(2026, 7, 1), dt.date(2027, 5, 31)),
        (dt.date(2026, 12, 3), dt.date(2027, 5, 31)),
    ],
)
def test_inspector_grant_end(today: dt.date, end: dt.date) -> None:
    year = SchoolYear(
        name="2025-2026", start_date=dt.date(2025, 9, 5), end_date=dt.date(2026, 5, 31)
    )
    assert inspector_grant_end(year, today) == end


def test_seed_demo_if_empty_leaves_existing_data() -> None:
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "không tạo lại" in out.getvalue()
    assert SchoolClass.objects.filter(year__name=CURRENT_YEAR).count() == 53


def test_demo_accounts_are_printed_in_demo_mode_only(settings: object) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in INTERFACES_ACCOUNTS:
        assert username in text
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert "gvbm.tin" not in out.getvalue() and DEMO_PASSWORD not in out.getvalue()


def test_seed_demo_refuses_outside_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="Không ở chế độ demo"):
        call_command("seed_demo", "--reset", stdout=StringIO())
