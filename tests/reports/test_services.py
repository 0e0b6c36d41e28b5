"""Report services: a request pre-fills each recipient's figures from the statistics, a correction needs a
reason, submission, late and missing reports, returns, closing; nothing is half-written when a write fails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangvu.core.dueitems import inbox_for
from dangvu.core.models import ChangeRecord
from dangvu.core.scoping import OutOfScope
from dangvu.reports import selectors, services
from dangvu.reports.models import (
    ReportFigure,
    ReportRequest,
    ReportSubmission,
    ReportTemplate,
    Standing,
    SubmissionState,
)
from dangvu.reports.seed import sync_templates
from dangvu.stats.selectors import statistics
from tests.members.conftest import make_member

from . import targets
from .targets import narrative

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def create(world, *, issuer=None, recipients=None, by=None, template="tong-ket-nam", **dates):
    period_start = dates.pop("period_start", dt.date(TODAY.year, 1, 1))
    return services.request_create(
        by=by or world.office_a,
        issuer=issuer or world.a,
        template=targets.template(template),
        recipients=recipients if recipients is not None else [world.a1, world.a2, world.a_sub],
        period_start=period_start,
        period_end=dates.pop("period_end", TODAY),
        due_on=dates.pop("due_on", TODAY + dt.timedelta(days=10)),
        **dates,
    )


def figures_of(submission) -> dict[str, Decimal]:
    return dict(submission.figures.values_list("key", "value"))


# ───────────────────────── templates ─────────────────────────


def test_two_templates_are_shipped_and_synced_insert_only(world):
    assert set(ReportTemplate.objects.values_list("code", flat=True)) >= {"so-ket-6-thang", "tong-ket-nam"}
    template = targets.template()
    services.template_save(
        by=world.admin,
        template=template,
        name="Sơ kết sửa",
        indicators=[{"key": "members.total", "label": ""}],
        sections=[{"title": "Một phần", "guidance": ""}],
    )
    assert sync_templates() == 0
    template.refresh_from_db()
    assert template.name == "Sơ kết sửa"
    assert template.indicators == [{"key": "members.total", "label": "Tổng số đảng viên"}]  # default label


def test_template_keys_must_exist_and_only_the_administrator_edits(world):
    with pytest.raises(ValidationError) as error:
        services.template_save(
            by=world.admin, name="Mẫu", indicators=[{"key": "members.nonsense"}], sections=[]
        )
    assert "không có trong thống kê" in str(error.value)
    with pytest.raises(OutOfScope):
        services.template_save(by=world.office_a, name="Mẫu", indicators=[], sections=[{"title": "A"}])
    assert not ReportTemplate.objects.filter(name="Mẫu").exists()


def test_editing_a_template_does_not_change_an_issued_request(world):
    request = create(world)
    template = targets.template("tong-ket-nam")
    indicators = list(request.indicators)
    services.template_save(
        by=world.admin,
        template=template,
        name=template.name,
        indicators=[{"key": "members.total", "label": "Đảng viên"}],
        sections=[{"title": "Chỉ một phần"}],
    )
    request.refresh_from_db()
    assert request.indicators == indicators
    assert len(request.sections) == 6


# ───────────────────────── pre-fill ─────────────────────────


@pytest.mark.parametrize(
    "period",
    [
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),  # a past period end: the statistics as of that day
        (dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31)),  # the year running: today's statistics
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),  # before anyone was admitted in 2026
    ],
)
def test_prefill_equals_the_statistics_of_each_recipient(world, people, period):
    start, end = period
    request = create(world, period_start=start, period_end=end, due_on=end)
    assert request.submissions.count() == 3
    for submission in request.submissions.select_related("organisation"):
        stats = statistics(submission.organisation, on=end, period_from=start, period_to=end)
        expected = {
            item["key"]: Decimal(str(stats.values.get(item["key"], 0))) for item in request.indicators
        }
        assert figures_of(submission) == expected
        assert submission.figures_on == stats.on
        assert all(f.prefilled == f.value and f.reason == "" for f in submission.figures.all())
    a1 = request.submissions.get(organisation=world.a1)
    figures = figures_of(a1)
    if end >= dt.date(2026, 3, 2):  # Trần Thị Bình admitted on 02/03/2026
        assert figures["members.total"] == 2
        assert figures["members.probationary"] == 1
        assert figures["period.admitted"] == 1
    else:
        assert figures["members.total"] == 1
        assert figures["period.admitted"] == 0


def test_refresh_follows_the_statistics_but_keeps_corrections(world, people):
    request = create(world)
    submission = request.submissions.get(organisation=world.a1)
    services.submission_save(
        by=world.secretary_a1,
        submission=submission,
        figures={"members.female": (Decimal(5), "Hai đồng chí chưa nhập hồ sơ")},
    )
    make_member(world.admin, world.a1, "Lê", "Thị", "Cúc", gender="female", admitted=dt.date(2020, 2, 1))
    services.submission_save(by=world.secretary_a1, submission=submission, refresh_figures=True)
    total = submission.figures.get(key="members.total")
    female = submission.figures.get(key="members.female")
    assert total.prefilled == total.value == 3
    assert female.prefilled == 2 and female.value == 5 and female.reason == "Hai đồng chí chưa nhập hồ sơ"


# ───────────────────────── recipients and scope ─────────────────────────


def test_recipients_are_the_children_or_the_grassroots_of_the_issuer(world):
    assert {o.code for o in selectors.recipients_for(world.a, "children")} == {"T.A.1", "T.A.2", "T.A.S"}
    assert {o.code for o in selectors.recipients_for(world.root, "grassroots")} == {"T.A", "T.B"}
    assert selectors.recipients_for(world.root, "chosen", [world.b1]) == [world.b1]


def test_a_request_outside_the_subtree_or_the_scope_is_refused_and_nothing_is_written(world):
    records = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as error:
        create(world, recipients=[world.a1, world.b1])
    assert "không trực thuộc" in error.value.message_dict["recipients"][0]
    with pytest.raises(OutOfScope):
        create(world, by=world.office_b)
    with pytest.raises(OutOfScope):
        create(world, by=world.secretary_a1)  # a branch secretary cannot speak for the committee above
    with pytest.raises(ValidationError):
        create(world, recipients=[])
    with pytest.raises(ValidationError) as error:
        create(world, period_start=TODAY, period_end=TODAY - dt.timedelta(days=1))
    assert "period_end" in error.value.message_dict
    assert (
        ReportRequest.objects.count() == ReportSubmission.objects.count() == ReportFigure.objects.count() == 0
    )
    assert ChangeRecord.objects.count() == records


def test_a_secretary_cannot_write_another_branchs_report(world):
    request = create(world)
    with pytest.raises(OutOfScope):
        services.submission_save(
            by=world.secretary_a1,
            submission=request.submissions.get(organisation=world.a2),
            narrative=[""] * 6,
        )


# ───────────────────────── corrections and submission ─────────────────────────


def test_a_correction_needs_a_reason_and_nothing_is_half_written(world, people):
    request = create(world)
    submission = request.submissions.get(organisation=world.a1)
    before, records = figures_of(submission), ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as error:
        services.submission_save(
            by=world.secretary_a1,
            submission=submission,
            narrative=["Đoạn mới"] * 6,
            figures={
                "members.total": (Decimal(3), "Một đồng chí mới chuyển đến"),  # fine, written first...
                "members.female": (Decimal(4), ""),  # ...then refused: the whole save rolls back
            },
        )
    message = error.value.message_dict["figures"][0]
    assert "Đảng viên nữ" in message and "lý do" in message
    submission.refresh_from_db()
    assert figures_of(submission) == before
    assert submission.narrative == [""] * 6
    assert ChangeRecord.objects.count() == records

    services.submission_save(
        by=world.secretary_a1,
        submission=submission,
        figures={"members.total": (Decimal(3), "Một đồng chí mới chuyển đến")},
    )
    figure = submission.figures.get(key="members.total")
    assert (figure.prefilled, figure.value, figure.reason) == (2, 3, "Một đồng chí mới chuyển đến")
    record = ChangeRecord.objects.filter(
        object_id=submission.pk, content_type__model="reportsubmission"
    ).first()
    assert record.changes == {"Số liệu: Tổng số đảng viên": ["2", "3 (lý do: Một đồng chí mới chuyển đến)"]}
    assert record.organisation_id == world.a1.pk


def test_submit_needs_every_section_then_locks_the_report(world):
    request = create(world)
    submission = request.submissions.get(organisation=world.a1)
    with pytest.raises(ValidationError) as error:
        services.submission_submit(by=world.secretary_a1, submission=submission, narrative=["Có"] + [""] * 5)
    assert "Chưa viết nội dung phần" in error.value.message_dict["narrative"][0]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT and submission.narrative == [""] * 6

    submitted = services.submission_submit(
        by=world.secretary_a1, submission=submission, narrative=narrative(submission)
    )
    assert submitted.state == SubmissionState.SUBMITTED
    assert submitted.submitted_by == world.secretary_a1
    assert submitted.standing() == Standing.ON_TIME
    with pytest.raises(ValidationError):
        services.submission_save(by=world.secretary_a1, submission=submitted, number="01-BC/CB")


def test_late_and_missing_reports(world):
    past_due = TODAY - dt.timedelta(days=2)
    request = create(world, period_start=TODAY - dt.timedelta(days=60), period_end=past_due, due_on=past_due)
    a1 = request.submissions.get(organisation=world.a1)
    assert a1.standing() == Standing.MISSING
    assert a1.standing(past_due) == Standing.PENDING
    a1 = services.submission_submit(by=world.secretary_a1, submission=a1, narrative=narrative(a1))
    assert a1.standing() == Standing.LATE
    record = ChangeRecord.objects.filter(object_id=a1.pk, content_type__model="reportsubmission").first()
    assert record.data == {"event": "submitted", "late": True}
    rows = selectors.request_rows(request)
    assert selectors.standing_counts(rows) == {"on_time": 0, "late": 1, "missing": 2, "pending": 0}
    listed = selectors.request_list(fetched_by=world.office_a).get(pk=request.pk)
    assert (listed.recipient_count, listed.submitted_count, listed.late_count) == (3, 1, 1)


def test_the_superior_returns_a_report_and_the_branch_submits_again(world):
    submission = targets.submitted_of_a1(world)
    with pytest.raises(OutOfScope):
        services.submission_return(by=world.secretary_a1, submission=submission, reason="Tự trả")
    with pytest.raises(OutOfScope):
        services.submission_return(by=world.office_b, submission=submission, reason="Không phải của tôi")
    returned = services.submission_return(by=world.office_a, submission=submission, reason="Bổ sung phần 2")
    assert returned.state == SubmissionState.RETURNED and returned.submitted_at is None
    assert returned.returned_reason == "Bổ sung phần 2"
    items = [i for i in inbox_for(world.secretary_a1) if i.kind == "report"]
    assert items and "bị trả lại" in items[0].title
    again = services.submission_submit(by=world.secretary_a1, submission=returned)
    assert again.state == SubmissionState.SUBMITTED


def test_a_closed_request_takes_no_more_writes(world):
    request = targets.request_from_a(world)
    with pytest.raises(OutOfScope):
        services.request_close(by=world.secretary_a1, request=request, reason="Không")
    with pytest.raises(ValidationError):
        services.request_close(by=world.office_a, request=request, reason=" ")
    services.request_close(by=world.office_a, request=request, reason="Đã đủ số liệu")
    with pytest.raises(ValidationError) as error:
        services.submission_save(
            by=world.secretary_a1, submission=targets.submission_of_a1(world), signer="A"
        )
    assert "đã đóng" in str(error.value)


# ───────────────────────── due items ─────────────────────────


def test_the_branch_is_reminded_and_the_superior_sees_missing_reports(world, settings):
    soon = create(world, recipients=[world.a1], due_on=TODAY + dt.timedelta(days=3), title="Sắp đến hạn")
    create(world, recipients=[world.a1], due_on=TODAY + dt.timedelta(days=30), title="Còn lâu")
    past_due = TODAY - dt.timedelta(days=1)
    late = create(
        world,
        recipients=[world.a1, world.a2],
        period_start=TODAY - dt.timedelta(days=40),
        period_end=past_due,
        due_on=past_due,
        title="Quá hạn",
    )

    def titles(user, organisation=None):
        return sorted(i.title for i in inbox_for(user, TODAY, organisation) if i.kind.startswith("report"))

    branch = titles(world.secretary_a1)
    assert branch == [
        f"Nộp báo cáo “Sắp đến hạn” của Chi bộ Phòng Alpha Một: hạn {soon.due_on:%d/%m}",
        "Quá hạn nộp báo cáo “Quá hạn” của Chi bộ Phòng Alpha Một",
    ]
    # The superior's office is not reminded of each branch's draft, only of its requests past due.
    assert titles(world.office_a) == [f"Báo cáo “Quá hạn”: 2 tổ chức chưa nộp (quá hạn {late.due_on:%d/%m})"]
    assert titles(world.office_b) == []
    assert titles(world.office_a, world.a1) == []
    services.submission_submit(
        by=world.secretary_a1,
        submission=late.submissions.get(organisation=world.a1),
        narrative=narrative(late.submissions.first()),
    )
    assert titles(world.office_a) == [f"Báo cáo “Quá hạn”: 1 tổ chức chưa nộp (quá hạn {late.due_on:%d/%m})"]
    assert timezone.localdate() == TODAY


def test_a_figure_the_report_does_not_have_is_refused(world):
    submission = targets.submission_of_a1(world)
    with pytest.raises(ValidationError) as error:
        services.submission_save(
            by=world.secretary_a1, submission=submission, figures={"members.nonsense": (Decimal(1), "x")}
        )
    assert "không có chỉ tiêu: members.nonsense" in error.value.message_dict["figures"][0]
