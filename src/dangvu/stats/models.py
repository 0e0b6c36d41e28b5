"""Per-organisation figures kept current by every write: the organisation's own counts and the sum over its
whole subtree, so any node's statistics are one indexed row (see ``tally.py``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.scoping import RestrictedQuerySet


class OrgTallyQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"


class OrgTally(models.Model):
    """``own``: counts of what belongs to this organisation itself (its members, visits it hosts, its
    committee seats, itself). ``total``: the sum of ``own`` over the subtree. Keys are described in
    ``figures.py``."""

    organisation = models.OneToOneField(
        "orgs.Organisation",
        verbose_name=_("tổ chức"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="tally",
    )
    own = models.JSONField(_("số liệu riêng"), default=dict)
    total = models.JSONField(_("số liệu toàn đảng bộ"), default=dict)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    objects = OrgTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")

    def __str__(self) -> str:
        return f"Số liệu của tổ chức #{self.organisation_id}"
