"""The member module in a real browser (Debian's Chromium through Playwright's sync API).

On the small test world (tests/conftest.py): the office of Đảng bộ Sở Alpha searches members without
diacritics, a member signs in and asks for a correction of their own record (which lands in the office's
"Việc đến hạn"), and the office imports a spreadsheet large enough to run in the background, watching
the progress bar until the worker has written it. Pages must load without console errors and without
Content-Security-Policy violations.

Screenshots go to test-artifacts/ at the repository root (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from dangvu.core import tabular
from dangvu.members.imports import COLUMNS
from dangvu.members.models import CorrectionRequest, ImportJob, ImportState, Member
from tests.browser import harness
from tests.browser.harness import ARTIFACTS, Console, open_page
from tests.conftest import PASSWORD
from tests.members.conftest import make_member
from tests.members.targets import own_member, own_user

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, world, settings, tmp_path) -> str:
    """The live server over the small test world (its transactional database is flushed after the test)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def log_in(page: Page, console: Console, base: str, username: str) -> None:
    harness.log_in(page, console, base, username, PASSWORD)


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def menu(page: Page, name: str):
    return page.locator("#dvnav").get_by_role("link", name=name, exact=True)


def listed_names(page: Page) -> list[str]:
    return page.locator("[data-testid=member-table] tbody td:first-child a").all_inner_texts()


def search(page: Page, text: str) -> None:
    box = page.get_by_test_id("member-search")
    box.fill(text)
    with page.expect_navigation():
        box.press("Enter")
    expect(box).to_have_value(text)


# ───────────────────────── search ─────────────────────────


def test_office_finds_members_without_typing_diacritics(browser, site, world):
    """Nguyễn Văn An and Trần Thị Bình in a1, Đặng Thị Hoa and Nguyễn Thị Vân in a2 (all office_a's);
    Đặng Quốc Dũng in b1 (not theirs)."""
    make_member(world.admin, world.a1, "Nguyễn", "Văn", "An", citizen_id="001085000001")
    make_member(world.admin, world.a1, "Trần", "Thị", "Bình", gender="female")
    make_member(world.admin, world.b1, "Đặng", "Quốc", "Dũng", citizen_id="001090000002")
    hoa = make_member(world.admin, world.a2, "Đặng", "Thị", "Hoa", gender="female", citizen_id="001190000003")
    make_member(world.admin, world.a2, "Nguyễn", "Thị", "Vân", gender="female")
    base = site
    page, console = open_page(browser)
    try:
        log_in(page, console, base, world.office_a.username)
        menu(page, "Đảng viên").click()
        page.wait_for_url(f"{base}/members/")
        expect(page.locator("h1")).to_have_text("Đảng viên")
        assert sorted(listed_names(page)) == sorted(
            ["Nguyễn Văn An", "Trần Thị Bình", hoa.full_name, "Nguyễn Thị Vân"]
        )

        search(page, "nguyen van a")
        expect(page.get_by_test_id("member-table")).to_contain_text("Nguyễn Văn An")
        assert listed_names(page) == ["Nguyễn Văn An"]
        console.check(page)
        shoot(page, "members-search-nguyen-van-a.png")

        # "dang" finds Đặng Thị Hoa in a2; Đặng Quốc Dũng (b1) is outside office_a's scope.
        search(page, "dang")
        expect(page.get_by_test_id("member-table")).to_contain_text("Đặng Thị Hoa")
        assert listed_names(page) == ["Đặng Thị Hoa"]
        assert "Dũng" not in page.locator("main").inner_text()

        search(page, "xyz khong ai")
        expect(page.locator("main")).to_contain_text("Không có đảng viên nào khớp.")
        assert listed_names(page) == []
        console.check(page)

        # Back to a name; the result links to the record, where the officer sees the citizen ID.
        search(page, "DANG thi")
        page.get_by_role("link", name="Đặng Thị Hoa").click()
        page.wait_for_url(f"{base}/members/{hoa.pk}/")
        expect(page.get_by_test_id("member-name")).to_have_text("Đặng Thị Hoa")
        expect(page.get_by_test_id("citizen-id")).to_have_text("001190000003")
        console.check(page)
        shoot(page, "members-search-final.png")
    finally:
        page.context.close()


# ───────────────────────── self-service ─────────────────────────


