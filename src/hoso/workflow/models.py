"""Correction requests, their evidence and approval, and what must be re-issued after one
(issue 6; R4.3, R4.6a, R4.6b, R5.4, R14.6).

A request (phiếu đề nghị sửa điểm) is filed by the subject teacher for submitted or locked marks of
one of their teaching assignments, in one semester. The principal — or a vice principal the
principal delegated to — approves or rejects it; on approval the new values are written by
``correction_apply`` (at once, or by the admin in charge, as the school configures: R14.6).

Only the services of this app write these tables (style.md: "Services write").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoso.core.models import TimestampedModel


class CorrectionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ sửa")
    REJECTED = "rejected", _("Không duyệt")
    APPLIED = "applied", _("Đã sửa")


class CorrectionPath(models.TextChoices):
    # R4.6a: the teacher's request, until one week before the end-of-semester test.
    TEACHER_REQUEST = "R4.6a", _("Phiếu đề nghị sửa điểm (R4.6a)")
    # R4.3 / R4.6b: after that, or once the book is locked: principal's consent, a correction
    # record, the admin in charge and the requester.
    CORRECTION_RECORD = "R4.3", _("Sửa dữ liệu theo biên bản (R4.3)")


class CorrectionRequest(TimestampedModel):
    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    semester = models.PositiveSmallIntegerField(_("học kì"), choices=[(1, "I"), (2, "II")])
    # Every item belongs to this teaching assignment (one subject, one class or group).
    assignment = models.ForeignKey(
        "academics.TeachingAssignment", on_delete=models.PROTECT, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đề nghị"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.SUBMITTED,
    )
    path = models.CharField(_("căn cứ"), max_length=8, choices=CorrectionPath.choices)
    reason = models.TextField(_("lí do"))
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    approver_comment = models.TextField(_("ý kiến người duyệt"), blank=True)
    decided_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)
    # R4.3: the admin in charge of the correction (named by the requester on that path; on the
    # R4.6a path the admin who applies it, when the school has admins apply corrections).
    admin_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quản trị phụ trách"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    applied_at = models.DateTimeField(_("thời điểm sửa"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "status"], name="correction_school_status"),
            models.Index(fields=["requester", "-created_at"], name="correction_requester"),
        ]
        verbose_name = _("phiếu đề nghị sửa điểm")
        verbose_name_plural = _("phiếu đề nghị sửa điểm")

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        """A short number for people (the full UUID is the audit events' ``approval_ref``)."""
        return f"SĐ-{str(self.uuid)[:8].upper()}"


class CorrectionItem(models.Model):
    """One mark of a request: the value it had when the request was filed, and the new one."""

    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="items")
    mark = models.ForeignKey("assessment.Mark", on_delete=models.PROTECT, related_name="+")
    old_text = models.CharField(_("điểm cũ"), max_length=8, blank=True)
    # As the teacher typed it ("8,5", "đạt"), and as it will be recorded.
    new_text = models.CharField(_("điểm mới (như đã gõ)"), max_length=16)
    new_value = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    new_comment = models.CharField(max_length=2, blank=True)
    # The mark's version when the request was filed: applying refuses a mark changed since.
    base_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "mark"], name="correction_item_once"),
            models.CheckConstraint(
                condition=Q(new_value__isnull=True) | (Q(new_value__gte=0) & Q(new_value__lte=10)),
                name="correction_item_value_0_10",
            ),
        ]
        verbose_name = _("điểm đề nghị sửa")
        verbose_name_plural = _("điểm đề nghị sửa")

    def __str__(self) -> str:
        return f"{self.mark_id}: {self.old_text!r} → {self.new_text!r}"

    @property
    def new_display(self) -> str:
        if self.new_value is not None:
            return format(self.new_value, "f").replace(".", ",")
        return self.new_comment


class EvidenceKind(models.TextChoices):
    TEST_PAPER = "test_paper", _("Bài kiểm tra của học sinh")
    PERSONAL_BOOK = "personal_book", _("Sổ cá nhân của giáo viên")
    CLASS_LOG = "class_log", _("Xác nhận sổ đầu bài")
    CLASS_CONFIRMATION = "class_confirmation", _("Xác nhận của đại diện lớp")


def evidence_path(instance: CorrectionEvidence, filename: str) -> str:
    """A path nobody can guess: the school's UUID and the evidence's own UUID; the extension
    comes from the content, never from the uploaded name."""
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(
        instance.content_type, ".bin"
    )
    return f"corrections/{instance.request.school.uuid}/{instance.uuid.hex}{extension}"


class CorrectionEvidence(TimestampedModel):
    """A photo or PDF kept as evidence (R4.6a). Served only through a permission-checked view."""

    request = models.ForeignKey(
        CorrectionRequest, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    kind = models.CharField(_("loại minh chứng"), max_length=20, choices=EvidenceKind.choices)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class ApprovalDelegation(TimestampedModel):
    """The principal lets a vice principal approve correction requests, for a period."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["school", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="delegation_dates_ordered",
            )
        ]
        verbose_name = _("ủy quyền duyệt sửa điểm")
        verbose_name_plural = _("ủy quyền duyệt sửa điểm")

    def __str__(self) -> str:
        return f"{self.principal_id} → {self.delegate_id} từ {self.valid_from:%d/%m/%Y}"


class ApplyMode(models.TextChoices):
    ON_APPROVAL = "on_approval", _("Sửa ngay khi Hiệu trưởng duyệt")
    BY_ADMIN = "by_admin", _("Ban Quản trị sửa sau khi duyệt (R14.6)")


class WorkflowSettings(TimestampedModel):
    """A school's choice of who writes an approved correction (R11.3, R14.6)."""

    school = models.OneToOneField(
        "organizations.Unit", on_delete=models.CASCADE, related_name="workflow_settings"
    )
    apply_mode = models.CharField(
        _("ai sửa điểm sau khi duyệt"),
        max_length=12,
        choices=ApplyMode.choices,
        default=ApplyMode.ON_APPROVAL,
    )

    class Meta:
        ordering = ["school"]
        verbose_name = _("cài đặt sửa điểm")
        verbose_name_plural = _("cài đặt sửa điểm")

    def __str__(self) -> str:
        return f"{self.school_id}: {self.apply_mode}"


class ReissueWhat(models.TextChoices):
    CLASS_RESULTS = "class_results", _("Kết quả của lớp")
    TRANSCRIPT = "transcript", _("Trang học bạ")
    PROVINCE_SUBMISSION = "province_submission", _("Dữ liệu đã gửi Sở/Phòng")


class ReissueFlag(TimestampedModel):
    """Something derived from corrected marks that must be issued again (R4.6b): the class's
    results, a student's transcript page, the data sent to the province. Set by
    ``correction_apply``; cleared (``resolved_at``) by whoever re-issues it."""

    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=20, choices=ReissueWhat.choices)
    school_class = models.ForeignKey(
        "academics.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrollment = models.ForeignKey(
        "academics.Enrollment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300)
    correction = models.ForeignKey(
        CorrectionRequest, on_delete=models.PROTECT, related_name="reissue_flags"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["school", "what", "id"]
        indexes = [models.Index(fields=["school", "resolved_at"], name="reissue_school_open")]
        verbose_name = _("cần cấp lại")
        verbose_name_plural = _("cần cấp lại")

    def __str__(self) -> str:
        return f"{self.get_what_display()} ({self.reason})"
