"""Fixtures for the browser tests: a live server holding the real catalog, and Debian's Chromium
driven through Playwright.

src/tongyun/conftest.py (which loads the catalog once per session) does not apply here, and
pytest-django's live_server runs on transactional_db, which flushes the database after every test:
each browser test therefore loads the catalog and the demo accounts itself (`seeded`).
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("TONGYUN_CHROMIUM", "/usr/bin/chromium"))
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists() and not shutil.which(str(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[dev]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def seeded(live_server, transactional_db):
    """The live server's database holds the real catalog and the demo accounts."""
    from tongyun.catalog.tender_data import load_tender_catalog
    from tongyun.core.demo import ensure_demo_accounts

    load_tender_catalog()
    ensure_demo_accounts()
    return live_server


@pytest.fixture(autouse=True)
def _second_factor_not_enforced(settings):
    """The browser tests log the demo administrators in without a TOTP app (the second factor is tested in
    src/tongyun/parties/tests)."""
    settings.TONGYUN_OTP_ENFORCED = False


@pytest.fixture
def password():
    from tongyun.core.demo import demo_password

    return demo_password()


class Requests(list):
    """Every URL the page asked for."""

    def external(self) -> list[str]:
        """Those that left this machine (data: and blob: URLs stay inside the page)."""
        return [url for url in self if urlparse(url).scheme in {"http", "https", "ws", "wss"}
                and urlparse(url).hostname not in LOCAL_HOSTS]


@pytest.fixture
def new_page(browser, seeded):
    """Open a page in a fresh browser context; `page.requests` records every request made."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(locale="zh-CN", **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.requests = Requests()
        context.on("request", lambda request: page.requests.append(request.url))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def nav_link():
    """A link of the main menu by its name, its group opened first (on a wide screen each group is a
    dropdown; on a phone, after 菜单, every group is already open)."""

    def find(page, name: str):
        named = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        group = page.get_by_test_id("nav-items").locator("details[data-nav-group]").filter(has=named)
        if not group.evaluate("group => group.open"):
            group.locator("summary").click()
        return group.get_by_role("link", name=name, exact=True)

    return find


@pytest.fixture
def login(seeded, password):
    """Log `page` in through the login form as `username`; lands on the home page."""
    from playwright.sync_api import expect

    def do(page, username: str):
        page.goto(f"{seeded.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{seeded.url}/")
        return page

    return do