def test_member_sees_own_record_and_asks_for_a_correction(browser, site, world):
    member = own_member(world)  # Nguyễn Văn An of a1, linked to the account dangvien_a1
    user = own_user(world)
    base = site
    text = "Quê quán đúng là xã Hải Anh, huyện Hải Hậu, tỉnh Nam Định"
    page, console = open_page(browser)
    try:
        log_in(page, console, base, user.username)
        menu(page, "Đảng viên").click()
        page.wait_for_url(f"{base}/members/me/")  # a member's list is their own record
        expect(page.get_by_test_id("member-name")).to_have_text(member.full_name)
        expect(page.locator("main")).to_contain_text("Hồ sơ của tôi")
        expect(page.get_by_test_id("citizen-id")).to_have_text("001085000001")
        expect(page.get_by_test_id("corrections")).to_contain_text("Chưa có đề nghị nào.")
        # No officer's actions on one's own record.
        expect(page.get_by_role("link", name="Sửa hồ sơ", exact=True)).to_have_count(0)
        console.check(page)

        page.get_by_role("link", name="Đề nghị sửa hồ sơ").click()
        page.wait_for_url(f"{base}/members/me/correction/")
        page.fill("textarea[name=text]", text)
        page.get_by_role("button", name="Gửi đề nghị").click()
        page.wait_for_url(f"{base}/members/me/")
        expect(page.locator(".alert-success")).to_have_text("Đã gửi đề nghị sửa hồ sơ đến văn phòng cấp ủy.")
        expect(page.get_by_test_id("corrections")).to_contain_text(text)
        expect(page.get_by_test_id("corrections")).to_contain_text(dt.date.today().strftime("%d/%m/%Y"))
        console.check(page)
        shoot(page, "members-self-correction-sent.png")
    finally:
        page.context.close()
    assert CorrectionRequest.objects.filter(member=member, text=text, state="open").count() == 1

    page, console = open_page(browser)
    try:
        log_in(page, console, base, world.office_a.username)
        menu(page, "Việc đến hạn").click()
        page.wait_for_url(f"{base}/inbox/")
        item = page.get_by_role("link", name=f"{member.full_name} đề nghị sửa hồ sơ")
        expect(item).to_have_count(1)
        console.check(page)
        shoot(page, "members-correction-in-inbox.png")
        item.click()
        page.wait_for_url(f"{base}/members/{member.pk}/#corrections")
        expect(page.get_by_test_id("corrections")).to_contain_text(text)
        expect(page.get_by_test_id("corrections").get_by_role("link", name="Xử lý")).to_have_count(1)
        console.check(page)
        shoot(page, "members-correction-officer-view.png")
    finally:
        page.context.close()


# ───────────────────────── import in the background ─────────────────────────

IMPORT_ROWS = 60  # over the threshold set below, so the import is queued for the worker
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc"]
GIVEN = ["Khánh", "Lộc", "Mẫn", "Nghĩa", "Oanh", "Phúc", "Quyên", "Sơn", "Tâm", "Uyên", "Vinh"]


def import_row(i: int) -> dict:
    """A valid official member (unique citizen ID and card number for each ``i``)."""
    admitted = dt.date(2005 + i % 15, 1 + i % 12, 1 + i % 28)
    return {
        "Họ": FAMILY[i % len(FAMILY)],
        "Tên đệm": MIDDLE[i % len(MIDDLE)],
        "Tên": GIVEN[i % len(GIVEN)],
        "Giới tính": "Nữ" if i % 2 else "Nam",
        "Ngày sinh": dt.date(admitted.year - 25 - i % 10, 1 + i % 12, 1 + i % 27),
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Số CCCD": f"0019{i:08d}",
        "Ngày kết nạp": admitted,
        "Ngày lễ kết nạp": admitted,
        "Ngày chính thức": admitted.replace(year=admitted.year + 1),
        "Số thẻ đảng viên": f"8{i:07d}",
        "Mã chi bộ": world_code(i),
        "Tình trạng (Dự bị / Chính thức)": "Chính thức",
    }


def world_code(i: int) -> str:
    return "T.A.1" if i % 2 else "T.A.2"  # codes of world.a1 and world.a2


def import_file(path: Path, n: int) -> Path:
    headers = [c.header for c in COLUMNS]
    rows = ([import_row(i).get(h) for h in headers] for i in range(1, n + 1))
    path.write_bytes(tabular.xlsx_bytes([tabular.SheetSpec("Đảng viên", headers, rows)]))
    return path


