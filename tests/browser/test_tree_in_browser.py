"""The organisation tree in a real browser (Debian's Chromium through Playwright's sync API).

Two users of the demo data: the secretary of one branch sees only that branch, the office of the bloc sees
the bloc with its 55 grassroots organisations and can unfold one of them (htmx loads the branches). Every
page must load without console errors and without Content-Security-Policy violations.

Screenshots go to test-artifacts/ at the repository root (git-ignored).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dangvu.demo import BLOC, DEMO_PASSWORD, GRASSROOTS_BRANCHES, GRASSROOTS_COMMITTEES, load_demo
from dangvu.demo import SO_NOI_VU_BRANCHES as SNV_BRANCHES
from dangvu.orgs.models import Organisation
from tests.browser import harness
from tests.browser.harness import ARTIFACTS, Console, open_page

pytestmark = pytest.mark.browser

BLOC_NAME = BLOC[0]
SNV = "Đảng bộ Sở Nội vụ"
BRANCH = SNV_BRANCHES[0]  # "Chi bộ Văn phòng Sở", bithu_cb1's branch
GRASSROOTS = [*GRASSROOTS_COMMITTEES, *GRASSROOTS_BRANCHES]


@pytest.fixture
def demo(live_server) -> str:
    """The demo world in the live server's (transactional) database; flushed again after the test."""
    assert load_demo(), "the test database was expected to be empty"
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url


def log_in(page: Page, console: Console, base: str, username: str) -> None:
    harness.log_in(page, console, base, username, DEMO_PASSWORD)


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_branch_secretary_sees_only_their_branch(browser, demo):
    base = demo
    page, console = open_page(browser)
    try:
        log_in(page, console, base, "bithu_cb1")

        page.goto(f"{base}/organisations/")
        trees = page.get_by_test_id("tree")
        expect(trees).to_have_count(1)
        tree = trees.first
        expect(tree.locator("> div > a.h5")).to_have_text(BRANCH)
        # The branch has no sub-organisations: the first-level list holds no organisation at all.
        expect(tree.locator("> ul > li[data-org]")).to_have_count(0)
        shoot(page, "tree-bithu_cb1.png")

        body = page.locator("body").inner_text()
        assert BRANCH in body
        leaked = [name for name in [BLOC_NAME, *GRASSROOTS] if name in body]
        assert leaked == [], f"organisations outside the branch shown to its secretary: {leaked}"
        console.check(page)

        # Another grassroots organisation by URL: 404, and its name does not leak into the error page.
        other = Organisation.objects.get(name="Đảng bộ Sở Tài chính")
        url = f"{base}/organisations/{other.pk}/"
        response = page.goto(url)
        assert response is not None
        assert response.status == 404
        assert "Đảng bộ Sở Tài chính" not in page.content()
        # A page of the app, in Vietnamese, not Django's bare English "Not Found".
        assert page.locator("html").get_attribute("lang") == "vi"
        assert "Not Found" not in page.locator("body").inner_text()
        # Chromium logs the failed navigation itself as a console error; that one is expected.
        not_found = re.compile(rf"^console\.error at {re.escape(url)}: Failed to load resource: .* 404")
        console.problems = [p for p in console.problems if not not_found.search(p)]
        console.check(page)
    finally:
        page.context.close()


def test_bloc_office_sees_the_bloc_and_unfolds_a_grassroots_committee(browser, demo):
    base = demo
    snv = Organisation.objects.get(name=SNV)
    page, console = open_page(browser)
    try:
        log_in(page, console, base, "vanphong")

        page.goto(f"{base}/organisations/")
        trees = page.get_by_test_id("tree")
        expect(trees).to_have_count(1)
        tree = trees.first
        expect(tree.locator("> div > a.h5")).to_have_text(BLOC_NAME)
        first_level = tree.locator("> ul > li[data-org]")
        expect(first_level).to_have_count(len(GRASSROOTS))
        assert len(GRASSROOTS) == 55
        shoot(page, "tree-vanphong.png")
        console.check(page)

        node = tree.locator(f"> ul > li[data-org='{snv.pk}']")
        expect(node.locator("> details > summary > a")).to_have_text(SNV)
        loaded = node.locator("> details > ul > li[data-org]")
        expect(loaded).to_have_count(0)  # lazy: nothing fetched before the user unfolds it
        # Click the ▸ marker at the left edge of the summary, not the link to the detail page.
        with page.expect_response(f"{base}/organisations/{snv.pk}/children/") as children:
            node.locator("> details > summary").click(position={"x": 6, "y": 8})
        assert children.value.status == 200
        expect(node.locator("> details")).to_have_attribute("open", "")
        expect(loaded).to_have_count(len(SNV_BRANCHES))
        assert sorted(loaded.locator("> a").all_inner_texts()) == sorted(SNV_BRANCHES)
        expect(loaded.filter(has_text=BRANCH)).to_have_count(1)
        expect(node).not_to_contain_text("Đang tải…")
        assert page.url == f"{base}/organisations/"  # still on the tree, the click did not navigate
        shoot(page, "tree-vanphong-expanded.png")
        console.check(page)
    finally:
        page.context.close()


def test_office_moves_a_branch_through_the_form_and_finds_it_in_the_history(browser, demo):
    """The restructuring form end to end: choose the new superior, give the reason, see the result."""
    base = demo
    branch = Organisation.objects.get(name=SNV_BRANCHES[3])  # "Chi bộ Ban Thi đua - Khen thưởng"
    target = Organisation.objects.get(name="Đảng bộ Sở Tài chính")
    page, console = open_page(browser)
    try:
        log_in(page, console, base, "vanphong")
        page.goto(f"{base}/organisations/{branch.pk}/")
        page.get_by_role("link", name="Chuyển giao").click()
        page.select_option("select[name=new_parent]", str(target.pk))
        page.fill("textarea[name=reason]", "Sắp xếp lại theo Đề án tinh gọn bộ máy")
        page.fill("input[name=decision_number]", "125-QĐ/ĐUK")
        page.get_by_role("button", name="Chuyển giao").click()
        expect(page.locator(".alert-success")).to_contain_text("Đã chuyển giao tổ chức.")
        expect(page.locator("dl")).to_contain_text("Đảng bộ Sở Tài chính")
        page.get_by_role("link", name="Toàn bộ lịch sử").click()
        history = page.locator("[data-testid=history]")
        expect(history).to_contain_text("Cấp trên: Đảng bộ Sở Nội vụ → Đảng bộ Sở Tài chính")
        expect(history).not_to_contain_text("parent")
        expect(history).to_contain_text("125-QĐ/ĐUK")
        expect(history).to_contain_text("Nguyễn Thị Hồng")  # who, by name
        console.check(page)
        shoot(page, "history-after-move.png")
    finally:
        page.context.close()
    branch.refresh_from_db()
    assert branch.parent_id == target.pk


def test_tree_fits_a_phone_screen(browser, demo):
    base = demo
    page, console = open_page(browser, width=390, height=844)
    try:
        log_in(page, console, base, "vanphong")
        page.goto(f"{base}/organisations/")
        expect(page.locator("[data-testid=tree] > ul > li[data-org]")).to_have_count(len(GRASSROOTS))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the tree page scrolls sideways by {overflow}px on a phone"
        console.check(page)
        shoot(page, "tree-phone.png")
    finally:
        page.context.close()
