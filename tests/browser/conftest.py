"""Fixtures of the browser tests (Chromium, the ORM allowed under Playwright's event loop)."""

from tests.browser.harness import _allow_orm_under_playwright, browser  # noqa: F401
from tests.members.conftest import people  # noqa: F401  (the member fixtures)
