"""Statistics pages: the figures of an organisation's subtree (today or any past date), with charts, the
table of its direct subordinates, and the xlsx to hand up."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from dangvu.core.views import date_param
from dangvu.orgs import selectors as org_selectors

from . import export
from .selectors import CHILD_COLUMNS, Statistics, chart_data, children_rows, statistics

KEY_FIGURES = (
    ("members.total", "đảng viên"),
    ("members.official", "chính thức"),
    ("members.probationary", "dự bị"),
    ("members.female", "nữ"),
    ("period.admitted", "kết nạp trong kỳ"),
    ("committee.total", "cấp ủy viên"),
)


class PeriodError(ValueError):
    pass


def _dates(request) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """``as_of``, ``from``, ``to`` from the query (dd/mm/yyyy); a Vietnamese message for a bad one."""
    values = []
    for name, label in (("as_of", "Tính đến ngày"), ("from", "Kỳ từ ngày"), ("to", "Kỳ đến ngày")):
        raw = request.GET.get(name, "").strip()
        value = date_param(request, name)
        if raw and value is None:
            raise PeriodError(f"{label}: “{raw}” không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")
        values.append(value)
    as_of, start, end = values
    today = timezone.localdate()
    if as_of and as_of > today:
        raise PeriodError("Tính đến ngày: không thể sau hôm nay.")
    if start and end and start > end:
        raise PeriodError("Kỳ từ ngày phải trước kỳ đến ngày.")
    return as_of, start, end


def _statistics(request, pk: int) -> tuple[Statistics, str | None]:
    organisation = org_selectors.organisation_get(fetched_by=request.user, pk=pk)
    try:
        as_of, start, end = _dates(request)
        error = None
    except PeriodError as problem:
        as_of = start = end = None
        error = str(problem)
    return statistics(organisation, as_of, start, end), error


@login_required
def home(request):
    roots = org_selectors.scope_roots(fetched_by=request.user)
    if len(roots) == 1:
        return redirect("stats:organisation", pk=roots[0].pk)
    return render(request, "stats/home.html", {"roots": roots})


@login_required
def organisation(request, pk: int):
    stats, error = _statistics(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "stats/organisation.html",
        {
            "org": stats.organisation,
            "stats": stats,
            "error": error,
            "today": today,
            "is_today": stats.on == today,
            "key_figures": [(stats.values[key], label) for key, label in KEY_FIGURES],
            "children": children_rows(request.user, stats) if stats.on == today else None,
            "child_columns": CHILD_COLUMNS,
            "charts": chart_data(stats),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def organisation_xlsx(request, pk: int):
    stats, _error = _statistics(request, pk)
    children = children_rows(request.user, stats) if stats.on == timezone.localdate() else None
    return export.statistics_response(stats, children)
