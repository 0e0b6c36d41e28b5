"""Due items: what each officer must do, and by when. Every app contributes a provider; the inbox shows
the union, scoped by the gate (each provider takes the user and reads through ``restrict``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone


class Severity:
    OVERDUE = "overdue"
    SOON = "soon"
    UPCOMING = "upcoming"

    LABELS = {OVERDUE: "Quá hạn", SOON: "Sắp đến hạn", UPCOMING: "Sắp tới"}


@dataclass(frozen=True)
class DueItem:
    kind: str
    title: str
    due_date: dt.date
    severity: str
    citation: str
    url: str
    organisation_id: int | None = None
    organisation_name: str = ""
    detail: str = ""

    @property
    def severity_label(self) -> str:
        return Severity.LABELS[self.severity]

    def days_left(self, today: dt.date) -> int:
        return (self.due_date - today).days


# provider(user, today, organisation=None): the user's items, or only those about ``organisation``.
Provider = Callable[..., Iterable[DueItem]]
_providers: dict[str, Provider] = {}


def due_item_provider(name: str) -> Callable[[Provider], Provider]:
    """Register a provider under a unique name (re-registering the same name replaces it)."""

    def decorator(func: Provider) -> Provider:
        _providers[name] = func
        return func

    return decorator


def severity_for(due_date: dt.date, today: dt.date, soon_days: int) -> str:
    if due_date < today:
        return Severity.OVERDUE
    if (due_date - today).days <= soon_days:
        return Severity.SOON
    return Severity.UPCOMING


def inbox_for(user, today: dt.date | None = None, organisation=None) -> list[DueItem]:
    """Every provider's items for this user (about one organisation, if given), soonest first."""
    today = today or timezone.localdate()
    items: list[DueItem] = []
    for provider in _providers.values():
        items.extend(provider(user, today, organisation=organisation))
    return sorted(items, key=lambda item: (item.due_date, item.title))
