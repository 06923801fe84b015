"""What the home page lists for a person: their roles, and what each lets them do, in scope."""

from __future__ import annotations

from typing import Any

from hoso.academics.models import SchoolYear
from hoso.accounts.access import classes_visible, schools_visible, scope_of
from hoso.accounts.models import User


def home_context(user: User) -> dict[str, Any]:
    scope = scope_of(user)
    year = SchoolYear.objects.order_by("-start_date").first()
    classes = list(classes_visible(user, year_id=year.id if year else None)[:200])
    return {
        "grants": scope.grants,
        "year": year,
        "schools": list(schools_visible(user)[:200]),
        "classes": classes,
        "homeroom_class_ids": scope.homeroom_class_ids,
        "teaching_class_ids": scope.teaching_class_ids,
    }
