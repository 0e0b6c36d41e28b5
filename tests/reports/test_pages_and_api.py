"""Report pages and API: a superior sends a request, a branch writes, corrects a figure with a reason and
submits, the superior follows the standing and downloads the consolidated xlsx and each report's docx;
the administrator edits templates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from dangvu.core.models import ChangeRecord
from dangvu.reports.models import ReportRequest, ReportSubmission, ReportTemplate, SubmissionState
from dangvu.stats.selectors import statistics

from . import targets

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def request_form(world, **changes) -> dict:
    data = {
        "template": targets.template().pk,
        "issuer": world.a.pk,
        "title": "Sơ kết 6 tháng đầu năm",
        "period_start": f"01/01/{TODAY.year}",
        "period_end": f"30/06/{TODAY.year}",
        "due_on": (TODAY + dt.timedelta(days=4)).strftime("%d/%m/%Y"),
        "recipients": "children",
        "note": "Gửi đúng hạn.",
    }
    return {**data, **changes}


def edit_form(submission, **changes) -> dict:
    data = {"number": "", "signer": ""}
    for index, _section in enumerate(submission.request.sections):
        data[f"section_{index}"] = f"Phần {index + 1} đã viết."
    for figure in submission.figures.all():
        data[f"value_{figure.position}"] = str(figure.value.normalize())
        data[f"reason_{figure.position}"] = ""
    return {**data, **changes}


def position(submission, key: str) -> int:
    return submission.figures.get(key=key).position


def test_the_office_sends_a_request_from_the_page(world, people, client):
    client.force_login(world.office_a)
    response = client.post(reverse("reports:request_new"), request_form(world, recipients="chosen"))
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một tổ chức nhận báo cáo." in response.content.decode()
    assert ReportRequest.objects.count() == 0

    response = client.post(reverse("reports:request_new"), request_form(world))
    request = ReportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:request_detail", args=[request.pk]
    )
    assert {s.organisation.code for s in request.submissions.all()} == {"T.A.1", "T.A.2", "T.A.S"}
    page = client.get(response["Location"]).content.decode()
    assert "Sơ kết 6 tháng đầu năm" in page and "Chi bộ Phòng Alpha Hai" in page and "Gửi đúng hạn." in page
    record = ChangeRecord.objects.get(content_type__model="reportrequest", object_id=request.pk)
    assert record.organisation_id == world.a.pk and len(record.data["recipients"]) == 3


def test_the_branch_corrects_a_figure_with_a_reason_and_submits(world, people, client):
    submission = targets.submission_of_a1(world)
    total = position(submission, "members.total")
    url = reverse("reports:submission_edit", args=[submission.pk])
    client.force_login(world.secretary_a1)
    records = ChangeRecord.objects.count()

    response = client.post(url, {**edit_form(submission, **{f"value_{total}": "3"}), "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Tổng số đảng viên”: số liệu báo cáo (3) khác số liệu thống kê (2) — hãy nêu lý do sửa." in page
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT and ChangeRecord.objects.count() == records

    response = client.post(
        url,
        {
            **edit_form(submission, **{f"value_{total}": "3", f"reason_{total}": "Một đồng chí chưa nhập"}),
            "signer": "Nguyễn Văn An",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and submission.signer == "Nguyễn Văn An"
    figure = submission.figures.get(key="members.total")
    assert (figure.prefilled, figure.value) == (2, 3)
    page = client.get(response["Location"]).content.decode()
    assert "Đã nộp" in page and "Một đồng chí chưa nhập" in page
    # Submitted: the edit page only shows the report.
    assert client.get(url)["Location"] == reverse("reports:submission_detail", args=[submission.pk])


def test_a_draft_is_saved_and_figures_refreshed_from_the_page(world, people, client):
    submission = targets.submission_of_a1(world)
    url = reverse("reports:submission_edit", args=[submission.pk])
    client.force_login(world.secretary_a1)
    response = client.post(url, {**edit_form(submission, section_0="Nháp đầu"), "action": "save"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.narrative[0] == "Nháp đầu" and submission.state == SubmissionState.DRAFT
    response = client.post(url, {**edit_form(submission, section_0="Nháp đầu"), "action": "refresh"})
    assert response.status_code == 302
    assert "Đã cập nhật số liệu từ thống kê." in client.get(url).content.decode()


def test_the_superior_follows_and_downloads_the_consolidated_workbook(world, people, client):
    request = targets.request_from_a(world)
    a1 = targets.submitted_of_a1(world)
    client.force_login(world.office_a)
    page = client.get(reverse("reports:request_detail", args=[request.pk])).content.decode()
    assert 'data-standing="on_time"' in page and 'data-standing="pending"' in page

    response = client.get(reverse("reports:request_xlsx", args=[request.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Tổng hợp"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[1][0] == "ĐẢNG BỘ SỞ ALPHA" and "ĐẢNG CỘNG SẢN VIỆT NAM" in cells[0]
    header = next(i for i, row in enumerate(cells) if row[0] == "STT")
    labels = [item["label"] for item in request.indicators]
    assert cells[header][:4] == ["STT", "Tổ chức đảng", "Tình trạng", "Ngày nộp"]
    assert cells[header][4:] == labels
    rows = {row[1]: row for row in cells[header + 1 : header + 4]}
    stats = statistics(
        world.a1, on=request.period_end, period_from=request.period_start, period_to=request.period_end
    )
    a1_row = rows["Chi bộ Phòng Alpha Một"]
    assert a1_row[2] == "Đã nộp" and a1_row[3].date() == a1.submitted_on
    assert a1_row[4:] == [stats.values[item["key"]] for item in request.indicators]
    assert rows["Chi bộ Phòng Alpha Hai"][2] == "Chưa nộp" and rows["Chi bộ Phòng Alpha Hai"][4] is None
    totals = cells[header + 3]
    assert totals[1] == "Cộng (các báo cáo đã nộp)" and totals[4] == a1_row[4]
    assert "Nội dung" in book.sheetnames and "Sửa số liệu" in book.sheetnames


def test_each_report_as_a_word_document_in_the_party_layout(world, people, client):
    submission = targets.submission_of_a1(world)
    total = position(submission, "members.total")
    from dangvu.reports.services import submission_submit

    submission_submit(
        by=world.secretary_a1,
        submission=submission,
        narrative=targets.narrative(submission),
        figures={"members.total": (Decimal(3), "Một đồng chí chưa nhập")},
        number="07-BC/CB",
        signer="Nguyễn Văn An",
    )
    client.force_login(world.office_a)
    response = client.get(reverse("reports:submission_docx", args=[submission.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    heading = document.tables[0].rows[0].cells
    assert heading[0].text.split("\n")[:4] == [
        "ĐẢNG BỘ SỞ ALPHA",
        "CHI BỘ PHÒNG ALPHA MỘT",
        "*",
        "Số 07-BC/CB",
    ]
    assert heading[1].text.startswith("ĐẢNG CỘNG SẢN VIỆT NAM")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and targets.TITLE in text and "I. TÌNH HÌNH CHUNG" in text
    assert "Nội dung phần 1: tốt." in text
    figures = document.tables[1]
    row = figures.rows[total].cells
    assert row[1].text == "Tổng số đảng viên" and row[2].text == "3"
    assert "Sửa từ số liệu thống kê 2. Lý do: Một đồng chí chưa nhập" in row[3].text
    signature = document.tables[2].rows[0].cells
    assert signature[0].text.startswith("Nơi nhận:") and "Đảng bộ Sở Alpha (để báo cáo)" in signature[0].text
    assert (
        signature[1].text.split("\n")[:2] == ["T/M CHI BỘ", "BÍ THƯ"] and "Nguyễn Văn An" in signature[1].text
    )


def test_the_administrator_edits_a_template(world, client):
    client.force_login(world.admin)
    form = {
        "name": "Báo cáo quý",
        "description": "Báo cáo nhanh mỗi quý",
        "active": "on",
        "reason": "Thêm mẫu",
        "indicators-TOTAL_FORMS": "3",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-key": "members.total",
        "indicators-0-label": "",
        "indicators-1-key": "",
        "indicators-2-key": "period.admitted",
        "indicators-2-label": "Kết nạp trong quý",
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-0-title": "Kết quả trong quý",
        "sections-0-guidance": "Ngắn gọn",
        "sections-1-title": "",
    }
    response = client.post(reverse("reports:template_new"), form)
    template = ReportTemplate.objects.get(name="Báo cáo quý")
    assert response.status_code == 302
    assert template.code == "bao-cao-quy"
    assert template.indicators == [
        {"key": "members.total", "label": "Tổng số đảng viên"},
        {"key": "period.admitted", "label": "Kết nạp trong quý"},
    ]
    assert template.sections == [{"title": "Kết quả trong quý", "guidance": "Ngắn gọn"}]
    page = client.get(reverse("reports:template_edit", args=[template.pk])).content.decode()
    assert "Kết nạp trong quý" in page
    response = client.post(
        reverse("reports:template_edit", args=[template.pk]),
        {**form, "sections-0-title": "", "indicators-0-key": "", "indicators-2-key": ""},
    )
    assert "Mẫu báo cáo cần ít nhất một chỉ tiêu hoặc một phần nội dung." in response.content.decode()


# ───────────────────────── API ─────────────────────────


def test_the_api_sends_a_request_and_a_branch_submits(world, people, api_client):
    api_client.force_authenticate(world.office_b)
    body = {
        "issuer": world.a.pk,
        "template": targets.template().pk,
        "recipients": "chosen",
        "organisations": [world.a1.pk],
        "period_start": f"{TODAY.year}-01-01",
        "period_end": f"{TODAY.year}-06-30",
        "due_on": (TODAY + dt.timedelta(days=5)).isoformat(),
    }
    response = api_client.post("/api/v1/report-requests/", body, format="json")
    assert response.status_code == 400 and response.json()["issuer"] == ["Không tìm thấy tổ chức này."]
    assert ReportRequest.objects.count() == 0

    api_client.force_authenticate(world.office_a)
    response = api_client.post("/api/v1/report-requests/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["title"] == "Báo cáo sơ kết 6 tháng công tác xây dựng Đảng"
    assert [r["organisation_name"] for r in created["reports"]] == ["Chi bộ Phòng Alpha Một"]
    assert created["reports"][0]["standing"] == "pending"
    submission = ReportSubmission.objects.get(request_id=created["id"])

    api_client.force_authenticate(world.secretary_a1)
    listed = api_client.get("/api/v1/report-submissions/").json()["results"]
    assert [item["id"] for item in listed] == [submission.pk]
    url = f"/api/v1/report-submissions/{submission.pk}/"
    response = api_client.post(
        url + "draft/", {"figures": [{"key": "members.total", "value": 5}]}, format="json"
    )
    assert response.status_code == 400 and "hãy nêu lý do sửa" in response.json()["figures"][0]
    response = api_client.post(url + "submit/", {"narrative": ["Có"] * 5}, format="json")
    assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["state"] == "submitted" and detail["standing"] == "on_time"
    assert [s["text"] for s in detail["sections"]] == ["Có"] * 5
    assert detail["figures"][0] == {
        "key": "members.total",
        "label": "Tổng số đảng viên",
        "prefilled": 2.0,
        "value": 2.0,
        "reason": "",
        "corrected": False,
    }
    assert api_client.post(url + "draft/", {"signer": "A"}, format="json").status_code == 400

    api_client.force_authenticate(world.office_a)
    response = api_client.get(f"/api/v1/report-requests/{created['id']}/").json()
    assert response["submitted_count"] == 1 and response["reports"][0]["standing_label"] == "Đã nộp"


@pytest.mark.django_db
def test_openapi_schema_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    for path in (
        "/api/v1/report-requests/",
        "/api/v1/report-submissions/{id}/submit/",
        "/api/v1/report-templates/",
    ):
        assert path in schema
