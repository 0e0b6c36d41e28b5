"""The report templates shipped in ``report_templates.yaml``: inserted after every ``migrate`` when the
database lacks them (by code, insert-only: an administrator's edits are never overwritten)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.db import DEFAULT_DB_ALIAS, transaction

TEMPLATES_FILE = Path(__file__).with_name("report_templates.yaml")


@lru_cache(maxsize=1)
def load_templates_file() -> tuple[dict, ...]:
    with TEMPLATES_FILE.open(encoding="utf-8") as handle:
        return tuple(yaml.safe_load(handle) or [])


def sync_templates(using: str = DEFAULT_DB_ALIAS) -> int:
    from .models import ReportTemplate

    added = 0
    with transaction.atomic(using=using):
        existing = set(ReportTemplate.objects.using(using).values_list("code", flat=True))
        for entry in load_templates_file():
            if entry["code"] in existing:
                continue
            ReportTemplate(
                code=entry["code"],
                name=entry["name"],
                description=entry.get("description") or "",
                indicators=[{"key": i["key"], "label": i["label"]} for i in entry["indicators"]],
                sections=[
                    {"title": s["title"], "guidance": s.get("guidance") or ""} for s in entry["sections"]
                ],
            ).save(using=using)
            added += 1
    return added


def sync_templates_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    sync_templates(using=using)
