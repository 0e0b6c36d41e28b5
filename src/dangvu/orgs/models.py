"""The organisation tree (materialised path), its timeline for "as of" reads, and congress terms."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangvu.core.scoping import RestrictedQuerySet


class OrganisationKind(models.TextChoices):
    UPPER = "upper", _("Đảng bộ cấp trên cơ sở")
    COMMUNE = "commune", _("Đảng bộ xã, phường")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_BRANCH = "grassroots_branch", _("Chi bộ cơ sở")
    SUB_COMMITTEE = "sub_committee", _("Đảng bộ bộ phận")
    BRANCH = "branch", _("Chi bộ trực thuộc")
    CELL = "cell", _("Tổ đảng")


GRASSROOTS_KINDS = (OrganisationKind.GRASSROOTS_COMMITTEE, OrganisationKind.GRASSROOTS_BRANCH)


class OrganisationQuerySet(MP_NodeQuerySet, RestrictedQuerySet):
    scope_org_field = ""

    def active(self, on=None):
        """Organisations that exist on ``on`` (today by default): founded and not yet dissolved."""
        on = on or timezone.localdate()
        return self.filter(founded_on__lte=on).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))

    def within(self, organisation, include_self: bool = True):
        qs = self.filter(path__startswith=organisation.path)
        return qs if include_self else qs.exclude(pk=organisation.pk)


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self):
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")


class Organisation(MP_Node):
    """A node of the Party's tree: a committee, a grassroots organisation, a branch or a cell.

    Never deleted: a dissolved or merged organisation keeps its place, its data and its history.
    The path (subtree = path prefix) and ``parent`` are written only by the services in ``services.py``.
    """

    steplen = 4

    parent = models.ForeignKey(
        "self",
        verbose_name=_("tổ chức cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_set",
    )
    kind = models.CharField(_("loại tổ chức"), max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(_("tên tổ chức"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    code = models.CharField(_("mã tổ chức"), max_length=40, unique=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    founded_on = models.DateField(_("ngày thành lập"))
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("hợp nhất vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    name_search = models.CharField(_("tên không dấu"), max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("founded_on")),
                name="orgs_dissolved_after_founded",
                violation_error_message=_("Ngày giải thể phải sau ngày thành lập."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from dangvu.core.text import normalise

        self.name_search = normalise(" ".join(filter(None, [self.name, self.short_name, self.code])))
        super().save(*args, **kwargs)

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    def exists_on(self, day) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)


class OrganisationVersionQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"


class OrganisationVersion(models.Model):
    """What an organisation looked like (name, kind, parent) over a period: the tree "as of" any date.

    Services close the current version and open a new one on every rename, move, merge and dissolution;
    ``valid_to`` is the last day the version was in force (inclusive), empty while in force.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("tổ chức"), on_delete=models.PROTECT, related_name="versions"
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    parent = models.ForeignKey(
        Organisation,
        verbose_name=_("tổ chức cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại tổ chức"), max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(_("tên tổ chức"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    code = models.CharField(_("mã tổ chức"), max_length=40)

    objects = OrganisationVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản tổ chức")
        verbose_name_plural = _("phiên bản tổ chức")
        ordering = ["organisation_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "valid_from"], name="orgs_version_one_per_day"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="orgs_version_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="orgs_version_period_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"


class TermQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"


class Term(models.Model):
    """A congress term (nhiệm kỳ) of one organisation; its length comes from the rulebook."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("tổ chức"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("đại hội lần thứ"), null=True, blank=True)
    start_on = models.DateField(_("bắt đầu"))
    end_on = models.DateField(_("kết thúc"))
    congress_on = models.DateField(_("ngày đại hội"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organisation_id", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gt=F("start_on")),
                name="orgs_term_ends_after_start",
                violation_error_message=_("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."),
            ),
            models.UniqueConstraint(fields=["organisation", "start_on"], name="orgs_term_one_start"),
        ]

    def __str__(self) -> str:
        return f"Nhiệm kỳ {self.start_on:%Y}–{self.end_on:%Y}"

    @property
    def label(self) -> str:
        return f"{self.start_on:%Y}–{self.end_on:%Y}"
