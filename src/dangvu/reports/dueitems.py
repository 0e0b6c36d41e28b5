"""Due items of periodic reports: a recipient is reminded of a report due within ``report.reminder_days``
(and told when it is overdue or was returned); the superior sees its open requests past their due date
with reports still missing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse

from dangvu.core.dueitems import DueItem, Severity, due_item_provider
from dangvu.core.rulebook import rule_entry
from dangvu.core.scoping import Action
from dangvu.orgs.models import Organisation

from .models import ReportRequest, ReportSubmission, RequestState, SubmissionState


@due_item_provider("reports.due")
def report_items(user, today: dt.date, organisation=None):
    reminder = rule_entry("report.reminder_days", today)
    horizon = today + dt.timedelta(days=int(reminder.value))
    own = Organisation.objects.restrict(user, Action.CHANGE)

    # Reports the user's organisations owe: requests issued above the user's own subtrees.
    owed = (
        ReportSubmission.objects.restrict(user, Action.CHANGE)
        .outstanding()
        .filter(request__state=RequestState.OPEN, request__due_on__lte=horizon)
        .exclude(request__issuer__in=own)
        .select_related("request__issuer", "organisation")
    )
    if organisation is not None:
        owed = owed.filter(organisation=organisation)
    for submission in owed:
        request, where = submission.request, submission.organisation
        overdue = request.due_on < today
        if submission.state == SubmissionState.RETURNED:
            title = f"Báo cáo “{request.title}” của {where.name} bị trả lại: sửa và nộp lại"
        elif overdue:
            title = f"Quá hạn nộp báo cáo “{request.title}” của {where.name}"
        else:
            title = f"Nộp báo cáo “{request.title}” của {where.name}: hạn {request.due_on:%d/%m}"
        yield DueItem(
            kind="report",
            title=title,
            due_date=request.due_on,
            severity=Severity.OVERDUE if overdue else Severity.SOON,
            citation=f"Hạn do {request.issuer.name} giao; nhắc trước {reminder.value} ngày "
            f"— {reminder.citation}",
            url=reverse("reports:submission_edit", args=[submission.pk]),
            organisation_id=where.pk,
            organisation_name=where.name,
            detail=submission.returned_reason,
        )

    # The superior's open requests past due with reports missing.
    missing = Q(submissions__state__in=(SubmissionState.DRAFT, SubmissionState.RETURNED))
    late = (
        ReportRequest.objects.restrict(user, Action.CHANGE)
        .filter(state=RequestState.OPEN, due_on__lt=today)
        .annotate(missing=Count("submissions", filter=missing))
        .filter(missing__gt=0)
        .select_related("issuer")
    )
    if organisation is not None:
        late = late.filter(issuer=organisation)
    for request in late:
        yield DueItem(
            kind="report_missing",
            title=f"Báo cáo “{request.title}”: {request.missing} tổ chức chưa nộp "
            f"(quá hạn {request.due_on:%d/%m})",
            due_date=request.due_on,
            severity=Severity.OVERDUE,
            citation=f"Hạn nộp {request.due_on:%d/%m/%Y} do {request.issuer.name} giao",
            url=reverse("reports:request_detail", args=[request.pk]),
            organisation_id=request.issuer_id,
            organisation_name=request.issuer.name,
        )
