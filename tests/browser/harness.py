"""What every browser test shares: Debian's Chromium through Playwright's sync API, a console watcher that
fails a test on console errors and Content-Security-Policy violations, and where screenshots go."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000

# Recorded in the page itself, before any of its scripts run; CDP-injected, so the CSP does not block it.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_under_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls (and the
    transactional_db flush) from it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_allow_orm_under_playwright) -> Iterator[Browser]:
    # No skip: a missing browser is a failure (`make test` installs Debian's chromium when it can).
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed: apt-get install chromium"
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Console:
    """Console errors, uncaught exceptions and CSP violations seen by one browser page."""

    problems: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(f"console.{message.type} at {message.location.get('url')}: {text}")

    def on_page_error(self, error) -> None:
        self.problems.append(f"uncaught: {error}")

    def check(self, page: Page) -> None:
        """Collect the violations the page recorded, then insist on a clean console."""
        for violation in page.evaluate("window.__cspViolations || []"):
            self.problems.append(f"CSP violation on {page.url}: {violation}")
        assert self.problems == [], "\n".join(self.problems)


def open_page(browser: Browser, width: int = 1366, height: int = 900) -> tuple[Page, Console]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console = Console()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    return page, console


def log_in(page: Page, console: Console, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    console.check(page)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator("nav")).to_contain_text("Đăng xuất")
    console.check(page)
