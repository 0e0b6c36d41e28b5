"""Writing the change log. Services call these inside their transaction; nothing else writes history."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import current_request_id
from .models import ChangeAction, ChangeRecord
from .signals import change_recorded


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` (foreign keys as ids), JSON-ready."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = field.attname if isinstance(field, models.ForeignKey) else name
        data[name] = jsonable(getattr(obj, attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record_change(
    *,
    obj: models.Model,
    action: str,
    by,
    organisation=None,
    changes: dict | None = None,
    data: dict | None = None,
    reason: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
    effective_on: dt.date | None = None,
) -> ChangeRecord:
    """Append one change record. ``organisation`` decides who may read it (defaults to ``obj`` itself
    when ``obj`` is an organisation)."""
    if organisation is None and obj._meta.label_lower == "orgs.organisation":
        organisation = obj
    user = by if getattr(by, "pk", None) else None
    record = ChangeRecord.objects.create(
        user=user,
        user_name=(by.get_username() if user else str(by or "hệ thống"))[:150],
        request_id=current_request_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        organisation=organisation,
        changes=jsonable(changes or {}),
        data=jsonable(data or {}),
        reason=reason,
        decision_number=decision_number,
        decision_date=decision_date,
        effective_on=effective_on,
    )
    change_recorded.send(sender=type(obj), record=record, obj=obj)
    return record


HIDDEN = "(ẩn)"


def visible_changes(record: ChangeRecord, user) -> dict:
    """The record's changes as ``user`` may read them: fields a model lists in ``PRIVATE_FIELDS`` (citizen
    ID, phone, address) are shown only to those who may change the record's organisation."""
    from .scoping import Action, scope_for

    model = record.content_type.model_class()
    private = set(getattr(model, "PRIVATE_FIELDS", ())) & set(record.changes)
    if not private or record.organisation_id is None:
        return record.changes
    cache = getattr(user, "_dangvu_private_ok", None)
    if cache is None:
        cache = user._dangvu_private_ok = {}
    if record.organisation_id not in cache:
        path = (
            type(record)
            .organisation.field.related_model.objects.filter(pk=record.organisation_id)
            .values_list("path", flat=True)
            .first()
        )
        cache[record.organisation_id] = bool(path) and scope_for(user).allows_path(path, Action.CHANGE)
    if cache[record.organisation_id]:
        return record.changes
    return {
        name: [HIDDEN if pair[0] else pair[0], HIDDEN if pair[1] else pair[1]] if name in private else pair
        for name, pair in record.changes.items()
    }


def history_for(obj: models.Model):
    """Change records of one object, newest first.

    Not scoped by itself: callers first look the object up through the gate."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=obj.pk
    ).select_related("user")


__all__ = ["ChangeAction", "diff", "history_for", "jsonable", "record_change", "snapshot", "visible_changes"]
