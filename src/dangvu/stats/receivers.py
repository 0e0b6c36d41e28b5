"""Keeping the totals table current: every change record names what was written, so the organisations it
touches are recounted in the same transaction (see ``core.signals``)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from dangvu.core.models import ChangeAction
from dangvu.members.models import CommitteeSeat, Member, Transfer, TransferKind
from dangvu.orgs.models import Organisation

from . import tally
from .figures import lowest_common


def on_change_recorded(sender, record, obj, **kwargs) -> None:
    if isinstance(obj, Member):
        touched = {obj.organisation_id, record.organisation_id, *record.changes.get("organisation", ())}
        # A visit also counts where its home and host meet (``st.temporary_internal``).
        visits = Transfer.objects.filter(member=obj, kind=TransferKind.TEMPORARY).values_list(
            "from_organisation_id", "to_organisation_id", "from_organisation__path", "to_organisation__path"
        )
        meeting = set()
        for from_id, to_id, from_path, to_path in visits:
            touched.update((from_id, to_id))
            if from_path and to_path:
                meeting.add(lowest_common(from_path, to_path))
        if meeting:
            touched.update(Organisation.objects.filter(path__in=meeting).values_list("id", flat=True))
        tally.touch(touched)
    elif isinstance(obj, CommitteeSeat):
        tally.touch([obj.term.organisation_id])
    elif isinstance(obj, Organisation):
        if record.action == ChangeAction.CREATE:
            return  # counted when it was saved (below)
        touched = [obj]
        if record.action == ChangeAction.MOVE:
            old_parent = Organisation.objects.filter(pk=record.changes.get("parent", [None])[0]).first()
            tally.shift(obj, old_parent)
            # Visits into or out of the moved subtree now meet elsewhere: recount both chains above it.
            paths = {
                *tally.chain(old_parent.path if old_parent else ""),
                *tally.chain(obj.path[: -tally.STEP]),
            }
            touched += Organisation.objects.filter(path__in=paths)
        tally.touch(touched)


def on_counts_changed(sender, organisations, **kwargs) -> None:
    tally.touch(organisations)


def on_organisation_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new organisation has nothing under it yet: it counts itself."""
    if created and not raw:
        own = Counter({f"org.{instance.kind}": 1} if instance.dissolved_on is None else {})
        tally.touch([instance], fresh={instance.pk: own})


def build_missing_after_migrate(**kwargs) -> None:
    """A database that had organisations before the table existed gets it built once."""
    from .models import OrgTally

    organisations = Organisation.objects.count()
    if organisations and OrgTally.objects.filter(~Q(organisation=None)).count() < organisations:
        tally.rebuild()
