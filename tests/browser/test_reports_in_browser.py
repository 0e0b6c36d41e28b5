"""Periodic reports in a real browser (Debian's Chromium through Playwright's sync API).

On the small test world: the office of Đảng bộ Sở Alpha sends the half-year report to its branches; the
secretary of Chi bộ Phòng Alpha Một opens it from "Việc đến hạn", writes the sections, corrects one figure
(refused without a reason, accepted with one) and submits; the office sees "Đã nộp" and downloads the
consolidated workbook, whose content is checked with openpyxl. No console errors, no CSP violations.

Screenshots go to test-artifacts/ at the repository root (git-ignored).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from dangvu.reports.models import ReportRequest, SubmissionState
from dangvu.stats.selectors import statistics
from tests.browser import harness
from tests.browser.harness import ARTIFACTS, Console, open_page
from tests.conftest import PASSWORD
from tests.members.conftest import people  # noqa: F401

pytestmark = pytest.mark.browser

TITLE = "Sơ kết 6 tháng đầu năm (thử)"


@pytest.fixture
def site(live_server, world, people, settings, tmp_path) -> str:  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def log_in(page: Page, console: Console, base: str, username: str) -> None:
    harness.log_in(page, console, base, username, PASSWORD)


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def menu(page: Page, name: str):
    return page.locator("#dvnav").get_by_role("link", name=name, exact=True)


def test_a_request_is_sent_submitted_by_a_branch_and_consolidated(browser, site, world, tmp_path):
    base = site
    today = dt.date.today()
    due = today + dt.timedelta(days=3)

    # ── The superior's office sends the request to its direct subordinates.
    office, office_console = open_page(browser)
    try:
        log_in(office, office_console, base, world.office_a.username)
        menu(office, "Báo cáo").click()
        office.wait_for_url(f"{base}/reports/")
        office.get_by_test_id("request-new").click()
        office.wait_for_url(f"{base}/reports/requests/new/")
        office.select_option("select[name=template]", label="Báo cáo sơ kết 6 tháng công tác xây dựng Đảng")
        office.fill("input[name=title]", TITLE)
        office.fill("input[name=period_start]", f"01/01/{today.year}")
        office.fill("input[name=period_end]", f"30/06/{today.year}")
        office.fill("input[name=due_on]", due.strftime("%d/%m/%Y"))
        office.get_by_label("Tất cả tổ chức đảng trực thuộc trực tiếp").check()
        office_console.check(office)
        shoot(office, "reports-request-form.png")
        office.get_by_role("button", name="Gửi yêu cầu báo cáo").click()
        expect(office.locator(".alert-success")).to_have_text("Đã gửi yêu cầu báo cáo.")
        expect(office.get_by_test_id("request-title")).to_have_text(TITLE)
        rows = office.get_by_test_id("request-rows")
        expect(rows.locator("tbody tr")).to_have_count(3)
        expect(rows.locator("tr[data-organisation='T.A.1']")).to_contain_text("Chưa nộp")
        office_console.check(office)
        shoot(office, "reports-request-sent.png")
    finally:
        office.context.close()
    request = ReportRequest.objects.get(title=TITLE)

    # ── The branch secretary finds it among the due items, writes it, corrects a figure, submits.
    branch, branch_console = open_page(browser)
    try:
        log_in(branch, branch_console, base, world.secretary_a1.username)
        menu(branch, "Việc đến hạn").click()
        branch.wait_for_url(f"{base}/inbox/")
        item = branch.get_by_role(
            "link", name=f"Nộp báo cáo “{TITLE}” của Chi bộ Phòng Alpha Một: hạn {due:%d/%m}"
        )
        item.click()
        branch.wait_for_url(f"{base}/reports/submissions/*/edit/")
        sections = branch.locator("textarea[name^=section_]")
        expect(sections).to_have_count(5)
        for index in range(5):
            sections.nth(index).fill(
                f"Chi bộ đã thực hiện tốt nội dung {index + 1}.\nCòn một số hạn chế nhỏ."
            )
        total = branch.locator("[data-testid=figure-inputs] [data-key='members.total']")
        expect(total.get_by_test_id("prefilled")).to_have_text("2")
        total.locator("input[name^=value_]").fill("3")
        branch.fill("input[name=signer]", "Nguyễn Văn An")
        branch.get_by_role("button", name="Nộp báo cáo").click()
        expect(branch.get_by_test_id("form-errors")).to_contain_text(
            "“Tổng số đảng viên”: số liệu báo cáo (3) khác số liệu thống kê (2) — hãy nêu lý do sửa."
        )
        branch_console.check(branch)
        shoot(branch, "reports-submission-needs-reason.png")
        total = branch.locator("[data-testid=figure-inputs] [data-key='members.total']")
        total.locator("input[name^=reason_]").fill("Một đồng chí chuyển đến chưa nhập hồ sơ")
        branch.get_by_role("button", name="Nộp báo cáo").click()
        expect(branch.locator(".alert-success")).to_have_text("Đã nộp báo cáo lên cấp trên.")
        expect(branch.locator("[data-standing=on_time]")).to_have_text("Đã nộp")
        expect(branch.get_by_test_id("figures").locator("tr[data-key='members.total']")).to_contain_text(
            "Một đồng chí chuyển đến chưa nhập hồ sơ"
        )
        branch_console.check(branch)
        shoot(branch, "reports-submission-submitted.png")
    finally:
        branch.context.close()
    submission = request.submissions.get(organisation=world.a1)
    assert submission.state == SubmissionState.SUBMITTED

    # ── The superior sees it submitted and downloads the consolidated workbook.
    office, office_console = open_page(browser)
    try:
        log_in(office, office_console, base, world.office_a.username)
        office.goto(f"{base}/reports/requests/{request.pk}/")
        row = office.get_by_test_id("request-rows").locator("tr[data-organisation='T.A.1']")
        expect(row.locator("[data-standing]")).to_have_text("Đã nộp")
        expect(office.get_by_test_id("standing-counts")).to_contain_text("1")
        office_console.check(office)
        shoot(office, "reports-request-consolidated.png")
        with office.expect_download() as download:
            office.get_by_test_id("request-xlsx").click()
        path = Path(tmp_path / "tong-hop.xlsx")
        download.value.save_as(path)
    finally:
        office.context.close()

    sheet = load_workbook(path)["Tổng hợp"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[0] == "STT")
    labels = [item["label"] for item in request.indicators]
    assert cells[header] == ["STT", "Tổ chức đảng", "Tình trạng", "Ngày nộp", *labels]
    by_name = {row[1]: row for row in cells[header + 1 : header + 4]}
    a1 = by_name["Chi bộ Phòng Alpha Một"]
    stats = statistics(
        world.a1, on=request.period_end, period_from=request.period_start, period_to=request.period_end
    )
    expected = [stats.values[item["key"]] for item in request.indicators]
    expected[labels.index("Tổng số đảng viên")] = 3  # the corrected figure
    assert a1[2] == "Đã nộp" and a1[3].date() == today and a1[4:] == expected
    assert by_name["Chi bộ Phòng Alpha Hai"][2] == "Chưa nộp"
    assert cells[header + 4][1] == "Cộng (các báo cáo đã nộp)" and cells[header + 4][4:] == expected


def test_report_pages_on_a_phone_and_the_templates_page(browser, site, world):
    """The pages an officer opens on a phone lay out without horizontal scrolling; the administrator's
    template editor loads."""
    from tests.reports import targets

    submission = targets.submission_of_a1(world)
    base = site
    page, console = open_page(browser, width=390, height=844)
    try:
        log_in(page, console, base, world.secretary_a1.username)
        page.goto(f"{base}/reports/")
        expect(page.get_by_test_id("reports-to-write")).to_contain_text(targets.TITLE)
        shoot(page, "reports-home-phone.png")
        page.goto(f"{base}/reports/submissions/{submission.pk}/edit/")
        expect(page.get_by_test_id("figure-inputs")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        console.check(page)
        shoot(page, "reports-submission-form-phone.png")
    finally:
        page.context.close()
    page, console = open_page(browser)
    try:
        log_in(page, console, base, world.admin.username)
        page.goto(f"{base}/reports/templates/")
        page.get_by_role("link", name="Báo cáo tổng kết năm").click()
        expect(page.get_by_test_id("template-indicators").locator("tbody tr")).to_have_count(19)
        console.check(page)
        shoot(page, "reports-template-edit.png")
    finally:
        page.context.close()
