"""Periodic reports up the tree: templates an administrator keeps as data, the requests a superior sends to
organisations of its subtree, and each organisation's report (narrative sections and figures)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import ReferenceQuerySet
from dangvu.core.scoping import RestrictedQuerySet


class ReportTemplate(models.Model):
    """A kind of periodic report: the indicators (statistics keys with the label printed in the report) and
    the narrative sections (title, guidance for the writer). Requests copy them when issued, so editing a
    template never changes a request already sent."""

    code = models.SlugField(_("mã mẫu"), max_length=60, unique=True)
    name = models.CharField(_("tên mẫu báo cáo"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    # [{"key": "members.total", "label": "Tổng số đảng viên"}, ...]
    indicators = models.JSONField(_("chỉ tiêu số liệu"), default=list, blank=True)
    # [{"title": "Tình hình chung", "guidance": "..."}, ...]
    sections = models.JSONField(_("phần nội dung"), default=list, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        ordering = ["-active", "name"]

    def __str__(self) -> str:
        return self.name


class RequestState(models.TextChoices):
    OPEN = "open", _("Đang nhận báo cáo")
    CLOSED = "closed", _("Đã đóng")


class ReportRequestQuerySet(RestrictedQuerySet):
    """A request is seen by those who see its issuing organisation (the superior's office, its inspection
    commission); the recipients see their own reports, not the request as a whole."""

    scope_org_field = "issuer"


class ReportRequest(models.Model):
    """A superior asks organisations of its subtree for a report over a period, by a due date. Never deleted:
    a request is closed."""

    issuer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("cấp yêu cầu"),
        on_delete=models.PROTECT,
        related_name="report_requests",
    )
    template = models.ForeignKey(
        ReportTemplate,
        verbose_name=_("mẫu báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    title = models.CharField(_("tên báo cáo"), max_length=300)
    indicators = models.JSONField(_("chỉ tiêu số liệu"), default=list, blank=True)
    sections = models.JSONField(_("phần nội dung"), default=list, blank=True)
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("kỳ báo cáo đến ngày"))
    due_on = models.DateField(_("hạn nộp"))
    note = models.TextField(_("ghi chú"), blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="reports_request_period_ordered",
                violation_error_message=_("Kỳ báo cáo: ngày cuối kỳ phải sau ngày đầu kỳ."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("period_start")),
                name="reports_request_due_after_start",
                violation_error_message=_("Hạn nộp phải sau ngày đầu kỳ báo cáo."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")


class Standing(models.TextChoices):
    """Where a report stands against its due date (computed, never stored)."""

    ON_TIME = "on_time", _("Đã nộp")
    LATE = "late", _("Nộp muộn")
    MISSING = "missing", _("Chưa nộp, quá hạn")
    PENDING = "pending", _("Chưa nộp")


class ReportSubmissionQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"

    def submitted(self):
        return self.filter(state=SubmissionState.SUBMITTED)

    def outstanding(self):
        return self.exclude(state=SubmissionState.SUBMITTED)


class ReportSubmission(models.Model):
    """One organisation's report for one request: its narrative (one text per section of the request), its
    figures (``ReportFigure``), and whether and when it was submitted."""

    request = models.ForeignKey(
        ReportRequest, verbose_name=_("yêu cầu báo cáo"), on_delete=models.PROTECT, related_name="submissions"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("tổ chức báo cáo"),
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    narrative = models.JSONField(_("nội dung"), default=list, blank=True)
    figures_on = models.DateField(_("số liệu tính đến ngày"))
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    objects = ReportSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["request_id", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["request", "organisation"], name="reports_one_per_organisation"),
            models.CheckConstraint(
                condition=~Q(state="submitted") | Q(submitted_at__isnull=False),
                name="reports_submitted_has_time",
                violation_error_message=_("Báo cáo đã nộp phải có thời điểm nộp."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.title} — {self.organisation.name}"

    @property
    def is_editable(self) -> bool:
        return self.state != SubmissionState.SUBMITTED and self.request.is_open

    @property
    def submitted_on(self) -> dt.date | None:
        return timezone.localdate(self.submitted_at) if self.submitted_at else None

    def standing(self, today: dt.date | None = None) -> Standing:
        due = self.request.due_on
        if self.state == SubmissionState.SUBMITTED:
            return Standing.LATE if self.submitted_on > due else Standing.ON_TIME
        return Standing.MISSING if due < (today or timezone.localdate()) else Standing.PENDING

    def sections_with_text(self) -> list[tuple[dict, str]]:
        """(section, text) for every section of the request."""
        texts = list(self.narrative) + [""] * len(self.request.sections)
        return list(zip(self.request.sections, texts, strict=False))


class ReportFigureQuerySet(RestrictedQuerySet):
    scope_org_field = "submission__organisation"


class ReportFigure(models.Model):
    """One indicator of one report: the value read from the statistics (``prefilled``) and the value
    reported. A reported value that differs from the statistics needs a stated reason."""

    submission = models.ForeignKey(
        ReportSubmission, verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="figures"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    key = models.CharField(_("mã chỉ tiêu"), max_length=100)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    prefilled = models.DecimalField(_("số liệu thống kê"), max_digits=14, decimal_places=2)
    value = models.DecimalField(_("số liệu báo cáo"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("lý do sửa số liệu"), blank=True)

    objects = ReportFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        ordering = ["submission_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "key"], name="reports_figure_one_per_key"),
            models.CheckConstraint(
                condition=Q(value=F("prefilled")) | ~Q(reason=""),
                name="reports_correction_has_reason",
                violation_error_message=_("Sửa số liệu khác số liệu thống kê phải nêu lý do."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"

    @property
    def corrected(self) -> bool:
        return self.value != self.prefilled
