"""The totals table kept current on every write.

``touch(organisations)`` recounts those organisations' own figures from the live records (a branch: a few
dozen rows), and adds the difference to their ``total`` and to the ``total`` of every organisation above
them, inside the writer's transaction, locking the rows from the top down (so two writers never deadlock).
``shift`` carries a moved subtree's total from its old superiors to its new ones. ``rebuild`` recomputes
everything; ``verify`` compares the table with a fresh count and names every difference.

Who calls them: ``receivers.py`` (every change record, the organisation's creation, bulk writes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvu.orgs.models import Organisation

from .figures import add, clean, own_counts, rolled_up
from .models import OrgTally

STEP = Organisation.steplen


def chain(path: str) -> list[str]:
    """The paths of an organisation and of every organisation above it."""
    return [path[:end] for end in range(STEP, len(path) + 1, STEP)]


def _locked(paths: Iterable[str]) -> dict[str, OrgTally]:
    """The tally rows of these paths, locked top-down (created empty where missing)."""
    ids = dict(Organisation.objects.filter(path__in=set(paths)).values_list("path", "id"))
    rows = {
        t.organisation_id: t
        for t in OrgTally.objects.select_for_update()
        .filter(organisation_id__in=ids.values())
        .order_by("organisation__path")
    }
    missing = [OrgTally(organisation_id=pk) for pk in ids.values() if pk not in rows]
    if missing:
        OrgTally.objects.bulk_create(missing, ignore_conflicts=True)
        rows.update(
            (t.organisation_id, t)
            for t in OrgTally.objects.select_for_update().filter(organisation_id__in=[m.pk for m in missing])
        )
    return {path: rows[pk] for path, pk in ids.items()}


def _apply(rows: dict[str, OrgTally], changes: list[tuple[str, dict, int]]) -> None:
    """Add each (path, counts, sign) to the totals of the path's chain, and save the rows that changed."""
    changed: dict[int, OrgTally] = {}
    for path, counts, sign in changes:
        if not counts:
            continue
        for above in chain(path):
            row = rows[above]
            total = Counter(row.total)
            add(total, counts, sign)
            row.total = clean(total)
            changed[row.pk] = row
    now = timezone.now()
    for row in changed.values():
        row.updated_at = now
    OrgTally.objects.bulk_update(list(changed.values()), ["own", "total", "updated_at"])


@transaction.atomic
def touch(
    organisations: Iterable[Organisation | int | None], fresh: dict[int, Counter] | None = None
) -> None:
    """Recount the organisations' own figures (or take ``fresh`` ones, e.g. a new organisation's) and carry
    the difference up the tree."""
    ids = {getattr(o, "pk", o) for o in organisations if o is not None}
    if not ids:
        return
    touched = list(Organisation.objects.filter(pk__in=ids).only("id", "path", "kind", "dissolved_on"))
    fresh = fresh if fresh is not None else own_counts(touched)
    rows = _locked(p for o in touched for p in chain(o.path))
    changes = []
    for organisation in touched:
        row = rows[organisation.path]
        delta = Counter(fresh[organisation.pk])
        add(delta, row.own, -1)
        delta = clean(delta)
        if delta:
            row.own = clean(fresh[organisation.pk])
            changes.append((organisation.path, delta, 1))
    _apply(rows, changes)


@transaction.atomic
def shift(organisation: Organisation, old_parent: Organisation | None) -> None:
    """``organisation`` (already moved) leaves ``old_parent``'s chain and joins its new parent's."""
    organisation = Organisation.objects.get(pk=organisation.pk)
    own_row = OrgTally.objects.filter(organisation=organisation).first()
    if own_row is None or not own_row.total:
        return
    new_parent_path = organisation.path[:-STEP]
    old_parent_path = Organisation.objects.get(pk=old_parent.pk).path if old_parent else ""
    rows = _locked([*chain(old_parent_path), *chain(new_parent_path)])
    _apply(rows, [(old_parent_path, own_row.total, -1), (new_parent_path, own_row.total, 1)])


@transaction.atomic
def rebuild() -> int:
    """Recompute every row from the live records; returns the number of organisations."""
    organisations = list(Organisation.objects.only("id", "path", "kind", "dissolved_on"))
    own = own_counts(organisations, everything=True)
    totals = rolled_up(organisations, own)
    now = timezone.now()
    OrgTally.objects.all().delete()
    OrgTally.objects.bulk_create(
        (
            OrgTally(
                organisation_id=o.pk, own=clean(own[o.pk]), total=clean(totals.get(o.pk, {})), updated_at=now
            )
            for o in organisations
        ),
        batch_size=2000,
    )
    return len(organisations)


@dataclass
class Difference:
    organisation: Organisation
    column: str
    key: str
    stored: int
    counted: int

    def __str__(self) -> str:
        return (
            f"{self.organisation.code} {self.organisation.name}: {self.column}[{self.key}] "
            f"lưu {self.stored}, đếm lại {self.counted}"
        )


def verify() -> list[Difference]:
    """Every difference between the table and a fresh count (an empty list when they agree)."""
    organisations = list(Organisation.objects.only("id", "path", "kind", "dissolved_on", "code", "name"))
    own = own_counts(organisations, everything=True)
    totals = rolled_up(organisations, own)
    stored = {t.organisation_id: t for t in OrgTally.objects.all()}
    differences = []
    for organisation in organisations:
        row = stored.get(organisation.pk) or OrgTally(organisation_id=organisation.pk)
        for column, counted in (("own", own[organisation.pk]), ("total", totals.get(organisation.pk, {}))):
            saved = getattr(row, column)
            for key in sorted(set(saved) | set(clean(counted))):
                if saved.get(key, 0) != counted.get(key, 0):
                    differences.append(
                        Difference(organisation, column, key, saved.get(key, 0), counted.get(key, 0))
                    )
    return differences
