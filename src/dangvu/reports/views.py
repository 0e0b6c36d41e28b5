"""Report pages: the reports inbox, sending a request, following it (standing per organisation, the
consolidated xlsx), writing and submitting a report, each report as docx; report templates (administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvu.core.audit import history_for
from dangvu.core.scoping import Action, OutOfScope, scope_for
from dangvu.core.views import apply_service_errors, service_form_page

from . import export, forms, selectors, services
from .models import ReportRequest, ReportTemplate, SubmissionState


def _can_change_request(user, request: ReportRequest) -> bool:
    return scope_for(user).allows_path(request.issuer.path, Action.CHANGE)


def _can_issue(user) -> bool:
    return selectors.issuers_for(user).exists()


@login_required
def home(request):
    today = timezone.localdate()
    to_write = list(selectors.reports_to_write(fetched_by=request.user)[:200])
    for submission in to_write:
        submission.current_standing = submission.standing(today)
    return render(
        request,
        "reports/home.html",
        {
            "to_write": to_write,
            "requests": selectors.request_list(fetched_by=request.user)[:200],
            "today": today,
            "can_issue": _can_issue(request.user),
            "is_admin": scope_for(request.user).covers_all(Action.ADMINISTER),
        },
    )


# ───────────────────────── requests (the superior) ─────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    if not _can_issue(request.user):
        raise OutOfScope("no organisation to issue report requests from")
    form = forms.RequestForm(request.POST or None, user=request.user)

    def create(data):
        created = services.request_create(
            by=request.user,
            issuer=data["issuer"],
            template=data["template"],
            recipients=form.recipient_list(),
            period_start=data["period_start"],
            period_end=data["period_end"],
            due_on=data["due_on"],
            title=data["title"],
            note=data["note"],
        )
        return reverse("reports:request_detail", args=[created.pk])

    return service_form_page(
        request,
        form=form,
        run=create,
        success="Đã gửi yêu cầu báo cáo.",
        template="reports/request_form.html",
        context={},
        out_of_scope=("issuer", "Tổ chức này nằm ngoài phạm vi bạn được giao."),
    )


@login_required
def request_detail(request, pk: int):
    report_request = selectors.request_get(fetched_by=request.user, pk=pk)
    today = timezone.localdate()
    rows = selectors.request_rows(report_request, today)
    return render(
        request,
        "reports/request_detail.html",
        {
            "report_request": report_request,
            "rows": rows,
            "counts": selectors.standing_counts(rows),
            "can_change": _can_change_request(request.user, report_request),
            "history": history_for(report_request).select_related("content_type")[:20],
            "today": today,
        },
    )


@login_required
def request_xlsx(request, pk: int):
    report_request = selectors.request_get(fetched_by=request.user, pk=pk)
    return export.consolidated_response(report_request, selectors.request_rows(report_request))


@login_required
@require_http_methods(["GET", "POST"])
def request_close(request, pk: int):
    report_request = selectors.request_get(fetched_by=request.user, pk=pk, action=Action.CHANGE)

    def close(data):
        services.request_close(by=request.user, request=report_request, reason=data["reason"])
        return reverse("reports:request_detail", args=[report_request.pk])

    return service_form_page(
        request,
        form=forms.ReasonForm(request.POST or None),
        run=close,
        success="Đã đóng yêu cầu báo cáo.",
        template="reports/reason_form.html",
        context={
            "title": "Đóng yêu cầu báo cáo",
            "subject": report_request.title,
            "explain": "Sau khi đóng, các tổ chức không sửa, không nộp báo cáo được nữa; "
            "các báo cáo đã nộp vẫn được giữ.",
            "submit_label": "Đóng yêu cầu",
            "back": reverse("reports:request_detail", args=[report_request.pk]),
        },
    )


# ───────────────────────── reports (the recipient) ─────────────────────────


@login_required
def submission_detail(request, pk: int):
    submission = selectors.submission_get(fetched_by=request.user, pk=pk)
    user = request.user
    can_follow = scope_for(user).allows_path(submission.request.issuer.path, Action.VIEW)
    return render(
        request,
        "reports/submission_detail.html",
        {
            "submission": submission,
            "report_request": submission.request,
            "standing": submission.standing(),
            "figures": submission.figures.order_by("position"),
            "can_edit": submission.is_editable
            and scope_for(user).allows_path(submission.organisation.path, Action.CHANGE),
            "can_return": submission.state == SubmissionState.SUBMITTED
            and submission.request.is_open
            and _can_change_request(user, submission.request),
            "can_follow": can_follow,
            "history": history_for(submission).select_related("content_type")[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk: int):
    submission = selectors.submission_get(fetched_by=request.user, pk=pk, action=Action.CHANGE)
    if not submission.is_editable:
        messages.info(request, "Báo cáo này đã nộp hoặc yêu cầu đã đóng: chỉ xem được.")
        return redirect("reports:submission_detail", pk=submission.pk)
    form = forms.SubmissionForm(request.POST or None, submission=submission)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            if action == "submit":
                services.submission_submit(by=request.user, submission=submission, **form.service_arguments())
                messages.success(request, "Đã nộp báo cáo lên cấp trên.")
                return redirect("reports:submission_detail", pk=submission.pk)
            services.submission_save(
                by=request.user,
                submission=submission,
                refresh_figures=action == "refresh",
                **form.service_arguments(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                "Đã cập nhật số liệu từ thống kê." if action == "refresh" else "Đã lưu bản nháp báo cáo.",
            )
            return redirect("reports:submission_edit", pk=submission.pk)
    return render(
        request,
        "reports/submission_form.html",
        {"form": form, "submission": submission, "report_request": submission.request},
    )


@login_required
def submission_docx(request, pk: int):
    submission = selectors.submission_get(fetched_by=request.user, pk=pk)
    return export.submission_docx_response(submission)


@login_required
@require_http_methods(["GET", "POST"])
def submission_return(request, pk: int):
    submission = selectors.submission_get(fetched_by=request.user, pk=pk)
    if not _can_change_request(request.user, submission.request):
        raise OutOfScope("only the issuing organisation returns a report")

    def send_back(data):
        services.submission_return(by=request.user, submission=submission, reason=data["reason"])
        return reverse("reports:request_detail", args=[submission.request_id])

    return service_form_page(
        request,
        form=forms.ReasonForm(request.POST or None),
        run=send_back,
        success="Đã trả lại báo cáo để tổ chức sửa và nộp lại.",
        template="reports/reason_form.html",
        context={
            "title": "Trả lại báo cáo",
            "subject": f"{submission.request.title} — {submission.organisation.name}",
            "explain": "Tổ chức sẽ thấy lý do trong mục Việc đến hạn, sửa và nộp lại.",
            "submit_label": "Trả lại báo cáo",
            "back": reverse("reports:submission_detail", args=[submission.pk]),
        },
    )


# ───────────────────────── report templates (administrator) ─────────────────────────


def _administrator(request) -> None:
    if not scope_for(request.user).covers_all(Action.ADMINISTER):
        raise OutOfScope("report templates are the administrator's")


@login_required
def templates(request):
    _administrator(request)
    return render(
        request, "reports/templates.html", {"templates": selectors.template_list(fetched_by=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request):
    _administrator(request)
    return _template_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int):
    _administrator(request)
    template = ReportTemplate.objects.get_in_scope(request.user, Action.ADMINISTER, pk=pk)
    return _template_page(request, template)


def _template_page(request, template: ReportTemplate | None):
    data = request.POST or None
    initial = {"active": True}
    if template is not None:
        initial = {"name": template.name, "description": template.description, "active": template.active}
    form = forms.TemplateForm(data, initial=initial)
    choices = forms.indicator_choices()
    indicators = forms.IndicatorFormSet(
        data,
        prefix="indicators",
        initial=template.indicators if template else None,
        form_kwargs={"choices": choices},
    )
    sections = forms.SectionFormSet(data, prefix="sections", initial=template.sections if template else None)
    if request.method == "POST" and form.is_valid() and indicators.is_valid() and sections.is_valid():
        try:
            saved = services.template_save(
                by=request.user,
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                active=form.cleaned_data["active"],
                indicators=forms.formset_rows(indicators, "key"),
                sections=forms.formset_rows(sections, "title"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Đã lưu mẫu báo cáo.")
            return redirect("reports:template_edit", pk=saved.pk)
    return render(
        request,
        "reports/template_form.html",
        {
            "form": form,
            "indicators": indicators,
            "sections": sections,
            "template": template,
            "history": history_for(template).select_related("content_type")[:20] if template else [],
        },
    )
