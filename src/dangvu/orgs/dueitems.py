"""Due items from organisations: terms ending soon or overdue (a congress must be prepared)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangvu.core.dueitems import DueItem, Severity, due_item_provider
from dangvu.core.rulebook import Rulebook

from .models import Term
from .selectors import latest_terms


@due_item_provider("orgs.term_ending")
def term_items(user, today: dt.date, organisation=None):
    rules = Rulebook.load()
    reminder = rules.entry("term.reminder_days", today)
    horizon = today + dt.timedelta(days=int(reminder.value))
    terms = latest_terms(
        Term.objects.restrict(user).filter(end_on__lte=horizon, organisation__dissolved_on__isnull=True)
    ).select_related("organisation__parent")
    if organisation is not None:
        terms = terms.filter(organisation=organisation)
    for term in terms:
        organisation = term.organisation
        length = rules.entry(
            f"term.length_months.{organisation.kind}", term.start_on, earliest_if_before=True
        )
        overdue = term.end_on < today
        where = organisation.name + (f" ({organisation.parent.name})" if organisation.parent_id else "")
        yield DueItem(
            kind="term",
            title=(
                f"Nhiệm kỳ {term.label} của {where} đã hết hạn: cần tổ chức đại hội"
                if overdue
                else f"Nhiệm kỳ {term.label} của {where} sắp kết thúc: chuẩn bị đại hội"
            ),
            due_date=term.end_on,
            severity=Severity.OVERDUE if overdue else Severity.SOON,
            citation=f"Nhiệm kỳ {length.value} tháng — {length.citation}",
            url=reverse("orgs:detail", args=[organisation.pk]),
            organisation_id=organisation.pk,
            organisation_name=organisation.name,
            detail=f"Nhắc trước {reminder.value} ngày ({reminder.citation}).",
        )
