"""Personal accounts and role assignments over a scope.

A user holds any number of role assignments; each names a role and the unit of the tree it
applies to (province, district, school), with validity dates (an inspector's is for a period).
Teaching and homeroom rights are narrower still: they come from ``TeachingAssignment`` and
``SchoolClass.homeroom_teacher`` inside the school the teacher's assignment names.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.core.models import TimestampedModel


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    # The unit whose account list shows the account (the school or office that created it, R11.2);
    # it stays listed there while it has no role, so it can be given one again or disabled.
    home_unit = models.ForeignKey(
        "organizations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị quản lý tài khoản"),
    )
    # Set when someone else chose the password (a new account, a reset): changed at next login.
    password_change_required = models.BooleanField(_("phải đổi mật khẩu"), default=False)

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


class LoginRecord(models.Model):
    """One login attempt through the login page (issue 8: each user sees their login history)."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="login_records"
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150)
    occurred_at = models.DateTimeField(_("thời điểm"))
    ip_address = models.CharField(_("địa chỉ IP"), max_length=45, blank=True)
    user_agent = models.CharField(_("trình duyệt/ứng dụng"), max_length=300, blank=True)
    success = models.BooleanField(_("thành công"))

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["user", "-occurred_at"], name="loginrecord_user_time")]
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("lịch sử đăng nhập")

    def __str__(self) -> str:
        return f"{self.username} {self.occurred_at:%Y-%m-%d %H:%M} {self.ip_address}"


class UserSession(models.Model):
    """A logged-in session of one account (R8.1: accounts are not shared).

    ``flagged`` marks a session opened from another address while an earlier session of the same
    account was still active: shown to the person and listed for the school's admins.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=64, unique=True)
    ip_address = models.CharField(_("địa chỉ IP"), max_length=45, blank=True)
    user_agent = models.CharField(_("trình duyệt/ứng dụng"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("bắt đầu"))
    last_seen = models.DateTimeField(_("hoạt động gần nhất"))
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    flagged = models.BooleanField(_("đăng nhập đồng thời từ địa chỉ khác"), default=False)
    # The addresses of the other sessions that were active when this one began.
    other_addresses = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "ended_at"], name="usersession_user_open")]
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")

    def __str__(self) -> str:
        return f"{self.user} {self.ip_address} {self.created_at:%Y-%m-%d %H:%M}"


class AnomalyStatus(models.TextChoices):
    NEW = "new", _("Mới")
    SEEN = "seen", _("Đã xem")


class AnomalyReport(TimestampedModel):
    """ "Báo cáo bất thường" (R8.5): what a user saw, on which page, when."""

    reporter = models.ForeignKey(User, on_delete=models.PROTECT, related_name="anomaly_reports")
    school = models.ForeignKey(
        "organizations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    page_url = models.CharField(_("trang"), max_length=500)
    seen_at = models.DateTimeField(_("thời điểm nhìn thấy"))
    description = models.TextField(_("mô tả"))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=AnomalyStatus.choices, default=AnomalyStatus.NEW
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "status"], name="anomaly_school_status")]
        verbose_name = _("báo cáo bất thường")
        verbose_name_plural = _("báo cáo bất thường")

    def __str__(self) -> str:
        return f"{self.reporter} {self.page_url} {self.seen_at:%Y-%m-%d %H:%M}"
