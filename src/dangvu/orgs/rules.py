"""Regulation logic for organisations and terms, read from the rulebook in force on the event's date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from dangvu.core.calendar import add_months
from dangvu.core.rulebook import RuleValue, rule_entry

from .models import Organisation, OrganisationKind


def kind_label(kind: str) -> str:
    return OrganisationKind(kind).label


def check_placement(*, kind: str, parent: Organisation | None, on: dt.date, field: str = "parent") -> None:
    """Refuse a kind that may not sit under ``parent`` (or at the top), citing the rule."""
    if parent is None:
        roots = rule_entry("org.root_kinds", on, earliest_if_before=True)
        if kind not in roots.value:
            raise ValidationError(
                {
                    field: f"{kind_label(kind)} không thể là tổ chức cấp cao nhất; "
                    f"phải trực thuộc một tổ chức cấp trên ({roots.citation})."
                }
            )
        return
    allowed = rule_entry("org.allowed_children", on, earliest_if_before=True)
    children = allowed.value.get(parent.kind, [])
    if kind not in children:
        permitted = ", ".join(kind_label(k).lower() for k in children) or "không có tổ chức trực thuộc"
        raise ValidationError(
            {
                field: f"{kind_label(kind)} không thể trực thuộc {kind_label(parent.kind).lower()} "
                f"“{parent.name}”. Trực thuộc {kind_label(parent.kind).lower()} chỉ có: {permitted} "
                f"({allowed.citation})."
            }
        )


def term_length(kind: str, on: dt.date) -> RuleValue | None:
    """The term length rule for this kind on ``on``, or None for kinds that hold no congress (cells)."""
    if kind == OrganisationKind.CELL:
        return None
    return rule_entry(f"term.length_months.{kind}", on, earliest_if_before=True)


def term_end(kind: str, start_on: dt.date) -> dt.date:
    length = term_length(kind, start_on)
    if length is None:
        raise ValidationError({"organisation": "Tổ đảng không tổ chức đại hội nên không có nhiệm kỳ."})
    return add_months(start_on, int(length.value)) - dt.timedelta(days=1)


def check_term_end(*, kind: str, start_on: dt.date, end_on: dt.date) -> None:
    """A term may differ from the regulation length only by the permitted shift (branches: ±6 months)."""
    expected = term_end(kind, start_on)
    if end_on == expected:
        return
    shift = rule_entry("term.shift_max_months", start_on, earliest_if_before=True)
    length = term_length(kind, start_on)
    earliest = add_months(expected, -int(shift.value))
    latest = add_months(expected, int(shift.value))
    shiftable = kind in (OrganisationKind.BRANCH, OrganisationKind.SUB_COMMITTEE)
    if not shiftable or not (earliest <= end_on <= latest):
        allowed = (
            f"chỉ được lùi hoặc sớm tối đa {shift.value} tháng ({shift.citation})"
            if shiftable
            else "không được thay đổi"
        )
        raise ValidationError(
            {
                "end_on": f"Nhiệm kỳ của {kind_label(kind).lower()} là {length.value} tháng, kết thúc "
                f"{expected:%d/%m/%Y} ({length.citation}); ngày kết thúc {allowed}."
            }
        )
