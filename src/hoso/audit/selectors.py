"""Reads for the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from hoso.accounts.models import User
    from hoso.organizations.models import Unit


def audit_home_unit(*, user: User) -> Unit | None:
    """The unit whose chain records a user's own logins: the unit of the user's oldest role
    assignment valid today (a teacher's school, an officer's office); None — the system chain —
    for an account without any (a superuser, a disabled teacher)."""
    from hoso.accounts.models import RoleAssignment

    today = timezone.localdate()
    assignment = (
        RoleAssignment.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
        .order_by("created_at", "id")
        .first()
    )
    return assignment.unit if assignment is not None else None
