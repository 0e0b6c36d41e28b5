"""The rulebook: regulations as versioned data. ``rule(key, on=date)`` is the only way code reads a rule.

The shipped versions live in ``rulebook.yaml`` and are copied into the database after every ``migrate``
(insert-only: an administrator's versions and the history are never overwritten). An administrator adds a
new version from the rulebook page when a new regulation comes into force.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

RULEBOOK_FILE = Path(__file__).with_name("rulebook.yaml")


class RuleMissing(LookupError):
    """No version of the rule is in force on the date asked."""

    def __init__(self, key: str, on: dt.date):
        super().__init__(f"Không có quy định '{key}' có hiệu lực ngày {on:%d/%m/%Y}.")
        self.key, self.on = key, on


@lru_cache(maxsize=1)
def load_rulebook_file(path: Path = RULEBOOK_FILE) -> tuple[dict[str, Any], ...]:
    with path.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle) or []
    return tuple(entries)


def sync_rulebook(using: str = DEFAULT_DB_ALIAS) -> int:
    """Insert shipped rule versions that the database does not have yet; return how many were added.

    When a shipped version starts after an open-ended version already in the database, that older
    version is closed the day before, so two versions are never in force at once.
    """
    from .models import Rule, RuleSource

    added = 0
    with transaction.atomic(using=using):
        existing = set(Rule.objects.using(using).values_list("key", "effective_from"))
        for entry in sorted(load_rulebook_file(), key=lambda e: (e["key"], e["effective_from"])):
            if (entry["key"], entry["effective_from"]) in existing:
                continue
            Rule.objects.using(using).filter(
                key=entry["key"], effective_to__isnull=True, effective_from__lt=entry["effective_from"]
            ).update(effective_to=entry["effective_from"] - dt.timedelta(days=1))
            Rule.objects.using(using).create(
                key=entry["key"],
                title=entry["title"],
                value=entry["value"],
                unit=entry.get("unit") or "",
                effective_from=entry["effective_from"],
                effective_to=entry.get("effective_to"),
                citation=entry["citation"],
                status=entry["status"],
                note=entry.get("note") or "",
                rules_md=entry.get("rules_md") or [],
                source=RuleSource.FILE,
            )
            added += 1
    return added


def sync_rulebook_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    sync_rulebook(using=using)


@dataclass(frozen=True)
class RuleValue:
    """A rule's value on a date, with what an officer needs to see *why*."""

    key: str
    value: Any
    title: str
    citation: str
    status: str
    effective_from: dt.date
    # True when the date asked precedes every version in the book and the earliest one was used instead.
    earliest_fallback: bool = False

    @classmethod
    def of(cls, version, *, earliest_fallback: bool = False) -> RuleValue:
        return cls(
            key=version.key,
            value=version.value,
            title=version.title,
            citation=version.citation,
            status=version.status,
            effective_from=version.effective_from,
            earliest_fallback=earliest_fallback,
        )

    def __str__(self) -> str:
        return f"{self.title}: {format_value(self.value)} — {self.citation}"

    @property
    def display(self) -> str:
        return format_value(self.value)


_LOADED: ContextVar[Rulebook | None] = ContextVar("dangvu_loaded_rulebook", default=None)


@contextmanager
def loaded_rulebook() -> Iterator[Rulebook]:
    """Within this block (this thread or task only), ``rule_entry`` reads every rule from one Rulebook loaded
    once: for checking thousands of import rows without one query per rule and row."""
    book = Rulebook.load()
    token = _LOADED.set(book)
    try:
        yield book
    finally:
        _LOADED.reset(token)


def rule_entry(key: str, on: dt.date | None = None, *, earliest_if_before: bool = False) -> RuleValue:
    """The version of ``key`` in force on ``on``.

    ``earliest_if_before`` is for recording past facts (an organisation founded in 1997, before the
    earliest regulation in the book): the earliest version known is used and flagged as such. Decisions
    about current events never use it.
    """
    from .models import Rule

    on = on or timezone.localdate()
    book = _LOADED.get()
    if book is not None:
        return book.entry(key, on, earliest_if_before=earliest_if_before)
    return Rulebook(Rule.objects.filter(key=key)).entry(key, on, earliest_if_before=earliest_if_before)


class Rulebook:
    """Every version loaded once, for code that looks many rules up in a loop (due items, reports)."""

    def __init__(self, versions):
        self._by_key: dict[str, list] = {}
        for version in sorted(versions, key=lambda v: v.effective_from):
            self._by_key.setdefault(version.key, []).append(version)

    @classmethod
    def load(cls) -> Rulebook:
        from .models import Rule

        return cls(Rule.objects.all())

    def entry(self, key: str, on: dt.date, *, earliest_if_before: bool = False) -> RuleValue:
        versions = self._by_key.get(key, [])
        found = next((v for v in reversed(versions) if v.in_force_on(on)), None)
        fallback = False
        if found is None and earliest_if_before and versions and versions[0].effective_from > on:
            found, fallback = versions[0], True
        if found is None:
            raise RuleMissing(key, on)
        return RuleValue.of(found, earliest_fallback=fallback)


def rule(key: str, on: dt.date | None = None) -> Any:
    """The value of rule ``key`` in force on ``on`` (today by default)."""
    return rule_entry(key, on).value


def as_fraction(value: Any) -> Fraction:
    """A share stored as ``{numerator, denominator}`` or a float, as an exact fraction."""
    if isinstance(value, dict) and "numerator" in value:
        return Fraction(value["numerator"], value["denominator"])
    return Fraction(str(value))


def format_value(value: Any, unit: str = "") -> str:
    """A rule value as an officer reads it: Vietnamese labels, dd/mm dates, percentages, fractions."""
    from .labels import value_label

    if isinstance(value, dict) and set(value) == {"numerator", "denominator"}:
        return f"{value['numerator']}/{value['denominator']}"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(format_value(v, unit) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{value_label(str(k))}: {format_value(v, unit)}" for k, v in value.items())
    if isinstance(value, float):
        if unit == "share":
            return f"{value * 100:g}%".replace(".", ",")
        return f"{value:g}".replace(".", ",")
    if isinstance(value, int) and unit == "vnd":
        return f"{value:,}".replace(",", ".")
    if isinstance(value, str):
        if _MONTH_DAY.match(value):
            month, day = value.split("-")
            return f"{day}/{month}"
        return value_label(value)
    return str(value)


_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
