"""Catalogue values of the member record (ethnic groups, religions, education levels...) as data.

``catalogues.yaml`` ships the values; after every ``migrate`` the missing ones are inserted (insert-only,
so an administrator's changes are never overwritten). Lookups by name accept any spelling that
normalises the same ("Ê Đê", "e de")."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.db import DEFAULT_DB_ALIAS, transaction

from dangvu.core.text import normalise

CATALOGUE_FILE = Path(__file__).with_name("catalogues.yaml")


@lru_cache(maxsize=1)
def load_catalogue_file() -> dict[str, list[dict]]:
    with CATALOGUE_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def sync_catalogue(using: str = DEFAULT_DB_ALIAS) -> int:
    from .models import CatalogueItem

    added = 0
    with transaction.atomic(using=using):
        existing = set(CatalogueItem.objects.using(using).values_list("kind", "code"))
        for kind, items in load_catalogue_file().items():
            for position, item in enumerate(items, start=1):
                if (kind, item["code"]) in existing:
                    continue
                CatalogueItem(kind=kind, code=item["code"], name=item["name"], position=position).save(
                    using=using
                )
                added += 1
    return added


def sync_catalogue_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    sync_catalogue(using=using)


class CatalogueIndex:
    """Every catalogue value, loaded once, to resolve names typed in forms and import files."""

    def __init__(self):
        from .models import CatalogueItem

        self._by_name: dict[tuple[str, str], object] = {}
        for item in CatalogueItem.objects.filter(active=True):
            self._by_name[(item.kind, item.name_search)] = item
            self._by_name.setdefault((item.kind, normalise(item.code)), item)

    def find(self, kind: str, text: str):
        """The active value of ``kind`` named ``text`` (any diacritics/case), or None."""
        return self._by_name.get((kind, normalise(text)))
