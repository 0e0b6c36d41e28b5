"""Template helpers: Bootstrap classes on form widgets, Vietnamese labels."""

from __future__ import annotations

import re

from django import template
from django.core.exceptions import FieldDoesNotExist

from dangvu.core import labels
from dangvu.core.audit import visible_changes

register = template.Library()

_CLASS_BY_INPUT = {"select": "form-select", "checkbox": "form-check-input", "radio": "form-check-input"}


@register.simple_tag
def dv_widget(field):
    """Render a bound field's widget with Bootstrap's class (and ``is-invalid`` when it has errors)."""
    input_type = getattr(field.field.widget, "input_type", "")
    css = _CLASS_BY_INPUT.get(input_type, "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def weekday(value):
    return labels.weekday(value) if value else ""


@register.filter
def unit_label(value):
    return labels.UNIT_LABELS.get(value, value)


@register.filter
def group_label(value):
    return labels.GROUP_LABELS.get(value, value)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _readable(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and _ISO_DATE.match(value):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    if isinstance(value, bool):
        return "có" if value else "không"
    return value


@register.filter
def change_rows(record, user=None):
    """A change record's ``{field: [old, new]}`` as (Vietnamese label, old, new) rows an officer can read.

    References to other records are stored as ids; when the record also keeps the names (``data.from`` and
    ``data.to``, ``data.target``) those lines are left out and the names are shown instead."""
    model = record.content_type.model_class()
    named = bool(record.data.get("from") or record.data.get("to") or record.data.get("target"))
    rows = []
    changes = visible_changes(record, user) if user is not None else record.changes
    for name, pair in changes.items():
        try:
            field = model._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            field = None
        if named and field is not None and field.is_relation:
            continue
        if pair[0] in (None, "") and pair[1] in (None, ""):
            continue
        label = str(field.verbose_name) if field is not None else name
        old, new = (_field_value(field, value, user) for value in pair)
        rows.append((label[:1].upper() + label[1:], old, new))
    return rows


def _field_value(field, value, user):
    """A stored value as an officer reads it: the label of a choice, the name of a referenced record."""
    if field is not None and value not in (None, ""):
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if field.is_relation and field.many_to_one:
            cache = getattr(user, "_dangvu_names", None) if user is not None else None
            if cache is None:
                cache = {}
                if user is not None:
                    user._dangvu_names = cache
            key = (field.related_model, value)
            if key not in cache:
                related = field.related_model._default_manager.all()
                if user is not None and hasattr(related, "restrict"):
                    related = related.restrict(user)  # names outside the reader's scope stay hidden
                found = related.filter(pk=value).first()
                cache[key] = str(found) if found is not None else "(ngoài phạm vi)"
            return cache[key]
    return _readable(value)