def test_office_imports_a_large_file_and_watches_the_progress_bar(browser, site, world, settings, tmp_path):
    settings.DANGVU_IMPORT_SYNC_MAX_ROWS = 50
    upload = import_file(tmp_path / "dang-vien-so-alpha.xlsx", IMPORT_ROWS)
    base = site
    page, console = open_page(browser)
    try:
        log_in(page, console, base, world.office_a.username)
        page.goto(f"{base}/members/")
        page.get_by_role("link", name="Nhập từ Excel").click()
        page.wait_for_url(f"{base}/members/import/")
        expect(page.get_by_test_id("import-form")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Tệp trên 50 dòng được xử lý nền")
        page.set_input_files("input[name=file]", str(upload))
        page.select_option("select[name=organisation]", str(world.a.pk))
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
        page.wait_for_url(re.compile(rf"{re.escape(base)}/members/import/\d+/$"))
        job = ImportJob.objects.get()
        assert page.url == f"{base}/members/import/{job.pk}/"

        # Queued for the worker: the page shows an empty bar and polls for progress.
        progress = page.get_by_test_id("import-progress")
        bar = progress.locator("progress")
        expect(bar).to_have_count(1)
        expect(page.get_by_test_id("import-state")).to_have_text("Đang chờ")
        expect(bar).to_have_attribute("value", "0")
        expect(progress).to_have_attribute("hx-trigger", "every 1s")
        expect(progress).to_contain_text(f"0 / {IMPORT_ROWS} dòng đã kiểm tra")
        assert Member.objects.filter(import_job=job).count() == 0
        console.check(page)
        shoot(page, "members-import-queued.png")

        # Run the worker here. Routing the polls through this thread holds them (the sync API answers a
        # route only when the test calls Playwright again), so no request reaches the server while the
        # worker writes: with in-memory SQLite, the live server shares this thread's connection.
        page.route("**/progress/", lambda route: route.continue_())
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        job.refresh_from_db()
        assert job.state == ImportState.DONE, job.message
        page.unroute("**/progress/")

        # The next poll sees the job finished and reloads the page, which stops polling.
        expect(page.get_by_test_id("import-state")).to_have_text("Đã nhập")
        expect(bar).to_have_attribute("value", "100")
        expect(progress).not_to_have_attribute("hx-trigger", re.compile(".*"))
        expect(progress).to_contain_text(f"{IMPORT_ROWS} / {IMPORT_ROWS} dòng đã kiểm tra")
        expect(page.get_by_test_id("import-message")).to_be_visible()
        console.check(page)
        shoot(page, "members-import-done.png")

        page.get_by_role("link", name=f"Xem danh sách đảng viên của {world.a.name}").click()
        page.wait_for_url(f"{base}/members/?within={world.a.pk}")
        expect(page.get_by_test_id("counts")).to_contain_text(f"{IMPORT_ROWS} đảng viên")
        expect(page.get_by_test_id("counts")).to_contain_text(f"({IMPORT_ROWS} chính thức, 0 dự bị)")
        first = import_row(1)
        search(page, first["Số CCCD"])
        expect(page.get_by_test_id("member-table")).to_contain_text(
            f"{first['Họ']} {first['Tên đệm']} {first['Tên']}"
        )
        admitted = first["Ngày kết nạp"].strftime("%d/%m/%Y")
        expect(page.get_by_test_id("member-table")).to_contain_text(admitted)
        console.check(page)
        shoot(page, "members-import-in-list.png")
    finally:
        page.context.close()
    assert Member.objects.filter(import_job=job).count() == IMPORT_ROWS


# ───────────────────────── phone ─────────────────────────


def test_member_list_and_record_fit_a_phone_screen(browser, site, world):
    member = make_member(
        world.admin,
        world.a1,
        "Nguyễn",
        "Thị Thanh",
        "Hương",
        gender="female",
        citizen_id="001190000004",
        email="nguyenthithanhhuong.vanphongdanguy@sotaichinh.example.gov.vn",
        address="Số 12 ngõ 34 đường Nguyễn Chí Thanh, phường Láng Thượng, quận Đống Đa, Hà Nội",
    )
    base = site
    page, console = open_page(browser, width=390, height=844)
    try:
        log_in(page, console, base, world.office_a.username)
        pages = {"members-list-phone.png": "/members/", "members-detail-phone.png": f"/members/{member.pk}/"}
        for shot, path in pages.items():
            url = base + path
            page.goto(url)
            expect(page.locator("main")).to_contain_text(member.full_name)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px on a phone"
            console.check(page)
            shoot(page, shot)
        # The phone shows name and party age; the branch and status sit under the name.
        page.goto(f"{base}/members/")
        row = page.get_by_test_id("member-table").locator("tbody tr").first
        expect(row.locator("td:visible")).to_have_count(2)
        expect(row).to_contain_text(world.a1.name)
    finally:
        page.context.close()
