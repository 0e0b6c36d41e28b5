"""Statistics in a real browser: the office's landing page draws its scope's figures and yearly chart, the
statistics page draws its four charts, answers for a past date and hands over the xlsx. Pages must load
without console errors and without Content-Security-Policy violations. Screenshots go to test-artifacts/."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser import harness
from tests.browser.harness import ARTIFACTS, open_page
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# How many pixels of a canvas are not blank: a chart that did not draw has none.
PAINTED = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { painted++; } }
  return painted;
}"""


@pytest.fixture
def site(live_server, world, people) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def drawn(page: Page, selector: str) -> list[int]:
    canvases = page.locator(selector)
    expect(canvases.first).to_have_attribute("data-drawn", "1")
    return [canvases.nth(i).evaluate(PAINTED) for i in range(canvases.count())]


def test_dashboard_and_statistics_pages_draw_their_charts(browser, site, world):
    page, console = open_page(browser)
    harness.log_in(page, console, site, "vanphong_a", PASSWORD)
    panel = page.get_by_test_id("dashboard-stats")
    expect(panel).to_contain_text("đảng viên")
    expect(panel).to_contain_text("50,0% nữ")
    assert all(pixels > 500 for pixels in drawn(page, "[data-testid=dashboard-stats] canvas"))
    page.screenshot(path=str(ARTIFACTS / "stats-dashboard.png"), full_page=True)
    console.check(page)

    panel.get_by_role("link", name="Thống kê đầy đủ, tải báo cáo Excel").click()
    expect(page.get_by_role("heading", name="Thống kê đảng viên, tổ chức đảng")).to_be_visible()
    assert len([p for p in drawn(page, "canvas[data-chart]") if p > 500]) == 4
    expect(page.locator("[data-key='members.total'] td").nth(1)).to_have_text("2")
    expect(page.get_by_test_id("stats-children")).to_contain_text("Chi bộ Phòng Alpha Một")
    page.screenshot(path=str(ARTIFACTS / "stats-page.png"), full_page=True)
    console.check(page)

    page.fill("input[name=as_of]", "01/01/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("stats-heading")).to_contain_text("tính đến ngày 01/01/2026")
    expect(page.locator("[data-key='members.total'] td").nth(1)).to_have_text("1")  # Bình joined in March
    with page.expect_download() as download:
        page.get_by_test_id("stats-xlsx").click()
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    rows = list(workbook["Thống kê"].iter_rows(values_only=True))
    assert any(row[1] == "Tổng số đảng viên" and row[2] == 1 for row in rows)
    console.check(page)
