"""Cross-cutting records: the append-only change log, the versioned rulebook and the working-day calendar."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import RestrictedQuerySet


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete an append-only record."""


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    MOVE = "move", _("Chuyển giao")
    MERGE = "merge", _("Hợp nhất")
    DISSOLVE = "dissolve", _("Giải thể")
    BULK = "bulk", _("Thao tác hàng loạt")
    RECOGNISE = "recognise", _("Công nhận chính thức")
    TRANSFER = "transfer", _("Chuyển sinh hoạt đảng")
    EXEMPT = "exempt", _("Miễn công tác, sinh hoạt")
    EXIT = "exit", _("Ra khỏi Đảng")
    READMIT = "readmit", _("Kết nạp lại")


class ChangeRecordQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"

    def update(self, **kwargs):
        raise ImmutableRecordError("Lịch sử thay đổi không thể sửa.")

    def delete(self):
        raise ImmutableRecordError("Lịch sử thay đổi không thể xóa.")


class ChangeRecord(models.Model):
    """One write to a record a Party office keeps: who, when, what (old → new per field), why.

    Append-only: the model refuses updates and deletes, and database triggers refuse them too,
    so neither pages, the API, a shell nor a bulk query can rewrite history.
    """

    time = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        # Accounts are deactivated, never deleted: history must keep pointing at them.
        on_delete=models.PROTECT,
        related_name="+",
    )
    user_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=20, choices=ChangeAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại đối tượng"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("mã đối tượng"))
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("tổ chức liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tổ chức quyết định ai được xem bản ghi lịch sử này."),
    )
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản ghi lịch sử")
        verbose_name_plural = _("lịch sử thay đổi")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"], name="core_change_object_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecordError("Lịch sử thay đổi không thể sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Lịch sử thay đổi không thể xóa.")


class RuleStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã xác nhận")
    SECONDARY = "secondary", _("Nguồn thứ cấp")
    RECALLED = "recalled", _("Chưa xác nhận")


class RuleSource(models.TextChoices):
    FILE = "file", _("Tệp quy định kèm phần mềm")
    ADMIN = "admin", _("Quản trị viên thêm")


class ReferenceQuerySet(RestrictedQuerySet):
    """Global reference data (rulebook, calendar): every signed-in user reads, administrators change."""

    scope_global = True


class Rule(models.Model):
    """One version of one rule: a value in force from one date to another, with its citation."""

    key = models.CharField(_("mã quy định"), max_length=100, db_index=True)
    title = models.CharField(_("nội dung"), max_length=300)
    value = models.JSONField(_("giá trị"))
    unit = models.CharField(_("đơn vị"), max_length=30, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    citation = models.CharField(_("căn cứ"), max_length=300)
    status = models.CharField(_("mức xác nhận"), max_length=20, choices=RuleStatus.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=RuleSource.choices, default=RuleSource.FILE)
    rules_md = models.JSONField(_("mục trong RULES.md"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định")
        verbose_name_plural = _("sổ quy định")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="core_rule_one_version_per_day"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="core_rule_period_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.effective_from:%d/%m/%Y})"

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ thêm")
    WORKING_DAY = "working_day", _("Ngày làm bù")


class CalendarDay(models.Model):
    """A day the administrator marks as an extra day off or a make-up working day."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("lý do"), max_length=200)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch")
        verbose_name_plural = _("ngày điều chỉnh lịch")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
