"""Objects the report batteries act on, created on first use inside world.a's subtree (looked up again on
later calls, so a battery's snapshot compares the same row)."""

from __future__ import annotations

import datetime as dt

from dangvu.reports import services
from dangvu.reports.models import ReportRequest, ReportSubmission, ReportTemplate, SubmissionState

TITLE = "Báo cáo thử của Alpha"


def template(code: str = "so-ket-6-thang") -> ReportTemplate:
    return ReportTemplate.objects.get(code=code)


def request_from_a(world, *, due_on: dt.date | None = None, recipients=None) -> ReportRequest:
    """Office a asks its branches a1 and a2 for the half-year report."""
    found = ReportRequest.objects.filter(issuer=world.a, title=TITLE).first()
    if found:
        return found
    today = dt.date.today()
    return services.request_create(
        by=world.office_a,
        issuer=world.a,
        template=template(),
        recipients=recipients or [world.a1, world.a2],
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 6, 30),
        due_on=due_on or today + dt.timedelta(days=3),
        title=TITLE,
    )


def submission_of_a1(world) -> ReportSubmission:
    return ReportSubmission.objects.get(request=request_from_a(world), organisation=world.a1)


def narrative(submission: ReportSubmission) -> list[str]:
    return [f"Nội dung phần {n}: tốt." for n, _section in enumerate(submission.request.sections, start=1)]


def submitted_of_a1(world) -> ReportSubmission:
    submission = submission_of_a1(world)
    if submission.state != SubmissionState.SUBMITTED:
        submission = services.submission_submit(
            by=world.secretary_a1, submission=submission, narrative=narrative(submission)
        )
    return submission
