"""The dashboard with the head's today board on a phone (390×844, touch) and a laptop, in both languages:
cards stacked, nothing wider than the screen, and no name broken over two lines."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from apps.org.demo import DEMO_PASSWORD, demo_data_load
from tests.e2e.test_browser import browser, log_in, screenshot  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}

# Every element wider than the viewport or reaching past its right edge, and every name that wraps.
LAYOUT_JS = """
() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('main *')]
    .filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > width + 1 || r.width > width);
    })
    .map((el) => el.tagName + '.' + el.className);
  const broken = [...document.querySelectorAll('main .text-nowrap')]
    .filter((el) => el.getClientRects().length > 1 || el.scrollWidth > el.clientWidth + 1)
    .map((el) => el.textContent.trim());
  return {wide, broken, scroll: document.documentElement.scrollWidth, width};
}
"""


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    with time_machine.travel(NOW, tick=True):
        demo_data_load()
        yield


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_manager_board_fits_and_keeps_names_whole(browser, live_server, language, device):  # noqa: F811
    from playwright.sync_api import expect

    options = PHONE if device == "phone" else LAPTOP
    context = browser.new_context(**options, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        with time_machine.travel(NOW, tick=True):
            log_in(page, live_server, "manager", DEMO_PASSWORD)
            if language == "en":
                page.get_by_test_id("lang-en").click()
            expect(page.locator("html")).to_have_attribute("lang", language)
            page.goto(live_server.url + reverse("org:dashboard"))

            for testid in ("board-today", "board-attention", "board-week", "panel-my-leave", "dashboard-position"):
                expect(page.get_by_test_id(testid)).to_be_visible()
            layout = page.evaluate(LAYOUT_JS)
            screenshot(page, f"board-{device}-{language}")
            assert layout["scroll"] <= layout["width"], f"page is {layout['scroll']}px wide"
            assert not layout["wide"], f"wider than the screen: {layout['wide'][:5]}"
            assert not layout["broken"], f"names broken over lines: {layout['broken'][:5]}"

            attention = page.get_by_test_id("board-attention").bounding_box()
            week = page.get_by_test_id("board-week").bounding_box()
            if device == "phone":
                # Stacked: one card under the other, each the width of the column.
                assert abs(attention["x"] - week["x"]) < 1
                assert week["y"] >= attention["y"] + attention["height"]
            else:
                assert week["x"] > attention["x"] + attention["width"] - 1  # side by side

            page.get_by_test_id("position-link").click()
            page.wait_for_url(live_server.url + reverse("org:my_position"))
            expect(page.get_by_test_id("position-duties")).to_be_visible()
            layout = page.evaluate(LAYOUT_JS)
            assert layout["scroll"] <= layout["width"] and not layout["wide"]
    finally:
        context.close()
