"""The administrative tree: province department, district office, commune, school.

The tree is data with validity dates: a unit exists from ``valid_from`` to ``valid_to`` and hangs
under a parent through a dated :class:`UnitLink`, so a reorganisation (the 2025 reform removed the
district offices and merged provinces) closes old links and opens new ones while past years'
reports still walk the tree as it was. Nothing here assumes a fixed number of levels.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.core.models import TimestampedModel


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Sở GD&ĐT")
    DISTRICT = "district", _("Phòng GD&ĐT")
    COMMUNE = "commune", _("Xã/phường")
    SCHOOL = "school", _("Trường")


class SchoolType(models.TextChoices):
    PRIMARY = "primary", _("Tiểu học")
    PRIMARY_LOWER = "primary_lower", _("Tiểu học và THCS")
    LOWER = "lower", _("Trung học cơ sở")
    UPPER = "upper", _("Trung học phổ thông")
    MULTI = "multi", _("Nhiều cấp học")
    ETHNIC_BOARDING = "ethnic_boarding", _("Phổ thông dân tộc nội trú")
    CONTINUING = "continuing", _("Trung tâm GDNN-GDTX")


class Unit(TimestampedModel):
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    valid_from = models.DateField(_("hiệu lực từ"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    school_type = models.CharField(
        _("loại trường"), max_length=16, choices=SchoolType.choices, blank=True
    )
    # Grades taught (1–12), for schools only; e.g. [9, 10, 11, 12] for the demo multi-level school.
    grades = models.JSONField(_("các khối lớp"), default=list, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # The direct parent today, kept in step with the open UnitLink for cheap display; scoping and
    # history always go through UnitLink.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind == UnitKind.SCHOOL

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class UnitLink(models.Model):
    """``child`` hangs under ``parent`` from ``valid_from`` to ``valid_to`` (inclusive)."""

    child = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField(default=dt.date(2000, 1, 1))
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child_id", "valid_from"]
        indexes = [models.Index(fields=["parent", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unitlink_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(child=models.F("parent")), name="unitlink_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_id} ({self.valid_from}–{self.valid_to or ''})"
