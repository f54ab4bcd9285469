"""End-to-end leave workflow in the Chinese UI: request, approve from the queue, see the handover.

Reuses the Chromium and demo-data fixtures of ``test_browser`` (and with them its skip rule when
/usr/bin/chromium is missing outside CI).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from apps.accounts.models import User
from apps.leave.models import LeaveEvent, LeaveRequest
from apps.org.demo import DEMO_PASSWORD
from apps.workcalendar.calendar import calendar_for
from tests.clock import at_working_morning
from tests.e2e.test_browser import browser, demo, log_in, screenshot  # noqa: F401 (browser, demo: fixtures)

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.browser, at_working_morning]

UI_LANGUAGE = "zh-hans"
HANDOVER_NOTES = "跟进医院试剂补货"
REASON = "家里老人看病,需陪同"
# The zh-Hans catalogue's words for what the test checks (locale/zh_Hans/LC_MESSAGES/django.po).
PENDING_ZH = "待审批"  # "Pending"
APPROVED_ZH = "已批准"  # "Approved"
Status = LeaveRequest.Status


def free_working_days(user) -> tuple[datetime.date, datetime.date]:
    """Two consecutive working days from the first one at least 3 days ahead, clear of ``user``'s leave.

    The demo data already holds a one-day request of the staff member's two or more days ahead,
    so the first candidate is skipped when it collides with that request.
    """
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=60)
    days = calendar_for(today, horizon).working_days(today + datetime.timedelta(days=3), horizon)
    taken = list(
        LeaveRequest.objects.filter(user=user, status__in=LeaveRequest.ACTIVE_STATUSES).values_list(
            "start_date", "end_date"
        )
    )
    for start, end in zip(days, days[1:], strict=False):
        if not any(first <= end and start <= last for first, last in taken):
            return start, end
    raise AssertionError("no two free working days in the next 60 days")


def zh_date(day: datetime.date) -> str:
    with translation.override(UI_LANGUAGE):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def test_staff_requests_leave_manager_approves_colleague_sees_handover(browser, live_server):  # noqa: F811
    from playwright.sync_api import expect

    staff = User.objects.get(username="staff")
    manager = User.objects.get(username="manager")
    service = User.objects.get(username="service")
    start, end = free_working_days(staff)
    working_days = calendar_for(start, end).count(start, end)
    period = f"{zh_date(start)}至{zh_date(end)}"  # e.g. 2026年12月1日至2026年12月2日

    def new_page():
        return browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()

    # 1. The staff member asks for personal leave and names the customer-service colleague.
    staff_page = new_page()
    log_in(staff_page, live_server, "staff", DEMO_PASSWORD)
    staff_page.goto(live_server.url + reverse("leave:create"))
    expect(staff_page.locator("html")).to_have_attribute("lang", UI_LANGUAGE)
    staff_page.locator("#id_leave_type").select_option(label="事假")
    staff_page.locator("#id_start_date").fill(start.isoformat())
    staff_page.locator("#id_end_date").fill(end.isoformat())
    # htmx swaps the length into #leave-preview once both dates are chosen.
    preview_text = f"{working_days}个工作日"  # "%(days)s working days"
    expect(staff_page.locator("#leave-preview").get_by_test_id("leave-days")).to_have_text(preview_text)
    staff_page.locator("#id_handover_to").select_option(label="刘洋")
    staff_page.locator("#id_handover_notes").fill(HANDOVER_NOTES)
    staff_page.locator("#id_reason").fill(REASON)
    expect(staff_page.get_by_test_id("leave-days")).to_have_text(preview_text)
    screenshot(staff_page, "leave-flow-1-form")
    staff_page.get_by_test_id("leave-submit").click()
    staff_page.wait_for_url(re.compile(r"/\d+/$"))
    expect(staff_page.locator("#main .alert-success")).to_have_text("您的申请已提交给王建国。")

    leave = LeaveRequest.objects.get(user=staff, start_date=start)
    assert staff_page.url == live_server.url + reverse("leave:detail", args=[leave.pk])
    assert (leave.status, leave.leave_type.code, leave.end_date) == (Status.PENDING, "personal", end)
    assert (leave.start_half, leave.end_half, leave.days) == ("am", "pm", working_days)
    assert (leave.handover_to, leave.approver, leave.handover_notes, leave.reason) == (
        service,
        manager,
        HANDOVER_NOTES,
        REASON,
    )
    status = staff_page.get_by_test_id("leave-status")
    expect(status).to_have_text(PENDING_ZH)
    expect(status).to_have_class(re.compile(r"\btext-bg-warning\b"))
    expect(staff_page.get_by_test_id("handover-to")).to_have_text("刘洋")
    expect(staff_page.get_by_test_id("handover-notes")).to_have_text(HANDOVER_NOTES)
    screenshot(staff_page, "leave-flow-2-pending")

    # 2. The head of marketing approves it from the queue, next to the demo data's own requests.
    manager_page = new_page()
    log_in(manager_page, live_server, "manager", DEMO_PASSWORD)
    manager_page.goto(live_server.url + reverse("leave:queue"))
    rows = manager_page.locator("tr.queue-row").filter(has_text="陈晨").filter(has_text=period)
    expect(rows).to_have_count(1)
    expect(rows.locator("a")).to_have_attribute("href", reverse("leave:detail", args=[leave.pk]) + "?source=queue")
    expect(rows).to_contain_text("事假")
    expect(rows).to_contain_text("刘洋")
    screenshot(manager_page, "leave-flow-3-queue")
    rows.get_by_test_id("queue-approve").click()
    # Back on the queue after the redirect: the row is gone and the success message is shown.
    expect(manager_page.locator("#main .alert-success")).to_have_text("申请已批准。")
    expect(rows).to_have_count(0)
    screenshot(manager_page, "leave-flow-4-approved-queue")

    leave.refresh_from_db()
    assert (leave.status, leave.decided_by) == (Status.APPROVED, manager)
    assert leave.decided_at is not None
    events = list(LeaveEvent.objects.filter(request=leave).values_list("actor__username", "from_status", "to_status"))
    assert events == [("staff", "", Status.PENDING), ("manager", Status.PENDING, Status.APPROVED)]

    # 3. The staff member sees the approval on the request.
    staff_page.goto(live_server.url + reverse("leave:detail", args=[leave.pk]))
    status = staff_page.get_by_test_id("leave-status")
    expect(status).to_have_text(APPROVED_ZH)
    expect(status).to_have_class(re.compile(r"\btext-bg-success\b"))
    screenshot(staff_page, "leave-flow-5-approved")

    # 4. The colleague taking over sees the handover.
    service_page = new_page()
    log_in(service_page, live_server, "service", DEMO_PASSWORD)
    service_page.goto(live_server.url + reverse("leave:handovers"))
    items = service_page.get_by_test_id("handover-item").filter(has_text=HANDOVER_NOTES)
    expect(items).to_have_count(1)
    expect(items.get_by_role("link")).to_have_attribute(
        "href", re.compile(re.escape(reverse("leave:detail", args=[leave.pk])) + r"(\?source=\w+)?$")
    )
    expect(items).to_contain_text("陈晨")
    expect(items).to_contain_text(period)
    expect(items.get_by_test_id("leave-status")).to_have_text(APPROVED_ZH)
    screenshot(service_page, "leave-flow-6-handovers")
