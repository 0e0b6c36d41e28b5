"""Organisation pages: tree browser, detail, history, and the restructuring forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvu.core.dueitems import inbox_for
from dangvu.core.models import ChangeRecord
from dangvu.core.rulebook import RuleMissing, rule_entry
from dangvu.core.scoping import Action, OutOfScope, scope_for
from dangvu.core.views import date_param, service_form_page

from . import selectors, services
from .forms import (
    DecisionForm,
    MergeForm,
    MoveForm,
    OrganisationCreateForm,
    OrganisationUpdateForm,
    TermEditForm,
    TermForm,
)
from .models import Organisation, Term


def _can_change(user, organisation: Organisation) -> bool:
    return scope_for(user).allows_path(organisation.path, Action.CHANGE)


def _can_restructure(user, organisation: Organisation) -> bool:
    """Move, merge and dissolve are decisions of the superior."""
    scope = scope_for(user)
    if organisation.parent_id is None:
        return scope.covers_all(Action.ADMINISTER)
    parent_path = organisation.path[: -Organisation.steplen]
    return scope.allows_path(parent_path, Action.CHANGE)


def _ancestors_in_scope(user, organisation: Organisation) -> list[Organisation]:
    step = Organisation.steplen
    paths = [organisation.path[:i] for i in range(step, len(organisation.path), step)]
    return list(Organisation.objects.restrict(user).filter(path__in=paths).order_by("depth"))


@login_required
def tree(request):
    q = request.GET.get("q", "").strip()
    as_of = date_param(request, "as_of")
    as_of_raw = request.GET.get("as_of", "").strip()
    context = {"q": q, "as_of": as_of, "as_of_raw": as_of_raw}
    if as_of_raw and as_of is None:
        context["as_of_error"] = f"Ngày “{as_of_raw}” không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."
    if as_of is not None:
        context["as_of_roots"] = selectors.tree_as_of(fetched_by=request.user, on=as_of)
        context["as_of_total"] = sum(root.count() for root in context["as_of_roots"])
    elif q:
        results = selectors.organisation_list(fetched_by=request.user, q=q)
        page = Paginator(results, 50).get_page(request.GET.get("page"))
        context.update(page=page, result_count=page.paginator.count)
    else:
        roots = selectors.annotate_nodes(selectors.scope_roots(fetched_by=request.user))
        for root in roots:
            root.kids = selectors.children_of(fetched_by=request.user, organisation=root)
            root.kind_counts = selectors.subtree_kind_counts(root)
        context["roots"] = roots
    return render(request, "orgs/tree.html", context)


@login_required
def children(request, pk: int):
    organisation = selectors.organisation_get(fetched_by=request.user, pk=pk)
    kids = selectors.children_of(fetched_by=request.user, organisation=organisation)
    return render(request, "orgs/_children.html", {"kids": kids, "parent": organisation})


@login_required
def detail(request, pk: int):
    organisation = selectors.organisation_get(fetched_by=request.user, pk=pk)
    today = timezone.localdate()
    terms = list(selectors.terms_of(fetched_by=request.user, organisation=organisation))
    try:
        term_rule = rule_entry(f"term.length_months.{organisation.kind}", today)
    except RuleMissing:
        term_rule = None
    items = inbox_for(request.user, today, organisation=organisation)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": organisation,
            "ancestors": _ancestors_in_scope(request.user, organisation),
            "kids": selectors.children_of(
                fetched_by=request.user, organisation=organisation, include_dissolved=True
            ),
            "kind_counts": selectors.subtree_kind_counts(organisation),
            "terms": terms,
            "can_edit_terms": _can_change(request.user, organisation) and not organisation.is_dissolved,
            "current_term": selectors.current_term(organisation, today),
            "term_rule": term_rule,
            "records": ChangeRecord.objects.restrict(request.user)
            .filter(organisation=organisation)
            .select_related("user", "content_type")[:5],
            "items": items,
            "panels": selectors.panels_for(request.user, organisation, date_param(request, "as_of")),
            "can_change": _can_change(request.user, organisation) and not organisation.is_dissolved,
            "can_restructure": _can_restructure(request.user, organisation) and not organisation.is_dissolved,
            "today": today,
        },
    )


@login_required
def history(request, pk: int):
    organisation = selectors.organisation_get(fetched_by=request.user, pk=pk)
    records = (
        ChangeRecord.objects.restrict(request.user)
        .filter(organisation=organisation)
        .select_related("user", "content_type")
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/history.html", {"org": organisation, "page": page})


def _form_page(request, *, organisation, form, template_title, submit_label, run, success, danger=False):
    """A restructuring form: ``run`` returns the organisation to show afterwards."""
    return service_form_page(
        request,
        form=form,
        run=lambda data: reverse("orgs:detail", args=[run(data).pk]),
        success=success,
        template="orgs/form.html",
        context={
            "org": organisation,
            "title": template_title,
            "submit_label": submit_label,
            "danger": danger,
        },
        out_of_scope=(None, "Thao tác này thuộc thẩm quyền của cấp trên của tổ chức."),
    )


def _for_change(request, pk):
    return selectors.organisation_get(fetched_by=request.user, pk=pk, action=Action.CHANGE)


def _for_restructure(request, pk):
    organisation = _for_change(request, pk)
    if not _can_restructure(request.user, organisation):
        raise OutOfScope("restructuring belongs to the superior")
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def create_child(request, pk: int):
    parent = _for_change(request, pk)
    try:
        allowed = rule_entry("org.allowed_children").value.get(parent.kind, [])
    except RuleMissing:
        allowed = []
    form = OrganisationCreateForm(
        request.POST or None, allowed_kinds=allowed, initial={"founded_on": timezone.localdate()}
    )

    def run(data):
        return services.organisation_create(by=request.user, parent=parent, **data)

    return _form_page(
        request,
        organisation=parent,
        form=form,
        template_title=f"Thành lập tổ chức trực thuộc {parent.name}",
        submit_label="Thành lập",
        run=run,
        success="Đã thành lập tổ chức mới.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    organisation = _for_change(request, pk)
    form = OrganisationUpdateForm(
        request.POST or None,
        initial={f: getattr(organisation, f) for f in ("name", "short_name", "code", "address")},
    )

    def run(data):
        decision = {k: data.pop(k) for k in ("reason", "decision_number", "decision_date", "effective_on")}
        changes = {k: v for k, v in data.items() if v != getattr(organisation, k)}
        return services.organisation_update(by=request.user, organisation=organisation, **decision, **changes)

    return _form_page(
        request,
        organisation=organisation,
        form=form,
        template_title=f"Đổi tên, sửa thông tin: {organisation.name}",
        submit_label="Lưu thay đổi",
        run=run,
        success="Đã lưu thay đổi.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request, pk: int):
    organisation = _for_restructure(request, pk)
    form = MoveForm(request.POST or None, user=request.user, organisation=organisation)

    def run(data):
        return services.organisation_move(by=request.user, organisation=organisation, **data)

    return _form_page(
        request,
        organisation=organisation,
        form=form,
        template_title=f"Chuyển giao {organisation.name}",
        submit_label="Chuyển giao",
        run=run,
        success="Đã chuyển giao tổ chức.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, pk: int):
    organisation = _for_restructure(request, pk)
    form = MergeForm(request.POST or None, user=request.user, organisation=organisation)

    def run(data):
        services.organisation_merge(by=request.user, source=organisation, **data)
        return organisation

    return _form_page(
        request,
        organisation=organisation,
        form=form,
        template_title=f"Hợp nhất {organisation.name} vào tổ chức khác",
        submit_label="Hợp nhất",
        run=run,
        success="Đã hợp nhất; tổ chức này được ghi là đã giải thể.",
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dissolve(request, pk: int):
    organisation = _for_restructure(request, pk)
    form = DecisionForm(request.POST or None)

    def run(data):
        return services.organisation_dissolve(by=request.user, organisation=organisation, **data)

    return _form_page(
        request,
        organisation=organisation,
        form=form,
        template_title=f"Giải thể {organisation.name}",
        submit_label="Giải thể",
        run=run,
        success="Đã giải thể; hồ sơ và lịch sử của tổ chức vẫn được lưu.",
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_new(request, pk: int):
    organisation = _for_change(request, pk)
    form = TermForm(request.POST or None)

    def run(data):
        services.term_create(by=request.user, organisation=organisation, **data)
        return organisation

    return _form_page(
        request,
        organisation=organisation,
        form=form,
        template_title=f"Ghi nhận nhiệm kỳ của {organisation.name}",
        submit_label="Lưu nhiệm kỳ",
        run=run,
        success="Đã lưu nhiệm kỳ.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request, pk: int):
    term = Term.objects.get_in_scope(request.user, Action.CHANGE, pk=pk)
    organisation = term.organisation
    fields = ("number", "start_on", "end_on", "congress_on", "note")
    form = TermEditForm(request.POST or None, initial={f: getattr(term, f) for f in fields})

    def run(data):
        reason = data.pop("reason")
        changes = {
            k: v for k, v in data.items() if v != getattr(term, k) and not (k == "end_on" and v is None)
        }
        services.term_update(by=request.user, term=term, reason=reason, **changes)
        return organisation

    return _form_page(
        request,
        organisation=organisation,
        form=form,
        template_title=f"Sửa nhiệm kỳ {term.label} của {organisation.name}",
        submit_label="Lưu",
        run=run,
        success="Đã sửa nhiệm kỳ; giá trị cũ vẫn còn trong lịch sử.",
    )
