"""Scoped reads of the organisation tree. Every function takes the acting user first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from dangvu.core.scoping import Action, scope_for
from dangvu.core.text import normalise, sort_key

from .models import Organisation, OrganisationKind, OrganisationVersion, Term

# Siblings show committees before branches, in the order of the glossary, then by name.
KIND_ORDER = {kind: index for index, kind in enumerate(OrganisationKind.values)}


def organisation_list(
    *,
    fetched_by,
    within: Organisation | None = None,
    kind: str | None = None,
    q: str | None = None,
    include_dissolved: bool = True,
    action: str = Action.VIEW,
):
    qs = Organisation.objects.restrict(fetched_by, action)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name_search__contains=normalise(q))
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return qs.select_related("parent")


def organisation_get(*, fetched_by, pk, action: str = Action.VIEW) -> Organisation:
    return Organisation.objects.get_in_scope(fetched_by, action, pk=pk)


def scope_roots(*, fetched_by) -> list[Organisation]:
    """The top-most organisations the user can see: where the tree browser starts."""
    scope = scope_for(fetched_by)
    if scope.covers_all(Action.VIEW):
        return list(Organisation.objects.filter(depth=1).select_related("parent"))
    return list(Organisation.objects.filter(path__in=scope.paths_for(Action.VIEW)).select_related("parent"))


def descendant_counts(parent_path: str, child_paths: list[str], *, steplen: int) -> dict[str, int]:
    """For each child path: how many organisations in force sit anywhere below it (one GROUP BY)."""
    if not child_paths:
        return {}
    prefix_len = len(parent_path) + steplen
    rows = (
        Organisation.objects.active()
        .filter(path__startswith=parent_path, depth__gt=(len(parent_path) // steplen) + 1)
        .annotate(prefix=Substr("path", 1, prefix_len))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["prefix"]: row["n"] for row in rows}
    return {path: counts.get(path, 0) for path in child_paths}


# Other apps add their figures to the organisations a page shows (the member module adds member counts).
# node_annotators: f(organisations, on) sets attributes on each organisation;
# as_of_annotators: f(roots, on) does the same over the "as of" tree's nodes;
# detail_panels: f(user, organisation, on) -> (template name, context) or None, shown on the detail page.
node_annotators: list[Callable[[list, dt.date | None], None]] = []
as_of_annotators: list[Callable[[list, dt.date], None]] = []
detail_panels: list[Callable[..., tuple[str, dict] | None]] = []
# dashboard_panels: f(user, organisation) -> (template name, context) or None, shown in the organisation's
# card on an officer's landing page.
dashboard_panels: list[Callable[..., tuple[str, dict] | None]] = []


def annotate_nodes(organisations: list, on: dt.date | None = None) -> list:
    for annotate in node_annotators:
        annotate(organisations, on)
    return organisations


def panels_for(user, organisation, on: dt.date | None = None) -> list[tuple[str, dict]]:
    return [panel for make in detail_panels if (panel := make(user, organisation, on)) is not None]


def dashboard_panels_for(user, organisation) -> list[tuple[str, dict]]:
    return [panel for make in dashboard_panels if (panel := make(user, organisation)) is not None]


def direct_children(*, fetched_by, organisation: Organisation, include_dissolved: bool = False):
    """The organisation's direct children (scoped), by kind then sorted the Vietnamese way."""
    qs = Organisation.objects.restrict(fetched_by).filter(parent=organisation)
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return sorted(qs, key=lambda o: (KIND_ORDER[o.kind], sort_key(o.name)))


def children_of(*, fetched_by, organisation: Organisation, include_dissolved: bool = False):
    """The organisation's direct children (scoped), sorted the Vietnamese way, each with the number of
    organisations below it."""
    children = direct_children(
        fetched_by=fetched_by, organisation=organisation, include_dissolved=include_dissolved
    )
    counts = descendant_counts(organisation.path, [c.path for c in children], steplen=Organisation.steplen)
    for child in children:
        child.descendant_count = counts.get(child.path, 0)
    return annotate_nodes(children)


def subtree_kind_counts(organisation: Organisation, on: dt.date | None = None) -> dict[str, int]:
    """Organisations in force below ``organisation`` by kind (today), the organisation itself excluded."""
    rows = (
        Organisation.objects.active(on)
        .filter(path__startswith=organisation.path)
        .exclude(pk=organisation.pk)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}


@dataclass
class TreeNode:
    """One organisation as it was on a date (from its timeline), with its children then."""

    id: int
    name: str
    short_name: str
    code: str
    kind: str
    parent_id: int | None
    children: list[TreeNode] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return OrganisationKind(self.kind).label

    def count(self) -> int:
        return 1 + sum(child.count() for child in self.children)

    def walk(self, depth: int = 0):
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


def versions_on(on: dt.date, *, fetched_by):
    return (
        OrganisationVersion.objects.restrict(fetched_by)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )


def tree_as_of(*, fetched_by, on: dt.date, root: Organisation | None = None) -> list[TreeNode]:
    """The tree as it stood on ``on``: which organisations existed, under whom, with the names they had.

    Scoped by the user's scope today; the nodes are built from the timeline, not from today's paths, so an
    organisation moved since then shows under its old superior.
    """
    versions = versions_on(on, fetched_by=fetched_by)
    if root is not None:
        versions = versions.filter(organisation__path__startswith=root.path)
    nodes = {
        v.organisation_id: TreeNode(v.organisation_id, v.name, v.short_name, v.code, v.kind, v.parent_id)
        for v in versions
    }
    children: dict[int | None, list[TreeNode]] = defaultdict(list)
    for node in nodes.values():
        children[node.parent_id if node.parent_id in nodes else None].append(node)
    for node in nodes.values():
        node.children = sorted(children.get(node.id, []), key=lambda n: sort_key(n.name))
    roots = sorted(children.get(None, []), key=lambda n: sort_key(n.name))
    if root is not None:
        roots = [n for n in roots if n.id == root.pk] or roots
    for annotate in as_of_annotators:
        annotate(roots, on)
    return roots


def terms_of(*, fetched_by, organisation: Organisation):
    return Term.objects.restrict(fetched_by).filter(organisation=organisation).order_by("-start_on")


def current_term(organisation: Organisation, on: dt.date | None = None) -> Term | None:
    on = on or timezone.localdate()
    return organisation.terms.filter(start_on__lte=on, end_on__gte=on).order_by("-start_on").first()


def latest_terms(qs):
    """Terms that are the latest of their organisation (no later term recorded)."""
    later = Term.objects.filter(organisation=OuterRef("organisation"), start_on__gt=OuterRef("start_on"))
    return qs.filter(~Exists(later))
