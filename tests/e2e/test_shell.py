"""The shell in a real browser: every page in the navigation fits a laptop and a phone, in both languages.

At 1280×800 and at 390×844 (mobile, touch), in Chinese and in English, each page the manager's
sidebar links to must not scroll sideways, and the bell and the language switch must be on
screen and legible. On the phone the sidebar is an offcanvas the hamburger opens.
"""

import re

import pytest
import time_machine
from django.urls import reverse

from apps.org.demo import DEMO_PASSWORD
from tests.e2e.support import LAPTOP, NOW, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


# Contrast of the element's text against the nearest opaque background behind it (WCAG formula).
CONTRAST_JS = """
(el) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let node = el, bg = null;
  while (node && node.nodeType === 1) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  const fg = parse(getComputedStyle(el).color);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


@pytest.fixture
def demo(demo_now):
    """The demo data at :data:`NOW` (``tests/e2e/support.py``)."""


def _assert_fits_and_top_bar_usable(page, where: str) -> None:
    from playwright.sync_api import expect

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{where}: page is {scroll_width}px wide in a {inner_width}px viewport"
    for testid in ("bell", "lang-en", "lang-zh-hans", "user-menu"):
        element = page.get_by_test_id(testid)
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box is not None
        assert box["x"] >= 0, f"{where}: {testid} starts left of the screen"
        assert box["x"] + box["width"] <= inner_width, f"{where}: {testid} ends off screen"
        assert box["y"] + box["height"] <= page.viewport_size["height"], f"{where}: {testid} is below the fold"
    for testid in ("lang-en", "lang-zh-hans"):
        contrast = page.get_by_test_id(testid).evaluate(CONTRAST_JS)
        assert contrast >= 3, f"{where}: {testid} text contrast is {contrast:.2f}:1"


def _assert_sidebar_stays_below_top_bar(page, where: str) -> None:
    """Scrolled to the bottom, the sidebar still starts under the top bar and ends on screen."""
    page.mouse.wheel(0, 20000)
    page.wait_for_timeout(50)
    top_bar = page.locator(".shell-topbar").bounding_box()
    sidebar = page.locator("#mainNav").bounding_box()
    assert top_bar is not None and sidebar is not None
    assert sidebar["y"] >= top_bar["y"] + top_bar["height"] - 1, f"{where}: sidebar slides under the top bar"
    assert sidebar["y"] + sidebar["height"] <= page.viewport_size["height"] + 1, f"{where}: sidebar runs off screen"


def _wait_until_slid_in(page, sidebar) -> None:
    # Bootstrap slides the drawer in. Polled from here: wait_for_function evaluates a string,
    # which the page's Content-Security-Policy (no 'unsafe-eval') refuses.
    for _attempt in range(100):
        box = sidebar.bounding_box()
        if box is not None and box["x"] >= 0:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the menu never slid fully in: {sidebar.bounding_box()}")


def _navigation_urls(page) -> list[tuple[str, str]]:
    links = page.locator("#mainNav a[data-menu-item]")
    found = []
    for i in range(links.count()):
        link = links.nth(i)
        key, href = link.get_attribute("data-menu-item"), link.get_attribute("href")
        if key != "admin.site":  # Django's own admin, outside the shell
            found.append((key, href))
    return found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_every_navigation_page_fits_and_keeps_the_top_bar(browser, live_server, language, device):
    from playwright.sync_api import expect

    options = LAPTOP if device == "laptop" else PHONE
    context = browser.new_context(**options, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        with time_machine.travel(NOW, tick=True):
            log_in(page, live_server, "manager", DEMO_PASSWORD)
            if language == "en":
                page.get_by_test_id("lang-en").click()
            expect(page.locator("html")).to_have_attribute("lang", language)

            urls = _navigation_urls(page)
            keys = {key for key, _href in urls}
            # The manager's menu covers every app's group; a broken registration would shrink it.
            assert {"org.dashboard", "attendance.summary", "leave.queue", "reports.index", "conduct.current"} <= keys
            assert len(urls) >= 20

            for key, href in urls:
                response = page.goto(live_server.url + href)
                assert response is not None and response.ok, f"{key}: {href} answered {response and response.status}"
                expect(page.locator("html")).to_have_attribute("lang", language)
                where = f"{language} {device} {href}"
                _assert_fits_and_top_bar_usable(page, where)
                active = page.locator("#mainNav a.active[data-menu-item]")
                expect(active).to_have_attribute("data-menu-item", key)

                sidebar = page.locator("#mainNav")
                toggle = page.get_by_test_id("menu-toggle")
                if device == "laptop":
                    expect(toggle).to_be_hidden()
                    expect(sidebar.locator(f'[data-menu-item="{key}"]')).to_be_visible()
                    _assert_sidebar_stays_below_top_bar(page, where)
                else:
                    expect(sidebar).to_be_hidden()

            page.goto(live_server.url + reverse("org:dashboard"))
            screenshot(page, f"shell-{device}-{language}")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_phone_the_hamburger_opens_the_menu(browser, live_server, language):
    from playwright.sync_api import expect

    context = browser.new_context(**PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        with time_machine.travel(NOW, tick=True):
            log_in(page, live_server, "manager", DEMO_PASSWORD)
            if language == "en":
                page.get_by_test_id("lang-en").click()
            page.goto(live_server.url + reverse("leave:mine"))

            sidebar = page.locator("#mainNav")
            expect(sidebar).to_be_hidden()
            page.get_by_test_id("menu-toggle").tap()
            expect(sidebar).to_be_visible()
            _wait_until_slid_in(page, sidebar)
            queue = sidebar.locator('[data-menu-item="leave.queue"]')
            expect(queue).to_be_visible()
            label = "待我审批" if language == "zh-hans" else "Approval queue"
            expect(queue.locator("span.flex-grow-1")).to_have_text(label)
            expect(page.get_by_test_id("menu-badge-leave.queue")).to_have_text(re.compile(r"^[1-9]\d*$"))
            expect(sidebar.locator('[data-menu-item="leave.mine"]')).to_have_class(
                "nav-link shell-link d-flex align-items-center gap-2 active"
            )
            box = sidebar.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll_width <= inner_width
            screenshot(page, f"shell-phone-menu-{language}")

            queue.tap()
            page.wait_for_url(live_server.url + reverse("leave:queue"))
            expect(sidebar).to_be_hidden()
            expect(page.locator('#mainNav a.active[data-menu-item="leave.queue"]')).to_have_count(1)
    finally:
        context.close()


def test_staff_menu_has_no_approval_queue_or_reports(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(**LAPTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        with time_machine.travel(NOW, tick=True):
            log_in(page, live_server, "staff", DEMO_PASSWORD)
            sidebar = page.locator("#mainNav")
            expect(sidebar.locator('[data-menu-item="leave.mine"]')).to_be_visible()
            expect(sidebar.locator('[data-menu-item="leave.queue"]')).to_have_count(0)
            expect(sidebar.locator('[data-menu-item="reports.index"]')).to_have_count(0)
            expect(page.locator("#mainNav")).not_to_contain_text("待我审批")
            expect(page.locator("#mainNav")).not_to_contain_text("报表")
    finally:
        context.close()
