"""End-to-end tests in headless Debian Chromium, driven by Playwright against the live server.

The browser, the devices and the helpers are in ``tests/e2e/support.py``.
"""

import re

import pytest
from django.urls import reverse

from apps.org.demo import DEMO_PASSWORD, demo_data_load
from tests.clock import at_working_morning
from tests.e2e import support
from tests.e2e.support import log_in, screenshot

# Re-exported for modules outside tests/e2e, which the conftest there does not reach.
browser = support.browser

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.browser, at_working_morning]


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    # Serialized rollback restores the migration seed data (department, positions, roles) that a
    # transactional test before this one flushed away; the demo data builds on it.
    demo_data_load()


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
