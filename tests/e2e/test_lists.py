"""Every list page on a phone and on a laptop, in both languages (issue 8, "Lists on a phone").

At 390×844 (mobile, touch) no element may stick out past the viewport unless it sits inside a
container that scrolls on purpose (the monthly summary's table), no visible table header may be
narrower than two characters of its font, list rows are cards, and row actions are on screen and
big enough for a thumb. At 1280×800 the same lists are still tables with their headers on show.
The manager of the demo data sees every list with rows in it.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from apps.accounts.models import User
from apps.attendance.models import FieldWorkNotice
from apps.leave.models import ActingApprover, CompTimeEntry, ImportantPeriod, LeaveRequest, LeaveType
from apps.notifications.services import notification_send
from apps.org.demo import DEMO_PASSWORD, demo_data_load
from apps.reports.models import ReportJob
from tests.e2e.support import LAPTOP, NOW, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

TODAY = NOW.date()


# (url name, query string, the list's data-testid, the row action expected on the page or None)
PAGES = [
    ("leave:mine", "", "my-leave", None),
    ("leave:handovers", "", "handovers", None),
    ("leave:comp_time", "", "comp-ledger", None),
    ("leave:periods", "", "periods", None),
    ("leave:acting", "", "acting", None),
    ("attendance:month", "", "attendance-month", None),
    ("attendance:notice_list", "", "notice-list", "withdraw"),
    ("attendance:notices_daily", f"?date={TODAY:%Y-%m-%d}", "notices-daily", None),
    ("attendance:summary", "", "attendance-summary", None),
    ("reports:index", "", "report-jobs", "download"),
    ("notifications:list", "", "notifications", None),
    ("org:task_list", "", "task-list", None),
    ("org:product_list", "", "product-list", None),
    ("org:department", "", "positions", None),
    ("conduct:status", "?show=all", "acknowledgements", None),
]

# Elements sticking out past the viewport, except inside a container that scrolls sideways on
# purpose; and visible headers narrower than the first two characters of their text.
LAYOUT_JS = """
() => {
  const width = window.innerWidth;
  const scrolls = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const x = getComputedStyle(node).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " «" + (el.textContent || "").trim().slice(0, 30) + "»";
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 && !scrolls(el)) wide.push(name(el) + " right=" + Math.round(box.right));
  }
  // Two characters of the header's own text in its own font, measured unwrapped (the font a
  // glyph falls back to decides its width, so 2 × font-size would not do for CJK everywhere).
  const narrow = [];
  for (const th of document.querySelectorAll("th")) {
    const text = th.textContent.trim();
    if (!text || !th.checkVisibility()) continue;
    const style = getComputedStyle(th);
    const content = th.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const probe = document.createElement("span");
    probe.textContent = Array.from(text).slice(0, 2).join("");
    probe.style.position = "absolute";
    probe.style.visibility = "hidden";
    probe.style.whiteSpace = "pre";
    th.appendChild(probe);
    const two = probe.getBoundingClientRect().width;
    probe.remove();
    if (content < two - 0.5) narrow.push(name(th) + " " + content.toFixed(1) + "px < " + two.toFixed(1) + "px");
  }
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 10), narrow: narrow,
  };
}
"""

# Lines a header's text takes: the distinct tops of its text's boxes.
LINES_JS = """
(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
}
"""

ROW_JS = """
(table) => {
  const row = table.querySelector("tbody > tr:not(.list-empty)");
  const head = table.querySelector("thead");
  return {
    rows: table.querySelectorAll("tbody > tr:not(.list-empty)").length,
    rowDisplay: row ? getComputedStyle(row).display : null,
    headVisible: head ? head.checkVisibility() : false,
  };
}
"""


def _add_rows() -> None:
    """Give the demo manager a row in every list the demo data leaves empty for them."""
    manager = User.objects.get(username="manager")
    staff = User.objects.get(username="staff")
    research = User.objects.get(username="research")
    personal = LeaveType.objects.get(code="personal")
    far = TODAY + datetime.timedelta(days=60)
    LeaveRequest.objects.create(
        user=manager,
        leave_type=personal,
        start_date=far,
        end_date=far,
        days=1,
        reason="家中有事",
        handover_to=research,
        handover_notes="周报由张伟汇总",
        approver=User.objects.get(username="gm"),
    )
    LeaveRequest.objects.create(
        user=staff,
        leave_type=personal,
        start_date=far,
        end_date=far,
        days=1,
        reason="搬家",
        handover_to=manager,
        handover_notes="客户回访名单在共享盘，下午三点前请回复华东区经销商的询价邮件",
        approver=manager,
    )
    CompTimeEntry.objects.create(user=manager, kind="grant", days=1, reason="展会周末值班", created_by=manager)
    ImportantPeriod.objects.create(
        name="年度经销商大会", start_date=far, end_date=far + datetime.timedelta(days=2), declared_by=manager
    )
    ActingApprover.objects.create(
        department=manager.department, user=research, start_date=far, end_date=far, created_by=manager
    )
    filed = NOW - datetime.timedelta(days=3)
    FieldWorkNotice.objects.create(
        user=manager,
        start_date=TODAY + datetime.timedelta(days=7),
        end_date=TODAY + datetime.timedelta(days=8),
        destination="上海市第六人民医院检验科",
        purpose="新品试剂推介",
        customer_name="上海市第六人民医院",
        filed_at=filed,
        deadline=NOW + datetime.timedelta(days=6),
    )
    FieldWorkNotice.objects.create(
        user=staff,
        start_date=TODAY,
        end_date=TODAY,
        destination="苏州工业园区经销商仓库",
        purpose="盘点库存并回收过期试剂",
        filed_at=filed,
        deadline=NOW,
    )
    ReportJob.objects.create(
        report_type="attendance_monthly",
        title="考勤月报 2026年11月",
        requested_by=manager,
        status=ReportJob.Status.DONE,
        progress=100,
        file="attendance-2026-11.xlsx",
        file_size=2048,
        finished_at=NOW,
    )
    notification_send(
        recipient=manager,
        title="陈晨的事假申请等待您审批",
        body="请假期间：2027年1月30日，交接人：王建国",
        email=False,
    )


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    with time_machine.travel(NOW, tick=True):
        demo_data_load()
        _add_rows()
        yield


def _open(page, live_server, url_name, query):
    response = page.goto(live_server.url + reverse(url_name) + query)
    assert response is not None and response.ok, f"{url_name}: {response and response.status}"


def _assert_layout(page, where):
    layout = page.evaluate(LAYOUT_JS)
    assert layout["scrollWidth"] <= layout["innerWidth"], f"{where}: page scrolls sideways: {layout}"
    assert not layout["wide"], f"{where}: wider than the viewport: {layout['wide']}"
    assert not layout["narrow"], f"{where}: headers narrower than two characters: {layout['narrow']}"


def _start(browser, options, live_server, language):
    from playwright.sync_api import expect

    context = browser.new_context(**options, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    if language == "en":
        page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    return context, page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_lists_on_a_phone_are_cards_that_fit(browser, live_server, language):
    from playwright.sync_api import expect

    context, page = _start(browser, PHONE, live_server, language)
    try:
        for url_name, query, testid, action in PAGES:
            where = f"{language} phone {url_name}"
            _open(page, live_server, url_name, query)
            table = page.get_by_test_id(testid)
            expect(table).to_be_attached()
            shape = table.evaluate(ROW_JS)
            assert shape["rows"] >= 1, f"{where}: the list has no rows to check"
            if testid == "attendance-summary":
                # Wide and numeric: a table that scrolls inside its container, name column stuck.
                assert shape["rowDisplay"] == "table-row" and shape["headVisible"], f"{where}: {shape}"
                wrap = page.locator(".list-table-wrap-wide")
                # Whether it overflows depends on the font; if it does, it scrolls inside its own box.
                overflow = wrap.evaluate("(el) => getComputedStyle(el).overflowX")
                assert overflow in ("auto", "scroll"), f"{where}: the wide table cannot scroll ({overflow})"
                name = table.locator("tbody tr td.list-primary").first
                left = wrap.bounding_box()["x"]
                wrap.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
                for cell in (name, table.locator("thead th.list-primary")):
                    box = cell.bounding_box()
                    assert abs(box["x"] - left) <= 1, f"{where}: the name column scrolled away ({box['x']} vs {left})"
                    expect(cell).to_be_visible()
            else:
                assert shape["rowDisplay"] == "block", f"{where}: rows are not cards: {shape}"
                assert not shape["headVisible"], f"{where}: the header row still shows above the cards"
            _assert_layout(page, where)
            buttons = table.locator("tbody td.list-actions .btn")
            if action:
                assert buttons.count() >= 1, f"{where}: no {action} button"
            for i in range(buttons.count()):
                button = buttons.nth(i)
                button.scroll_into_view_if_needed()
                expect(button).to_be_in_viewport()
                box = button.bounding_box()
                card = button.locator("xpath=ancestor::tr[1]").bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{where}: action off screen: {box}"
                assert box["height"] >= 44, f"{where}: action {box['height']}px high, too small for a thumb"
                assert box["width"] >= 0.8 * card["width"], f"{where}: action not full width: {box} in {card}"
            screenshot(page, f"lists-phone-{language}-{testid}")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_lists_on_a_laptop_stay_tables(browser, live_server, language):
    from playwright.sync_api import expect

    context, page = _start(browser, LAPTOP, live_server, language)
    try:
        for url_name, query, testid, action in PAGES:
            where = f"{language} laptop {url_name}"
            _open(page, live_server, url_name, query)
            table = page.get_by_test_id(testid)
            shape = table.evaluate(ROW_JS)
            assert shape["rows"] >= 1, f"{where}: the list has no rows to check"
            assert shape["rowDisplay"] == "table-row", f"{where}: {shape}"
            assert shape["headVisible"], f"{where}: the header row is hidden"
            _assert_layout(page, where)
            # Headers stay on one line: no "申/请/人".
            for th in table.locator("thead th").all():
                lines = th.evaluate(LINES_JS)
                assert lines <= 1, f"{where}: header {th.text_content()!r} wraps onto {lines} lines"
            if action:
                expect(table.locator("tbody td.list-actions .btn").first).to_be_visible()
    finally:
        context.close()
