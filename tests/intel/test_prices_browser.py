"""R-INTEL-01/03 in a real browser: the price-history and comparison charts draw under the strict
CSP (no console error), and the history chart's monthly figures cover only the prices the viewer
is cleared for."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from apps.core.roles import RoleName
from apps.org.models import Department
from tests.clock import WORKING_MORNING
from tests.e2e.support import browser, chromium_or_skip, new_context, screenshot  # noqa: F401 (browser: fixture)
from tests.factories import PASSWORD, ProductFactory, UserFactory
from tests.intel.factories_prices import (
    CONFIDENTIAL,
    INTERNAL,
    SECRET,
    PriceCompetitorProductFactory,
    PriceObservationFactory,
    province,
)

pytestmark = pytest.mark.browser

DRAWN_POINTS = """selector => {
  const canvas = document.querySelector(selector);
  const chart = canvas && Chart.getChart(canvas);
  return chart ? chart.data.datasets.reduce((sum, set) => sum + set.data.filter(v => v !== null).length, 0) : -1;
}"""
DRAWN = "selector => typeof Chart !== 'undefined' && !!Chart.getChart(document.querySelector(selector))"
# The history chart's points as drawn: month, median (the line) and the month's count and highest price.
HISTORY = """selector => Chart.getChart(document.querySelector(selector)).data.datasets.flatMap(
  set => set.data.map(item => [item.x, item.y, item.point.count, item.point.high])
)"""
TOOLTIP = """selector => {
  const chart = Chart.getChart(document.querySelector(selector));
  return chart.options.plugins.tooltip.callbacks.label({ raw: chart.data.datasets[0].data[0] });
}"""


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    chromium_or_skip()
    with time_machine.travel(WORKING_MORNING, tick=True):
        marketing = Department.objects.get(code="MKT")
        UserFactory(username="pricestaff", department=marketing, roles=[RoleName.STAFF], clearance=INTERNAL)
        UserFactory(username="pricechief", department=marketing, roles=[RoleName.STAFF], clearance=SECRET)
        ours = ProductFactory(code="HS-CTNI", name="高敏肌钙蛋白I检测试剂盒")
        rival = PriceCompetitorProductFactory(name="肌钙蛋白I测定试剂盒", our_product=ours)
        levels = [INTERNAL, INTERNAL, INTERNAL, CONFIDENTIAL, SECRET]
        for day, level in enumerate(levels, start=1):
            PriceObservationFactory(
                competitor_product=rival,
                price=Decimal(25 + day),
                observed_on=datetime.date(2026, 11, day * 3),
                confidentiality=level,
            )
        for code in ("440000", "110000"):
            PriceObservationFactory(competitor_product=None, our_product=ours, province=province(code))
        yield {"rival": rival, "ours": ours}


def _log_in(page, live_server, username):
    page.goto(live_server.url + reverse("accounts:login"))
    page.locator("#main input[name=username]").fill(username)
    page.locator("#main input[name=password]").fill(PASSWORD)
    page.locator("#main form button[type=submit]").click()
    page.locator("[data-testid=dashboard-title]").wait_for()


@pytest.mark.parametrize(
    ("username", "history"),
    # Prices 26..30 on 3..15 November: 26, 27, 28 internal, 29 confidential, 30 secret.
    [("pricestaff", [["2026-11", 27, 3, 28]]), ("pricechief", [["2026-11", 28, 5, 30]])],
)
def test_r_intel_03_price_charts_draw_only_what_the_viewer_may_see(browser, live_server, demo, username, history):  # noqa: F811
    context = new_context(browser)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        _log_in(page, live_server, username)
        url = live_server.url + reverse("intel:price_list") + f"?competitor_product={demo['rival'].pk}"
        page.goto(url)
        page.wait_for_function(DRAWN, arg="canvas[data-price-chart]")
        assert page.evaluate(HISTORY, "canvas[data-price-chart]") == history
        tooltip = page.evaluate(TOOLTIP, "canvas[data-price-chart]")
        month, median, count, high = history[0]
        assert f"{median} CNY/人份" in tooltip and f"{high}" in tooltip and f"{count}" in tooltip
        assert "%(" not in tooltip
        screenshot(page, f"intel-price-history-{username}")

        page.goto(live_server.url + reverse("intel:product_detail", args=[demo["rival"].pk]))
        page.wait_for_function(DRAWN, arg="canvas[data-price-chart]")
        assert page.evaluate(HISTORY, "canvas[data-price-chart]") == history

        page.goto(live_server.url + reverse("intel:price_compare") + f"?product={demo['ours'].pk}")
        page.wait_for_function(DRAWN, arg="canvas[data-price-compare]")
        assert page.evaluate(DRAWN_POINTS, "canvas[data-price-compare]") == 3  # ours in two provinces, theirs in one
        screenshot(page, f"intel-price-compare-{username}")
    finally:
        context.close()
    assert problems == []
