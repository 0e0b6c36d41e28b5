"""What the member module adds to organisation pages: member counts on tree nodes (today or "as of"), and a
panel on the organisation page with the counts, the committee of the current term and links."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from dangvu.core.scoping import Action, scope_for
from dangvu.orgs import selectors as org_selectors
from dangvu.orgs.models import GRASSROOTS_KINDS, Organisation, OrganisationKind

from .models import COMMITTEE_POSITIONS, CommitteeSeat, MemberPeriod, PeriodStatus, Transfer, TransferKind
from .selectors import Counts, committee_counts, current_counts, member_counts


def annotate_member_counts(organisations, on=None) -> None:
    counts = current_counts(organisations) if on is None else member_counts(organisations, on)
    for organisation in organisations:
        organisation.member_counts = counts[organisation.pk]


def annotate_as_of_tree(roots, on: dt.date) -> None:
    """Counts over the tree as it stood on ``on``: per-organisation figures summed up the old structure."""
    leaf: dict[int, Counts] = defaultdict(Counts)
    shown = [node.id for root in roots for node, _depth in root.walk()]
    rows = (
        MemberPeriod.objects.on(on)
        .filter(organisation_id__in=shown)
        .exclude(status=PeriodStatus.OUTSIDE)
        .values_list("organisation_id", "status")
        .annotate(n=Count("id"))
    )
    for organisation_id, status, n in rows:
        setattr(leaf[organisation_id], status, getattr(leaf[organisation_id], status) + n)
    visits = list(
        Transfer.objects.filter(kind=TransferKind.TEMPORARY, start_on__lte=on, to_organisation_id__in=shown)
        .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=on))
        .exclude(state="cancelled")
        .values_list("to_organisation_id", "from_organisation_id")
    )

    def total(node) -> set[int]:
        """Sum the figures over the node's subtree (as it stood then); return the subtree's ids."""
        own = leaf.get(node.id, Counts())
        figures = Counts(own.official, own.probationary)
        ids = {node.id}
        for child in node.children:
            ids |= total(child)
            figures.official += child.member_counts.official
            figures.probationary += child.member_counts.probationary
        figures.temporary_in = sum(1 for to_id, from_id in visits if to_id in ids and from_id not in ids)
        node.member_counts = figures
        return ids

    for root in roots:
        total(root)


def organisation_panel(user, organisation: Organisation, on=None):
    today = timezone.localdate()
    counts = current_counts([organisation]) if on is None else member_counts([organisation], on)
    counts = counts[organisation.pk]
    term = org_selectors.current_term(organisation, today)
    panel = {
        "org": organisation,
        "counts": counts,
        "on": on,
        "term": term,
        "can_change": scope_for(user).allows_path(organisation.path, Action.CHANGE),
    }
    if term is not None:
        panel["committee_size"] = committee_counts([organisation], today)[organisation.pk]
    if organisation.kind in (OrganisationKind.UPPER, OrganisationKind.COMMUNE):
        grassroots = Organisation.objects.active(today).filter(
            path__startswith=organisation.path, kind__in=GRASSROOTS_KINDS
        )
        panel["grassroots_committee_members"] = (
            CommitteeSeat.objects.current(today)
            .filter(term__organisation__in=grassroots, position__in=COMMITTEE_POSITIONS)
            .values("member_id")
            .distinct()
            .count()
        )
    return "members/_org_panel.html", panel


if annotate_member_counts not in org_selectors.node_annotators:
    org_selectors.node_annotators.append(annotate_member_counts)
if annotate_as_of_tree not in org_selectors.as_of_annotators:
    org_selectors.as_of_annotators.append(annotate_as_of_tree)
if organisation_panel not in org_selectors.detail_panels:
    org_selectors.detail_panels.append(organisation_panel)
