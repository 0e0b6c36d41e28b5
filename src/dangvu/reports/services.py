"""Writes of the report module. Each service validates, runs in one transaction, appends its change record
and re-checks the acting user's scope before the transaction commits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dangvu.core.audit import record_change
from dangvu.core.models import ChangeAction
from dangvu.core.scoping import Action, OutOfScope, ensure_in_scope, scope_for
from dangvu.core.text import normalise
from dangvu.orgs.models import Organisation

from . import selectors
from .models import (
    ReportFigure,
    ReportRequest,
    ReportSubmission,
    ReportTemplate,
    RequestState,
    SubmissionState,
)

MAX_INDICATORS = 60
MAX_SECTIONS = 20


# ───────────────────────── templates (administrator) ─────────────────────────


def _clean_indicators(indicators: list[dict]) -> list[dict]:
    known = selectors.indicator_labels()
    cleaned, seen = [], set()
    for number, item in enumerate(indicators, start=1):
        key = (item.get("key") or "").strip()
        if key not in known:
            raise ValidationError({"indicators": f"Chỉ tiêu {number}: “{key}” không có trong thống kê."})
        if key in seen:
            raise ValidationError({"indicators": f"Chỉ tiêu {number}: “{known[key]}” bị lặp lại."})
        seen.add(key)
        label = " ".join((item.get("label") or "").split()) or known[key]
        cleaned.append({"key": key, "label": label[:300]})
    if len(cleaned) > MAX_INDICATORS:
        raise ValidationError({"indicators": f"Chỉ tiêu số liệu: tối đa {MAX_INDICATORS} chỉ tiêu."})
    return cleaned


def _clean_sections(sections: list[dict]) -> list[dict]:
    cleaned = []
    for number, item in enumerate(sections, start=1):
        title = " ".join((item.get("title") or "").split())
        if not title:
            raise ValidationError({"sections": f"Phần nội dung {number}: hãy nhập tiêu đề."})
        cleaned.append({"title": title[:300], "guidance": (item.get("guidance") or "").strip()})
    if len(cleaned) > MAX_SECTIONS:
        raise ValidationError({"sections": f"Phần nội dung: tối đa {MAX_SECTIONS} phần."})
    return cleaned


def _ensure_administrator(by) -> None:
    if not scope_for(by).covers_all(Action.ADMINISTER):
        raise OutOfScope("only an administrator edits report templates")


def _unique_code(name: str) -> str:
    base = slugify(normalise(name))[:50] or "mau-bao-cao"
    code, n = base, 1
    while ReportTemplate.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


TEMPLATE_FIELDS = ("name", "description", "indicators", "sections", "active")


@transaction.atomic
def template_save(
    *,
    by,
    template: ReportTemplate | None = None,
    name: str,
    description: str = "",
    indicators: list[dict],
    sections: list[dict],
    active: bool = True,
    reason: str = "",
) -> ReportTemplate:
    """Create a report template (``template`` None) or change one. Requests already issued keep their copy."""
    _ensure_administrator(by)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Hãy nhập tên mẫu báo cáo."})
    indicators, sections = _clean_indicators(indicators), _clean_sections(sections)
    if not indicators and not sections:
        raise ValidationError({"sections": "Mẫu báo cáo cần ít nhất một chỉ tiêu hoặc một phần nội dung."})
    after = {
        "name": name,
        "description": description.strip(),
        "indicators": indicators,
        "sections": sections,
        "active": active,
    }
    if template is None:
        template = ReportTemplate(code=_unique_code(name), **after)
        template.full_clean()
        template.save()
        record_change(obj=template, action=ChangeAction.CREATE, by=by, changes={}, data=after, reason=reason)
    else:
        template = ReportTemplate.objects.select_for_update().get(pk=template.pk)
        before = {field: getattr(template, field) for field in TEMPLATE_FIELDS}
        changes = {
            name: [before[name], after[name]] for name in TEMPLATE_FIELDS if before[name] != after[name]
        }
        if not changes:
            return template
        for field, value in after.items():
            setattr(template, field, value)
        template.full_clean()
        template.save()
        record_change(obj=template, action=ChangeAction.UPDATE, by=by, changes=changes, reason=reason)
    ensure_in_scope(by, template, Action.CHANGE)
    return template


# ───────────────────────── requests (the superior) ─────────────────────────


def _add_figures(submission: ReportSubmission, values: dict[str, Decimal]) -> None:
    ReportFigure.objects.bulk_create(
        ReportFigure(
            submission=submission,
            position=position,
            key=item["key"],
            label=item["label"],
            prefilled=values[item["key"]],
            value=values[item["key"]],
        )
        for position, item in enumerate(submission.request.indicators, start=1)
    )


@transaction.atomic
def request_create(
    *,
    by,
    issuer: Organisation,
    template: ReportTemplate,
    recipients: list[Organisation],
    period_start: dt.date,
    period_end: dt.date,
    due_on: dt.date,
    title: str = "",
    note: str = "",
) -> ReportRequest:
    """Send a report request from ``issuer`` to organisations below it. Each recipient gets its report with
    the template's sections (empty) and figures pre-filled from the statistics as of the period's end."""
    if not Organisation.objects.restrict(by, Action.CHANGE).filter(pk=issuer.pk).exists():
        raise OutOfScope("the issuer is outside the acting user's scope")
    if not template.active:
        raise ValidationError({"template": "Mẫu báo cáo này đã ngừng sử dụng."})
    if period_end < period_start:
        raise ValidationError({"period_end": "Kỳ báo cáo đến ngày phải sau kỳ báo cáo từ ngày."})
    if due_on < period_start:
        raise ValidationError({"due_on": "Hạn nộp phải sau ngày đầu kỳ báo cáo."})
    recipients = sorted({o.pk: o for o in recipients}.values(), key=lambda o: o.path)
    if not recipients:
        raise ValidationError({"recipients": "Chưa có tổ chức nào nhận yêu cầu báo cáo."})
    for organisation in recipients:
        if not organisation.path.startswith(issuer.path) or organisation.pk == issuer.pk:
            raise ValidationError(
                {"recipients": f"{organisation.name} không trực thuộc {issuer.name}: không gửi yêu cầu được."}
            )
        if organisation.dissolved_on is not None:
            raise ValidationError({"recipients": f"{organisation.name} đã giải thể."})
    known = selectors.indicator_labels(min(period_end, timezone.localdate()))
    missing = [item["label"] for item in template.indicators if item["key"] not in known]
    if missing:
        raise ValidationError(
            {"template": f"Mẫu báo cáo có chỉ tiêu không còn trong thống kê: {', '.join(missing)}."}
        )
    request = ReportRequest(
        issuer=issuer,
        template=template,
        title=" ".join(title.split()) or template.name,
        indicators=list(template.indicators),
        sections=list(template.sections),
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        note=note.strip(),
        created_by=by,
    )
    request.full_clean()
    request.save()
    for organisation in recipients:
        figures_on, values = selectors.prefill(organisation, request)
        submission = ReportSubmission.objects.create(
            request=request,
            organisation=organisation,
            narrative=[""] * len(request.sections),
            figures_on=figures_on,
        )
        _add_figures(submission, values)
    record_change(
        obj=request,
        action=ChangeAction.CREATE,
        by=by,
        organisation=issuer,
        data={
            "template": template.name,
            "period": [period_start, period_end],
            "due_on": due_on,
            "recipients": [o.name for o in recipients],
        },
    )
    ensure_in_scope(by, request, Action.CHANGE)
    return request


@transaction.atomic
def request_close(*, by, request: ReportRequest, reason: str) -> ReportRequest:
    """Stop receiving reports for this request (it stays readable, with every report sent)."""
    request = ReportRequest.objects.select_for_update().get_in_scope(by, Action.CHANGE, pk=request.pk)
    if request.state == RequestState.CLOSED:
        raise ValidationError({"reason": "Yêu cầu báo cáo này đã đóng."})
    if not reason.strip():
        raise ValidationError({"reason": "Hãy nêu lý do đóng yêu cầu báo cáo."})
    request.state, request.closed_at = RequestState.CLOSED, timezone.now()
    request.save(update_fields=["state", "closed_at"])
    record_change(
        obj=request,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=request.issuer,
        changes={"state": [RequestState.OPEN, RequestState.CLOSED]},
        reason=reason.strip(),
    )
    ensure_in_scope(by, request, Action.CHANGE)
    return request


# ───────────────────────── reports (the recipient) ─────────────────────────


def _editable(by, submission: ReportSubmission) -> ReportSubmission:
    submission = (
        ReportSubmission.objects.select_for_update()
        .select_related("request", "organisation")
        .get_in_scope(by, Action.CHANGE, pk=submission.pk)
    )
    if not submission.request.is_open:
        raise ValidationError("Yêu cầu báo cáo đã đóng: không sửa, không nộp được nữa.")
    if submission.state == SubmissionState.SUBMITTED:
        raise ValidationError("Báo cáo đã nộp: không sửa được nữa.")
    return submission


def _apply(
    submission: ReportSubmission,
    *,
    narrative: list[str] | None,
    figures: dict[str, tuple[Decimal, str]] | None,
    number: str | None,
    signer: str | None,
    refresh: bool = False,
) -> dict[str, list]:
    """Write the edits into ``submission`` and its figures; return the changes for the history."""
    changes: dict[str, list] = {}
    sections = submission.request.sections
    if narrative is not None:
        if len(narrative) != len(sections):
            raise ValidationError({"narrative": f"Nội dung phải có đúng {len(sections)} phần."})
        old = submission.narrative + [""] * len(sections)
        for section, before, after in zip(sections, old, narrative, strict=False):
            if before.strip() != after.strip():
                changes[f"Nội dung: {section['title']}"] = [before, after.strip()]
        submission.narrative = [text.strip() for text in narrative]
    for name, value, limit, label in (
        ("number", number, 60, "Số, ký hiệu"),
        ("signer", signer, 150, "Người ký"),
    ):
        if value is not None and len(value.strip()) > limit:
            raise ValidationError({name: f"{label}: tối đa {limit} ký tự."})
        if value is not None and value.strip() != getattr(submission, name):
            changes[name] = [getattr(submission, name), value.strip()]
            setattr(submission, name, value.strip())
    rows = list(submission.figures.select_for_update().order_by("position"))
    unknown = sorted(set(figures or {}) - {figure.key for figure in rows})
    if unknown:
        raise ValidationError({"figures": f"Báo cáo này không có chỉ tiêu: {', '.join(unknown)}."})
    fresh: dict[str, Decimal] = {}
    if refresh:
        submission.figures_on, fresh = selectors.prefill(submission.organisation, submission.request)
    for figure in rows:
        given = (figures or {}).get(figure.key)
        value, reason = given if given is not None else (figure.value, figure.reason)
        value, reason = selectors.as_decimal(value), (reason or "").strip()
        prefilled = fresh[figure.key] if refresh else figure.prefilled
        if refresh and value == figure.prefilled:
            value = prefilled  # a figure nobody corrected follows the statistics
        where = f"Chỉ tiêu {figure.position} “{figure.label}”"
        if value < 0:
            raise ValidationError({"figures": f"{where}: số liệu không được âm."})
        if value != prefilled and not reason:
            raise ValidationError(
                {
                    "figures": f"{where}: số liệu báo cáo ({_number(value)}) khác số liệu thống kê "
                    f"({_number(prefilled)}) — hãy nêu lý do sửa."
                }
            )
        if value == prefilled:
            reason = ""
        if (figure.value, figure.reason) != (value, reason):
            changes[f"Số liệu: {figure.label}"] = [
                _figure_text(figure.value, figure.reason),
                _figure_text(value, reason),
            ]
        if (figure.value, figure.reason, figure.prefilled) != (value, reason, prefilled):
            figure.value, figure.reason, figure.prefilled = value, reason, prefilled
            figure.save(update_fields=["value", "reason", "prefilled"])
    return changes


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _figure_text(value: Decimal, reason: str) -> str:
    return f"{_number(value)} (lý do: {reason})" if reason else _number(value)


@transaction.atomic
def submission_save(
    *,
    by,
    submission: ReportSubmission,
    narrative: list[str] | None = None,
    figures: dict[str, tuple[Decimal, str]] | None = None,
    number: str | None = None,
    signer: str | None = None,
    refresh_figures: bool = False,
) -> ReportSubmission:
    """Save a draft report: the narrative (one text per section), figures ``{key: (value, reason)}`` (a value
    other than the statistics needs a reason), the number and the signer. ``refresh_figures`` reads the
    statistics again; figures not corrected follow them."""
    submission = _editable(by, submission)
    changes = _apply(
        submission,
        narrative=narrative,
        figures=figures,
        number=number,
        signer=signer,
        refresh=refresh_figures,
    )
    submission.updated_at = timezone.now()
    submission.save()
    if changes or refresh_figures:
        record_change(
            obj=submission,
            action=ChangeAction.UPDATE,
            by=by,
            organisation=submission.organisation,
            changes=changes,
            data={"figures_on": submission.figures_on} if refresh_figures else {},
            reason="Cập nhật số liệu từ thống kê" if refresh_figures else "",
        )
    ensure_in_scope(by, submission, Action.CHANGE)
    return submission


@transaction.atomic
def submission_submit(
    *,
    by,
    submission: ReportSubmission,
    narrative: list[str] | None = None,
    figures: dict[str, tuple[Decimal, str]] | None = None,
    number: str | None = None,
    signer: str | None = None,
) -> ReportSubmission:
    """Submit the report to the superior (saving the given edits first). Every section must have text."""
    submission = _editable(by, submission)
    changes = _apply(submission, narrative=narrative, figures=figures, number=number, signer=signer)
    empty = [
        s["title"]
        for s, text in zip(submission.request.sections, submission.narrative, strict=False)
        if not text
    ]
    if empty or len(submission.narrative) < len(submission.request.sections):
        raise ValidationError({"narrative": f"Chưa viết nội dung phần: {', '.join(empty)}."})
    changes["state"] = [submission.state, SubmissionState.SUBMITTED]
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = submission.updated_at = timezone.now()
    submission.submitted_by = by
    submission.save()
    late = submission.submitted_on > submission.request.due_on
    record_change(
        obj=submission,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=submission.organisation,
        changes=changes,
        data={"event": "submitted", "late": late},
        reason=f"Nộp báo cáo{' muộn' if late else ''} (hạn {submission.request.due_on:%d/%m/%Y})",
    )
    ensure_in_scope(by, submission, Action.CHANGE)
    return submission


@transaction.atomic
def submission_return(*, by, submission: ReportSubmission, reason: str) -> ReportSubmission:
    """The superior sends a submitted report back to be corrected and submitted again."""
    submission = (
        ReportSubmission.objects.select_for_update()
        .select_related("request__issuer", "organisation")
        .get_in_scope(by, Action.VIEW, pk=submission.pk)
    )
    if not ReportRequest.objects.restrict(by, Action.CHANGE).filter(pk=submission.request_id).exists():
        raise OutOfScope("only the issuing organisation returns a report")
    if submission.state != SubmissionState.SUBMITTED:
        raise ValidationError({"reason": "Chỉ trả lại được báo cáo đã nộp."})
    if not submission.request.is_open:
        raise ValidationError({"reason": "Yêu cầu báo cáo đã đóng."})
    if not reason.strip():
        raise ValidationError({"reason": "Hãy nêu lý do trả lại báo cáo."})
    submission.state, submission.returned_reason = SubmissionState.RETURNED, reason.strip()
    submission.submitted_at = submission.submitted_by = None
    submission.updated_at = timezone.now()
    submission.save()
    record_change(
        obj=submission,
        action=ChangeAction.UPDATE,
        by=by,
        organisation=submission.organisation,
        changes={"state": [SubmissionState.SUBMITTED, SubmissionState.RETURNED]},
        data={"event": "returned"},
        reason=reason.strip(),
    )
    ensure_in_scope(by, submission, Action.CHANGE)
    return submission
