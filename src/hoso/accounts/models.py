"""Personal accounts and role assignments over a scope.

A user holds any number of role assignments; each names a role and the unit of the tree it
applies to (province, district, school), with validity dates (an inspector's is for a period).
Teaching and homeroom rights are narrower still: they come from ``TeachingAssignment`` and
``SchoolClass.homeroom_teacher`` inside the school the teacher's assignment names.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.core.models import TimestampedModel


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Cán bộ Sở GD&ĐT")
    DISTRICT_OFFICER = "district_officer", _("Cán bộ Phòng GD&ĐT")
    PRINCIPAL = "principal", _("Hiệu trưởng")
    VICE_PRINCIPAL = "vice_principal", _("Phó hiệu trưởng")
    SCHOOL_ADMIN = "school_admin", _("Ban Quản trị")
    HOMEROOM_TEACHER = "homeroom_teacher", _("Giáo viên chủ nhiệm")
    SUBJECT_TEACHER = "subject_teacher", _("Giáo viên bộ môn")
    OFFICE_CLERK = "office_clerk", _("Văn phòng")
    INSPECTOR = "inspector", _("Thanh tra")
    PARENT = "parent", _("Cha mẹ học sinh")


class RoleAssignment(TimestampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("đơn vị"),
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["user", "role", "unit"]
        indexes = [models.Index(fields=["unit", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="roleassignment_dates_ordered",
            )
        ]
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ParentLink(TimestampedModel):
    """A parent account linked (by the homeroom teacher) to their own child."""

    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    student = models.ForeignKey(
        "academics.Student", on_delete=models.CASCADE, related_name="parent_links"
    )
    relation = models.CharField(_("quan hệ"), max_length=40, blank=True)
    linked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["parent", "student"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "student"], name="parentlink_unique")
        ]
        verbose_name = _("liên kết phụ huynh")
        verbose_name_plural = _("liên kết phụ huynh")

    def __str__(self) -> str:
        return f"{self.parent} → {self.student}"
