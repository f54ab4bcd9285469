"""The approval queue on a phone (issue 8): each request a card, its decide buttons reachable by thumb,
batch approval through a confirmation page, and the breadcrumb of a request opened from the queue.
"""

import pytest
import time_machine
from django.urls import reverse

from apps.leave.models import LeaveEvent, LeaveRequest
from apps.org.demo import DEMO_PASSWORD
from tests.e2e.support import NOW, log_in, new_context, screenshot, switch_language

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(demo_now):
    """The demo data at :data:`NOW` (``tests/e2e/support.py``)."""


def _phone_page(browser, live_server, language):
    context = new_context(browser, "phone")
    page = context.new_page()
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    switch_language(page, language)
    return context, page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_queue_rows_are_cards_with_reachable_buttons_on_a_phone(browser, live_server, language):
    from playwright.sync_api import expect

    with time_machine.travel(NOW, tick=True):
        context, page = _phone_page(browser, live_server, language)
        try:
            page.goto(live_server.url + reverse("leave:queue"))
            rows = page.locator("tr.queue-row")
            expect(rows.first).to_be_visible()
            assert rows.count() == LeaveRequest.objects.filter(status="pending", approver__username="manager").count()
            width = page.evaluate("window.innerWidth")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert (
                page.locator("table[data-testid=queue] thead").evaluate("el => getComputedStyle(el).display") == "none"
            )
            for i in range(rows.count()):
                row = rows.nth(i)
                assert row.evaluate("el => getComputedStyle(el).display") == "block", "a queue row is not a card"
                card = row.bounding_box()
                assert card["x"] >= 0 and card["x"] + card["width"] <= width
                for testid in ("queue-approve", "queue-reject", "queue-select"):
                    control = row.get_by_test_id(testid)
                    control.scroll_into_view_if_needed()
                    expect(control).to_be_visible()
                    box = control.bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{testid} off screen"
                    if testid != "queue-select":
                        assert box["height"] >= 43, f"{testid} is too small for a thumb"
                # The details a manager weighs are on the card.
                expect(row.get_by_test_id("queue-filed")).to_be_visible()
                expect(row.get_by_test_id("queue-days")).to_be_visible()
            screenshot(page, f"queue-phone-{language}")
        finally:
            context.close()


def test_batch_approval_on_a_phone_goes_through_a_confirmation_page(browser, live_server):
    from playwright.sync_api import expect

    with time_machine.travel(NOW, tick=True):
        context, page = _phone_page(browser, live_server, "zh-hans")
        try:
            waiting = list(LeaveRequest.objects.filter(status="pending", approver__username="manager"))
            page.goto(live_server.url + reverse("leave:queue"))
            boxes = page.get_by_test_id("queue-select")
            count = boxes.count()
            assert count >= 2
            for i in range(count):
                boxes.nth(i).tap()
            page.locator("#queue-batch-comment").fill("同意，注意交接")
            page.get_by_test_id("queue-batch-approve").tap()

            expect(page.get_by_test_id("queue-confirm-approve")).to_be_visible()
            expect(page.locator("table[data-testid=queue-confirm] tbody tr")).to_have_count(count)
            assert LeaveRequest.objects.filter(status="pending", approver__username="manager").count() == count
            page.get_by_test_id("queue-confirm-approve").tap()

            page.wait_for_url(live_server.url + reverse("leave:queue"))
            expect(page.locator(".alert-success")).to_be_visible()
            expect(page.locator("tr.queue-row")).to_have_count(0)
            approved = LeaveEvent.objects.filter(request__in=waiting, to_status="approved", actor__username="manager")
            assert list(approved.values_list("comment", flat=True)) == ["同意，注意交接"] * count
        finally:
            context.close()


def test_request_opened_from_the_queue_shows_the_queue_in_its_breadcrumb(browser, live_server):
    from playwright.sync_api import expect

    with time_machine.travel(NOW, tick=True):
        context, page = _phone_page(browser, live_server, "zh-hans")
        try:
            page.goto(live_server.url + reverse("leave:queue"))
            page.get_by_test_id("queue-requester").first.tap()
            crumb = page.get_by_test_id("breadcrumb-queue")
            expect(crumb).to_have_text("待我审批")
            crumb.tap()
            page.wait_for_url(live_server.url + reverse("leave:queue"))
        finally:
            context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_queue_is_a_table_that_fits_a_laptop(browser, live_server, language):
    from playwright.sync_api import expect

    with time_machine.travel(NOW, tick=True):
        context = new_context(browser, "laptop", locale=None)
        page = context.new_page()
        try:
            log_in(page, live_server, "manager", DEMO_PASSWORD)
            if language == "en":
                page.get_by_test_id("lang-en").click()
            page.goto(live_server.url + reverse("leave:queue"))
            expect(page.locator("table[data-testid=queue] thead")).to_be_visible()
            width = page.evaluate("window.innerWidth")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            for button in page.get_by_test_id("queue-approve").all():
                box = button.bounding_box()
                assert box["x"] + box["width"] <= width, "the decide buttons sit off screen"
            screenshot(page, f"queue-laptop-{language}")
        finally:
            context.close()
