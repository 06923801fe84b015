"""The account pages a home-page section links to (issue 8), per role: account management and
assignments for the school's leadership and admins, the anomaly reports waiting for them (R8.5,
with the count of new ones), inspectors for the offices (R15.3), parents' accounts for the
homeroom teacher and each child's page for a parent (R12.8). At most three queries per page,
whatever the number of sections (memoised on the user for the request)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoso.accounts.models import ParentLink, Role, RoleAssignment, User

Link = tuple[Any, str]
_MEMO = "_hoso_home_links"


def _memo(user: User) -> dict[str, Any]:
    memo: dict[str, Any] | None = getattr(user, _MEMO, None)
    if memo is None:
        memo = {}
        setattr(user, _MEMO, memo)
    return memo


def _anomaly_count(user: User) -> int:
    from hoso.accounts.selectors import anomaly_new_count

    memo = _memo(user)
    if "anomalies" not in memo:
        memo["anomalies"] = anomaly_new_count(user)
    return int(memo["anomalies"])


def account_links(user: User, grant: RoleAssignment) -> list[Link]:
    role = Role(grant.role)
    links: list[Link] = []
    managed = f"?don-vi={grant.unit.uuid}"
    if role in (Role.PRINCIPAL, Role.SCHOOL_ADMIN, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER):
        links.append((_("Quản lý tài khoản"), reverse("accounts-list") + managed))
        if role in (Role.PRINCIPAL, Role.SCHOOL_ADMIN):
            links.append(
                (_("Phân công giảng dạy, chủ nhiệm"), reverse("accounts-assignments") + managed)
            )
        count = _anomaly_count(user)
        label = (
            _("Báo cáo bất thường")
            if not count
            else _("Báo cáo bất thường (%(count)d mới)") % {"count": count}
        )
        links.append((label, reverse("anomaly-list")))
    if role in (Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER):
        links.append((_("Cấp quyền thanh tra"), reverse("accounts-inspectors")))
    if role == Role.HOMEROOM_TEACHER:
        memo = _memo(user)
        if "homeroom" not in memo:
            from hoso.academics.models import SchoolClass

            memo["homeroom"] = list(
                SchoolClass.objects.filter(homeroom_teacher=user).values_list(
                    "uuid", "name", "school_id"
                )
            )
        for class_uuid, name, school_id in memo["homeroom"]:
            if school_id == grant.unit_id:
                links.append(
                    (
                        _("Tài khoản cha mẹ học sinh lớp %(name)s") % {"name": name},
                        reverse("class-parents", args=[class_uuid]),
                    )
                )
    if role == Role.PARENT:
        memo = _memo(user)
        if "children" not in memo:
            memo["children"] = list(
                ParentLink.objects.filter(parent=user).values_list(
                    "student__uuid", "student__full_name"
                )
            )
        for student_uuid, name in memo["children"]:
            links.append(
                (
                    _("Kết quả học tập của %(name)s") % {"name": name},
                    reverse("child-detail", args=[student_uuid]),
                )
            )
    return links
