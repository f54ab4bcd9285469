"""In the browser (issue 8): the leave calendar on a phone lists days instead of 31 columns, pending
leave is striped in its type's colour; the handover picker filters by pinyin.

Reuses the Chromium and demo-data fixtures of ``test_browser`` (and its skip rule).
"""

import datetime

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.leave.models import LeaveRequest
from apps.org.demo import DEMO_PASSWORD
from tests.clock import at_working_morning
from tests.e2e.support import LAPTOP, PHONE
from tests.e2e.test_browser import browser, demo, log_in, screenshot  # noqa: F401 (browser, demo: fixtures)
from tests.leave.helpers import make_leave

pytestmark = [pytest.mark.browser, at_working_morning]

DECEMBER = "?month=2026-12"


def _december_leave():
    """A pending personal day and approved sick leave for two of the demo colleagues, late in December."""
    manager = User.objects.get(username="manager")
    research, service, staff = (User.objects.get(username=name) for name in ("research", "service", "staff"))
    pending = make_leave(
        research,
        handover_to=service,
        approver=manager,
        start=datetime.date(2026, 12, 28),
        status=LeaveRequest.Status.PENDING,
    )
    approved = make_leave(service, handover_to=staff, approver=manager, start=datetime.date(2026, 12, 29), code="sick")
    return pending, approved


@pytest.mark.parametrize(("size", "language"), [("phone", "zh-hans"), ("laptop", "en")])
def test_calendar_lists_days_on_a_phone_and_shows_the_grid_on_a_laptop(browser, live_server, size, language):  # noqa: F811
    from playwright.sync_api import expect

    _december_leave()
    User.objects.filter(username="manager").update(language=language)
    context = browser.new_context(**(PHONE if size == "phone" else LAPTOP), locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        log_in(page, live_server, "manager", DEMO_PASSWORD)
        page.goto(live_server.url + reverse("leave:calendar") + DECEMBER)

        grid, days = page.get_by_test_id("calendar-grid"), page.get_by_test_id("calendar-days")
        if size == "phone":
            expect(grid).to_be_hidden()
            expect(days).to_be_visible()
            entry = days.get_by_test_id("calendar-day-entry").filter(has_text="张伟").filter(has_text="事假")
            expect(entry).to_contain_text("待审批")
        else:
            expect(grid).to_be_visible()
            expect(days).to_be_hidden()
        expect(page.get_by_test_id("month-nav")).to_be_visible()
        expect(page.get_by_test_id("legend-type")).to_have_count(4)
        pending = page.locator('[data-status="pending"] .calendar-entry, .calendar-entry[data-status="pending"]')
        visible_pending = pending.locator("visible=true").first
        outline = visible_pending.evaluate("e => getComputedStyle(e).outlineStyle")
        stripes = visible_pending.evaluate("e => getComputedStyle(e).backgroundImage")
        assert outline == "dashed"
        assert stripes.startswith("repeating-linear-gradient")
        sick = page.locator('.calendar-entry[data-type="sick"]')
        if size == "laptop":
            # Approved leave is solid in its type's colour (the third of the palette: #009e73).
            assert sick.first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 158, 115)"
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, f"leave-calendar-{size}-{language}")
        assert width <= inner, f"the calendar is {width}px wide in a {inner}px viewport"
    finally:
        context.close()


def test_handover_picker_lists_colleagues_first_and_filters_by_pinyin(browser, live_server):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(**PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        log_in(page, live_server, "staff", DEMO_PASSWORD)
        page.goto(live_server.url + reverse("leave:create"))
        select = page.locator("#id_handover_to")
        search = page.locator('input[data-person-search="id_handover_to"]')

        groups = select.locator("optgroup")
        expect(groups.nth(0).locator("option")).to_have_text(["李静", "刘洋", "王建国", "张伟"])
        expect(groups.nth(1).locator("option")).to_have_text(["赵敏", "周国强"])
        expect(select.locator("option", has_text="系统管理员")).to_have_count(0)

        expect(search).to_be_visible()  # shown by person_picker.js
        search.fill("zw")
        expect(select.locator("option:not([value=''])")).to_have_text(["张伟"])
        zhang = User.objects.get(username="research")
        expect(select).to_have_value(str(zhang.pk))  # a single match is chosen
        search.press("Enter")  # narrows, never submits
        assert page.url.endswith(reverse("leave:create"))

        search.fill("")
        expect(select.locator("option:not([value=''])")).to_have_count(6)
        expect(select).to_have_value(str(zhang.pk))  # clearing the search keeps the choice
        search.fill("li")
        expect(select.locator("option:not([value=''])")).to_have_text(["李静", "刘洋", "张伟"])
        screenshot(page, "handover-picker-phone")
    finally:
        context.close()
