"""Template helpers: Bootstrap classes on form widgets, Vietnamese labels."""

from __future__ import annotations

from django import template

from dangvu.core import labels

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
