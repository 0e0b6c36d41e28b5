"""Template helpers of the report pages: the standing badge and figures written the Vietnamese way."""

from __future__ import annotations

from django import template

from ..export import text_number
from ..models import Standing

register = template.Library()

BADGES = {
    Standing.ON_TIME: "text-bg-success",
    Standing.LATE: "text-bg-warning",
    Standing.MISSING: "text-bg-danger",
    Standing.PENDING: "text-bg-secondary",
}


@register.inclusion_tag("reports/_standing.html")
def standing_badge(standing):
    standing = Standing(standing)
    return {"label": standing.label, "css": BADGES[standing], "value": standing.value}


@register.filter
def figure(value):
    return "" if value is None else text_number(value)
