"""What every browser test shares: the browser, the devices, the moment, logging in.

Tests import the ``browser`` fixture and the helpers from here (``tests/e2e/test_browser.py``
re-exports them for older imports). Outside CI the browser tests skip when /usr/bin/chromium is
missing; in CI (``CI`` set) that is a failure.
"""

import datetime
import os
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.db import connections
from django.urls import reverse

from apps.org.demo import demo_data_load

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# A working Tuesday morning in Shanghai; the demo data is built around "today".
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DEVICES = {"laptop": LAPTOP, "phone": PHONE}


def chromium_or_skip() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests (install Debian's chromium).")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests.")


@pytest.fixture
def demo_now(transactional_db, django_db_serialized_rollback):
    """The demo data at :data:`NOW`; the clock keeps ticking so the browser's waits work.

    Serialized rollback restores the migration seed data (department, positions, roles) that a
    transactional test before this one flushed away; the demo data builds on it.
    """
    with time_machine.travel(NOW, tick=True):
        demo_data_load()
        yield


@pytest.fixture
def browser(demo, monkeypatch):
    """Chromium, started after the database is set up (the module's ``demo`` fixture) and stopped
    before it is flushed.

    Playwright's sync API runs an asyncio event loop (in a greenlet) while it is up. Django
    refuses database access from there unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and its
    connection handler hands out a different connection object there, one without the
    serialized-rollback data. So the browser lives strictly inside the test's database
    lifetime, and the variable is set only meanwhile: set for the whole session it would also
    reach ``check --deploy`` subprocesses (async.E001).
    """
    chromium_or_skip()
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


def new_context(browser, device: str = "laptop", **options):
    """A browser context of ``device`` ("laptop" or "phone") in Shanghai with a Chinese browser."""
    return browser.new_context(**DEVICES[device], **{"locale": "zh-CN", "timezone_id": "Asia/Shanghai", **options})


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


def switch_language(page, language: str) -> None:
    """Switch the UI to ``language`` ("zh-hans" or "en") with the top bar's switch."""
    from playwright.sync_api import expect

    if language == "en":
        page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
