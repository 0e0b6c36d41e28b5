"""Core pages: dashboard, inbox, rulebook, deadline calculator and calendar."""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvu.accounts.scope import roles_in_force
from dangvu.orgs.selectors import current_term, dashboard_panels_for, scope_roots, subtree_kind_counts

from . import services
from .calendar import add_months, add_working_days, public_holidays
from .dueitems import inbox_for
from .forms import CalendarDayForm, DeadlineForm, RuleVersionForm
from .labels import GROUP_LABELS
from .models import CalendarDay, ChangeRecord, Rule
from .rulebook import format_value
from .scoping import Action, OutOfScope, scope_for


def service_form_page(
    request,
    *,
    form,
    run,
    success: str,
    template: str,
    context: dict,
    out_of_scope: tuple[str | None, str] = (None, "Thao tác này nằm ngoài phạm vi bạn được giao."),
):
    """The one flow of every form that calls a service: validate, call ``run(cleaned_data)`` (which returns
    where to go next), show the service's Vietnamese errors on the form, or redirect with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            destination = run(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except OutOfScope:
            form.add_error(*out_of_scope)
        else:
            messages.success(request, success)
            return redirect(destination)
    return render(request, template, {"form": form, **context})


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def dashboard(request):
    today = timezone.localdate()
    roots = scope_roots(fetched_by=request.user)
    for root in roots:
        root.kind_counts = subtree_kind_counts(root)
        root.total_below = sum(root.kind_counts.values())
        root.grassroots_count = root.kind_counts.get("grassroots_committee", 0) + root.kind_counts.get(
            "grassroots_branch", 0
        )
        root.term = current_term(root, today)
        root.panels = dashboard_panels_for(request.user, root)
    items = inbox_for(request.user, today)
    return render(
        request,
        "core/dashboard.html",
        {
            "roots": roots,
            "items": items[:8],
            "item_count": len(items),
            "today": today,
            "roles": roles_in_force(request.user),
        },
    )


@login_required
def inbox(request):
    today = timezone.localdate()
    return render(request, "core/inbox.html", {"items": inbox_for(request.user, today), "today": today})


def group_label(prefix: str) -> str:
    return GROUP_LABELS.get(prefix, prefix)


def date_param(request, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


@login_required
def rules_list(request):
    on = date_param(request, "on") or timezone.localdate()
    in_force = (
        Rule.objects.restrict(request.user)
        .filter(effective_from__lte=on)
        .exclude(effective_to__lt=on)
        .order_by("key")
    )
    groups: OrderedDict[str, list[Rule]] = OrderedDict()
    for entry in in_force:
        entry.display_value = format_value(entry.value, entry.unit)
        groups.setdefault(group_label(entry.key.split(".")[0]), []).append(entry)
    version_counts = {}
    for key in Rule.objects.restrict(request.user).values_list("key", flat=True):
        version_counts[key] = version_counts.get(key, 0) + 1
    for entries in groups.values():
        for entry in entries:
            entry.version_count = version_counts[entry.key]
    return render(
        request,
        "core/rules_list.html",
        {"groups": groups, "on": on, "count": len(in_force), "total_keys": len(version_counts)},
    )


@login_required
def rule_detail(request, key: str):
    versions = list(Rule.objects.restrict(request.user).filter(key=key).order_by("-effective_from"))
    if not versions:
        raise Http404("no such rule")
    for version in versions:
        version.display_value = format_value(version.value, version.unit)
    # The change log of the rulebook is the administrators' (records without an organisation).
    records = (
        ChangeRecord.objects.restrict(request.user)
        .filter(
            content_type__app_label="core", content_type__model="rule", object_id__in=[v.pk for v in versions]
        )
        .select_related("user", "content_type")
    )
    return render(
        request,
        "core/rule_detail.html",
        {
            "key": key,
            "versions": versions,
            "latest": versions[0],
            "records": records,
            "can_edit": scope_for(request.user).covers_all(Action.ADMINISTER),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_new_version(request, key: str):
    if not scope_for(request.user).covers_all(Action.ADMINISTER):
        raise Http404("administrators only")
    latest = (
        Rule.objects.restrict(request.user, Action.ADMINISTER)
        .filter(key=key)
        .order_by("-effective_from")
        .first()
    )
    if latest is None:
        raise Http404("no such rule")
    form = RuleVersionForm(
        request.POST or None,
        initial={"value": json.dumps(latest.value, ensure_ascii=False), "status": latest.status},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_add_version(by=request.user, key=key, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Đã thêm phiên bản mới của quy định.")
            return redirect("core:rule_detail", key=key)
    return render(request, "core/rule_new_version.html", {"form": form, "latest": latest, "key": key})


@login_required
def calendar_view(request):
    form = DeadlineForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        start, amount, unit = (form.cleaned_data[k] for k in ("start", "amount", "unit"))
        if unit == "working_days":
            deadline = add_working_days(start, amount)
            result = {"deadline": deadline.deadline, "skipped": deadline.skipped, "unit": "ngày làm việc"}
        else:
            result = {"deadline": add_months(start, amount), "skipped": [], "unit": "tháng"}
        result.update(start=start, amount=amount)
    year = timezone.localdate().year
    holidays_this_year = public_holidays(year)
    return render(
        request,
        "core/calendar.html",
        {
            "form": form,
            "result": result,
            "year": year,
            "holidays": holidays_this_year,
            "days": CalendarDay.objects.restrict(request.user).filter(date__year__gte=year - 1),
            "day_form": CalendarDayForm(),
            "can_edit": scope_for(request.user).covers_all(Action.ADMINISTER),
        },
    )


@login_required
@require_http_methods(["POST"])
def calendar_day_new(request):
    if not scope_for(request.user).covers_all(Action.ADMINISTER):
        raise Http404("administrators only")
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_day_set(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Đã lưu ngày điều chỉnh lịch.")
            return redirect("core:calendar")
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("core:calendar")
