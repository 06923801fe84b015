"""Every printed document is recorded (issue 7, R2.2, R6.1): who printed what, when, the SHA-256 of
the file and a fingerprint of the data it showed, so its verification page can say whether the
file is the one issued and whether the data has changed since.

Rows are written only by :mod:`hoso.printing.services` (one audit event per print or batch).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoso.core.models import TimestampedModel


class PrintedDocument(TimestampedModel):
    # Short code printed under the QR code on every page ("K7QF-M2XD"); the public URL key.
    code = models.CharField(_("mã xác minh"), max_length=16, unique=True)
    form = models.CharField(_("mẫu"), max_length=32)
    title = models.CharField(_("tên văn bản"), max_length=300)
    school = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("trường")
    )
    year = models.ForeignKey(
        "academics.SchoolYear", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the print is about: a class, a student or a teacher (the others stay empty).
    school_class = models.ForeignKey(
        "academics.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey(
        "academics.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The rest of the request (semester, month, checkpoint …), to rebuild the data for "changed".
    parameters = models.JSONField(default=dict, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The printer's role at the time (shown publicly instead of the name).
    printed_by_role = models.CharField(_("vai trò người in"), max_length=120, blank=True)
    printed_at = models.DateTimeField(_("thời điểm in"))
    ad_hoc = models.BooleanField(_("in đột xuất"), default=False)
    reason = models.CharField(_("lý do in"), max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64, db_index=True)
    data_fingerprint = models.CharField(_("SHA-256 của dữ liệu"), max_length=64)
    pages = models.PositiveIntegerField(_("số trang"), default=0)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    batch = models.ForeignKey(
        "PrintBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )

    class Meta:
        ordering = ["-printed_at", "-id"]
        indexes = [models.Index(fields=["school", "printed_at"])]
        verbose_name = _("văn bản đã in")
        verbose_name_plural = _("văn bản đã in")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class BatchState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang in")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


class PrintBatch(TimestampedModel):
    """A batch print (R6.1: the office prints a whole class's transcripts, or the whole school's
    when ``school_class`` is empty): progress for the bar, the zip when done. Run inline in the
    embedded mode; a Celery task wraps the same function."""

    form = models.CharField(max_length=32)
    school = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("academics.SchoolYear", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "academics.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=8, choices=BatchState.choices, default=BatchState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    archive = models.FileField(upload_to="printing/batches/", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lượt in hàng loạt")
        verbose_name_plural = _("lượt in hàng loạt")

    def __str__(self) -> str:
        return f"{self.form} {self.school_class or self.school} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
