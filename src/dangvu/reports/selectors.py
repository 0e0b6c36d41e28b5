"""Scoped reads of report requests and reports, the indicator catalogue (from the statistics) and the
pre-fill of a report's figures. Every function that reaches a user takes the acting user first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from dangvu.core.scoping import Action, scope_for
from dangvu.orgs.models import GRASSROOTS_KINDS, Organisation
from dangvu.stats.selectors import layout, statistics

from .models import ReportRequest, ReportSubmission, ReportTemplate, Standing, SubmissionState

PERIOD_GROUP_TITLE = "Biến động trong kỳ báo cáo"


# ───────────────────────── indicators ─────────────────────────


def indicator_groups(on: dt.date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every indicator the statistics offer, as (group title, [(key, label), ...]) in the statistics' order.
    Ethnic groups one by one are left out (the statistics list only those present)."""
    stats = layout(None, Counter(), on or timezone.localdate())
    groups = []
    for group in stats.groups:
        title = PERIOD_GROUP_TITLE if group.key == "period" else group.title
        groups.append((title, [(row.key, row.label) for row in group.rows]))
    return groups


def indicator_labels(on: dt.date | None = None) -> dict[str, str]:
    """``{key: label}`` of every indicator the statistics offer."""
    return {key: label for _title, rows in indicator_groups(on) for key, label in rows}


def as_decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def prefill(organisation: Organisation, request: ReportRequest) -> tuple[dt.date, dict[str, Decimal]]:
    """The statistics of ``organisation``'s subtree as of the end of the request's period (today while the
    period runs), with the period's movements: (the date the figures are as of, {key: value})."""
    stats = statistics(
        organisation, on=request.period_end, period_from=request.period_start, period_to=request.period_end
    )
    values = stats.values
    # A key the statistics do not list (an ethnic group nobody belongs to) counts nobody.
    return stats.on, {item["key"]: as_decimal(values.get(item["key"], 0)) for item in request.indicators}


# ───────────────────────── recipients ─────────────────────────


class Recipients:
    CHILDREN = "children"
    GRASSROOTS = "grassroots"
    CHOSEN = "chosen"

    CHOICES = [
        (CHILDREN, "Tất cả tổ chức đảng trực thuộc trực tiếp"),
        (GRASSROOTS, "Tất cả tổ chức cơ sở đảng trong đảng bộ"),
        (CHOSEN, "Chọn từng tổ chức"),
    ]


def recipients_for(issuer: Organisation, mode: str, chosen=()) -> list[Organisation]:
    """The organisations a request from ``issuer`` goes to: its active direct subordinates, the active
    grassroots organisations of its subtree, or the ``chosen`` ones (the service checks they lie below)."""
    below = Organisation.objects.active().filter(path__startswith=issuer.path).exclude(pk=issuer.pk)
    if mode == Recipients.CHILDREN:
        return list(below.filter(parent=issuer))
    if mode == Recipients.GRASSROOTS:
        return list(below.filter(kind__in=GRASSROOTS_KINDS))
    return list(chosen)


def issuers_for(user):
    """Organisations the user may issue requests from: those it may change that have subordinates."""
    below = Organisation.objects.filter(parent_id__isnull=False, dissolved_on__isnull=True)
    return (
        Organisation.objects.restrict(user, Action.CHANGE)
        .filter(dissolved_on__isnull=True, pk__in=below.values("parent_id"))
        .order_by("path")
    )


def recipient_choices(user):
    """Organisations the user may name as recipients: below an organisation it may issue from (the
    service keeps them below the chosen issuer)."""
    tops = scope_for(user).paths_for(Action.CHANGE)  # the top of each subtree is nobody's recipient
    return (
        Organisation.objects.restrict(user, Action.CHANGE)
        .active()
        .filter(parent_id__isnull=False)
        .exclude(path__in=tops)
        .order_by("path")
    )


# ───────────────────────── requests and reports ─────────────────────────


def request_list(*, fetched_by, action: str = Action.VIEW):
    """Requests issued by organisations the user sees, with the number of reports by standing."""
    submitted = Q(submissions__state=SubmissionState.SUBMITTED)
    return (
        ReportRequest.objects.restrict(fetched_by, action)
        .select_related("issuer")
        .annotate(
            recipient_count=Count("submissions"),
            submitted_count=Count("submissions", filter=submitted),
            late_count=Count(
                "submissions", filter=submitted & Q(submissions__submitted_at__date__gt=F("due_on"))
            ),
        )
        .order_by("-created_at", "-id")
    )


def request_get(*, fetched_by, pk: int, action: str = Action.VIEW) -> ReportRequest:
    return ReportRequest.objects.select_related("issuer__parent", "template").get_in_scope(
        fetched_by, action, pk=pk
    )


def submission_get(*, fetched_by, pk: int, action: str = Action.VIEW) -> ReportSubmission:
    return ReportSubmission.objects.select_related(
        "request__issuer", "organisation__parent", "submitted_by"
    ).get_in_scope(fetched_by, action, pk=pk)


def reports_to_write(*, fetched_by):
    """Reports the user's organisations owe to a superior: reports the user may change whose request was
    issued outside the user's own subtrees (a superior's office does not see its recipients' drafts here)."""
    own = Organisation.objects.restrict(fetched_by, Action.CHANGE)
    return (
        ReportSubmission.objects.restrict(fetched_by, Action.CHANGE)
        .exclude(request__issuer__in=own)
        .select_related("request__issuer", "organisation")
        .order_by("-request__due_on", "organisation__path")
    )


def request_rows(request: ReportRequest, today: dt.date | None = None) -> list[ReportSubmission]:
    """The request's reports, one per recipient in tree order, each with its standing and the number of
    corrected figures."""
    today = today or timezone.localdate()
    rows = list(
        request.submissions.select_related("organisation", "submitted_by")
        .annotate(corrections=Count("figures", filter=~Q(figures__value=F("figures__prefilled"))))
        .order_by("organisation__path")
    )
    for row in rows:
        row.request = request
        row.current_standing = row.standing(today)
    return rows


def standing_counts(rows: list[ReportSubmission]) -> dict[str, int]:
    counts = Counter(row.current_standing for row in rows)
    return {standing.value: counts.get(standing, 0) for standing in Standing}


def template_list(*, fetched_by, active_only: bool = False):
    templates = ReportTemplate.objects.restrict(fetched_by)
    return templates.filter(active=True) if active_only else templates
