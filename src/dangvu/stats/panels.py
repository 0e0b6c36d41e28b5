"""What statistics adds to other pages: key figures and the yearly trend in each organisation's card on the
landing page, and a link from the organisation page."""

from __future__ import annotations

import json

from django.utils import timezone

from dangvu.members import selectors as member_selectors
from dangvu.members.selectors import Counts
from dangvu.orgs import selectors as org_selectors

from .models import OrgTally
from .selectors import statistics, yearly_events

DASHBOARD_FIGURES = (
    ("members.total", "đảng viên"),
    ("members.official", "chính thức"),
    ("members.probationary", "dự bị"),
    ("period.admitted", "kết nạp năm nay"),
    ("period.recognised", "công nhận chính thức năm nay"),
    ("committee.total", "cấp ủy viên"),
)


def dashboard_panel(user, organisation):
    """The scope's key figures today and admissions, recognitions and exits of the last ten years."""
    stats = statistics(organisation)
    values = stats.values
    years = yearly_events(stats.raw, timezone.localdate().year)
    return "stats/_dashboard_panel.html", {
        "org": organisation,
        "figures": [(values[key], label) for key, label in DASHBOARD_FIGURES],
        "years_json": json.dumps(years),
        "shares": [
            (label, n, round(100 * n / values["members.total"], 1) if values["members.total"] else 0)
            for label, n in (
                ("nữ", values["members.female"]),
                ("người dân tộc thiểu số", values["members.ethnic_minority"]),
                (
                    "lý luận chính trị cao cấp, cử nhân",
                    values.get("political_theory.cao-cap", 0) + values.get("political_theory.cu-nhan", 0),
                ),
            )
        ],
    }


def tally_counts(organisations) -> dict[int, Counts]:
    """Today's member counts of each organisation's subtree: one read of the totals table."""
    totals = dict(
        OrgTally.objects.filter(organisation_id__in=[o.pk for o in organisations]).values_list(
            "organisation_id", "total"
        )
    )
    result = {}
    for organisation in organisations:
        raw = totals.get(organisation.pk) or {}
        result[organisation.pk] = Counts(
            official=raw.get("st.official", 0),
            probationary=raw.get("st.probationary", 0),
            temporary_in=raw.get("st.temporary_in", 0) - raw.get("st.temporary_internal", 0),
            transferring_out=raw.get("st.transferring_out", 0),
        )
    return result


def organisation_link(user, organisation, on=None):
    return "stats/_org_panel.html", {"org": organisation}


if tally_counts not in member_selectors.today_counts_sources:
    member_selectors.today_counts_sources.append(tally_counts)
if dashboard_panel not in org_selectors.dashboard_panels:
    org_selectors.dashboard_panels.append(dashboard_panel)
if organisation_link not in org_selectors.detail_panels:
    org_selectors.detail_panels.append(organisation_link)
