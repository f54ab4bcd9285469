"""End-to-end tests in headless Debian Chromium, driven by Playwright against the live server.

Outside CI the module skips when /usr/bin/chromium is missing; in CI (``CI`` set) that is a failure.
"""

import os
import re
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse

from apps.org.demo import DEMO_PASSWORD, demo_data_load
from tests.clock import at_working_morning

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests.",
        allow_module_level=True,
    )

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.browser, at_working_morning]


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    # Serialized rollback restores the migration seed data (department, positions, roles) that a
    # transactional test before this one flushed away; the demo data builds on it.
    demo_data_load()


@pytest.fixture
def browser(demo, monkeypatch):
    """Chromium, started after the database is set up and stopped before it is flushed.

    Playwright's sync API runs an asyncio event loop (in a greenlet) while it is up. Django
    refuses database access from there unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and its
    connection handler hands out a different connection object there, one without the
    serialized-rollback data. So the browser lives strictly inside the test's database
    lifetime, and the variable is set only meanwhile: set for the whole session it would also
    reach ``check --deploy`` subprocesses (async.E001).
    """
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests (install Debian's chromium).")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Close any connection opened inside the event loop's context.
            connections.close_all()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.locator("#main input[name=username]").fill(username)
    page.locator("#main input[name=password]").fill(password)
    # The language switch buttons are submit buttons too; take the login form's own.
    page.locator("#main form button[type=submit]").click()
    page.locator("[data-testid=dashboard-title]").wait_for()


def test_manager_logs_in_in_chinese_and_switches_to_english(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        log_in(page, live_server, "manager", DEMO_PASSWORD)

        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator("main")).to_contain_text("我的岗位与职责")
        expect(page.get_by_test_id("my-position")).to_have_text("市场部经理")
        screenshot(page, "dashboard-zh-hans")

        page.get_by_test_id("lang-en").click()

        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("main")).to_contain_text("My position and duties")
        expect(page.get_by_test_id("my-position")).to_have_text("Marketing manager")
        assert page.url.rstrip("/") == live_server.url + reverse("org:dashboard").rstrip("/")
        screenshot(page, "dashboard-en")
    finally:
        context.close()


def test_phone_viewport_shows_toggler_and_no_horizontal_overflow(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    try:
        log_in(page, live_server, "manager", DEMO_PASSWORD)

        expect(page.get_by_test_id("dashboard-title")).to_be_visible()
        expect(page.get_by_test_id("my-position")).to_be_visible()
        toggler = page.locator(".navbar-toggler")
        expect(toggler).to_be_visible()
        # The collapsed menu is hidden until the toggler opens it.
        expect(page.locator("#mainNav")).to_be_hidden()

        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, "dashboard-phone")
        assert scroll_width <= inner_width, f"page is {scroll_width}px wide in a {inner_width}px viewport"

        toggler.click()
        # Bootstrap marks the menu "collapsing" while it animates and "show" once it is open.
        expect(page.locator("#mainNav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
        expect(page.get_by_test_id("lang-en")).to_be_visible()
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, "dashboard-phone-menu")
        assert scroll_width <= inner_width, f"open menu is {scroll_width}px wide in a {inner_width}px viewport"
    finally:
        context.close()
