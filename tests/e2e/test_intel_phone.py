"""Every intelligence page on a phone (390×844, mobile, touch) and a laptop (1280×800), in Chinese and
English: nothing wider than the viewport (except inside a container that scrolls on purpose), one
``<h1>``, and no CSP violation, console error or uncaught exception.

The manager of the intelligence demo (secret clearance, may read the access log) opens the pages.
"""

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from apps.intel.demo import intel_demo_load
from apps.intel.models import Battlecard, Competitor, CompetitorProduct
from apps.org.demo import DEMO_PASSWORD, demo_data_load
from tests.clock import WORKING_MORNING
from tests.e2e.test_browser import browser, log_in, screenshot  # noqa: F401 (browser: fixture)
from tests.e2e.test_csp import VIOLATION_LISTENER, Watch

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


def _pages() -> list[tuple[str, str, list, str]]:
    """(name for messages, URL name, arguments, query) of each intelligence page, with demo rows to show."""
    competitor = Competitor.objects.get(short_name="华康诊断")
    product = CompetitorProduct.objects.filter(competitor=competitor).order_by("name").first()
    card = Battlecard.objects.get(competitor=competitor)
    return [
        ("report list", "intel:report_list", [], ""),
        ("search", "intel:search", [], "?q=集采"),
        ("price list", "intel:price_list", [], ""),
        ("competitor list", "intel:competitor_list", [], ""),
        ("competitor", "intel:competitor_detail", [competitor.pk], ""),
        ("product", "intel:product_detail", [product.pk], ""),
        ("battlecard", "intel:battlecard_detail", [card.competitor_id], ""),
        ("research plans", "intel:plan_list", [], ""),
        ("my alerts", "intel:follow_list", [], ""),
        ("access log", "intel:access_log", [], ""),
    ]


# Elements sticking out past the viewport, except inside a container that scrolls or clips sideways.
WIDE_JS = """
() => {
  const width = window.innerWidth;
  const scrolls = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const x = getComputedStyle(node).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 && !scrolls(el)) {
      wide.push(el.tagName.toLowerCase() + "." + String(el.className).trim().split(/\\s+/).join(".")
        + " «" + (el.textContent || "").trim().slice(0, 30) + "» right=" + Math.round(box.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 10)};
}
"""


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    with time_machine.travel(WORKING_MORNING, tick=True):
        demo_data_load()
        intel_demo_load()
        yield


@pytest.mark.parametrize("device", ["phone", "laptop"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_intel_pages_fit_have_one_heading_and_no_csp_errors(browser, live_server, language, device):  # noqa: F811
    from playwright.sync_api import expect

    options = PHONE if device == "phone" else LAPTOP
    context = browser.new_context(**options, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.add_init_script(VIOLATION_LISTENER)
    page = context.new_page()
    watch = Watch(page)
    problems = []
    try:
        log_in(page, live_server, "manager", DEMO_PASSWORD)
        if language == "en":
            page.get_by_test_id("lang-en").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        for name, url_name, args, query in _pages():
            where = f"{name} ({device}, {language})"
            try:
                path = reverse(url_name, args=args) + query
            except NoReverseMatch:
                problems.append(f"{where}: the page {url_name} does not exist")
                continue
            response = page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            if response is None or response.status != 200:
                problems.append(f"{where}: status {response and response.status}")
                continue
            layout = page.evaluate(WIDE_JS)
            if layout["scrollWidth"] > layout["innerWidth"]:
                problems.append(f"{where}: the page scrolls sideways: {layout}")
            if layout["wide"]:
                problems.append(f"{where}: wider than the viewport: {layout['wide']}")
            headings = page.locator("h1").count()
            if headings != 1:
                problems.append(f"{where}: {headings} <h1> elements")
            screenshot(page, f"intel-{name.replace(' ', '-')}-{device}-{language}")
        assert not problems, "\n".join(problems)
        assert not watch.problems, "\n".join(watch.problems)
    finally:
        context.close()
