"""R-INTEL-03 in a real browser: a staff member with internal clearance finds a secret report neither
by search nor by URL, and its existence changes none of the counts they see; the manager finds it.

The desk is the intelligence demo (``apps.intel.demo``). The search terms are a two-character and a
four-character Chinese substring of the secret report's title that also occur in reports the staff
member may read, so "the count did not change" is a count above zero, not an empty page.
"""

import re

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import ConfidentialityLevel as Level
from apps.intel import search
from apps.intel.demo import intel_demo_load
from apps.intel.models import IntelReport
from apps.org.demo import DEMO_PASSWORD, demo_data_load
from tests.clock import WORKING_MORNING
from tests.e2e.test_browser import browser, log_in, screenshot  # noqa: F401 (browser: fixture)

pytestmark = pytest.mark.browser

SECRET_TITLE = "华康诊断集采化学发光底价内部测算（青鸾方案）"
TWO = "集采"
FOUR = "化学发光"


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    with time_machine.travel(WORKING_MORNING, tick=True):
        demo_data_load()
        intel_demo_load()
        yield


def _count(page) -> int:
    """The result count a list or the search page shows (its ``data-testid`` ends in "count")."""
    text = page.locator("main [data-testid$='count']").first.inner_text()
    match = re.search(r"\d[\d,]*", text)
    assert match, f"{page.url}: no number in the count {text!r}"
    return int(match.group().replace(",", ""))


def _search(page, live_server, term: str) -> tuple[int, str]:
    response = page.goto(live_server.url + reverse("intel:search") + f"?q={term}")
    assert response is not None and response.status == 200, f"search {term}: {response and response.status}"
    return _count(page), page.locator("main").inner_text()


def _report_list(page, live_server) -> tuple[int, str]:
    response = page.goto(live_server.url + reverse("intel:report_list"))
    assert response is not None and response.status == 200
    return _count(page), page.locator("main").inner_text()


def _secret_report() -> IntelReport:
    manager = User.objects.get(username="manager")
    report = IntelReport.objects.create(
        kind=IntelReport.Kind.PRICING,
        title=SECRET_TITLE,
        body="按省份测算集采报价底线，仅限经理阅读。",
        source="市场部测算",
        reported_on=WORKING_MORNING.date(),
        confidentiality=Level.SECRET,
        author=manager,
    )
    search.report_reindex(report=report)
    return report


def test_r_intel_03_internal_staff_cannot_find_a_secret_report_the_manager_can(browser, live_server):  # noqa: F811
    from playwright.sync_api import expect

    staff_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    manager_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        staff = staff_context.new_page()
        log_in(staff, live_server, "staff", DEMO_PASSWORD)
        manager = manager_context.new_page()
        log_in(manager, live_server, "manager", DEMO_PASSWORD)

        staff_before = {term: _search(staff, live_server, term)[0] for term in (TWO, FOUR)}
        staff_list_before = _report_list(staff, live_server)[0]
        manager_before = {term: _search(manager, live_server, term)[0] for term in (TWO, FOUR)}
        assert all(count > 0 for count in staff_before.values()), staff_before

        secret = _secret_report()
        detail = live_server.url + reverse("intel:report_detail", args=[secret.pk])

        for term in (TWO, FOUR):
            count, text = _search(staff, live_server, term)
            assert SECRET_TITLE not in text, f"staff found the secret report by searching {term}"
            assert count == staff_before[term], f"{term}: the secret report changed the staff member's count"
        screenshot(staff, "intel-clearance-staff-search")
        response = staff.goto(detail)
        assert response is not None and response.status == 404
        assert SECRET_TITLE not in staff.content()
        count, text = _report_list(staff, live_server)
        assert count == staff_list_before
        assert SECRET_TITLE not in text

        for term in (TWO, FOUR):
            count, text = _search(manager, live_server, term)
            assert SECRET_TITLE in text, f"the manager did not find the secret report by searching {term}"
            assert count == manager_before[term] + 1
        manager.get_by_role("link", name=SECRET_TITLE).first.click()
        expect(manager.locator("h1")).to_contain_text(SECRET_TITLE)
        assert manager.url.split("?")[0] == detail
        screenshot(manager, "intel-clearance-manager-report")
    finally:
        staff_context.close()
        manager_context.close()
