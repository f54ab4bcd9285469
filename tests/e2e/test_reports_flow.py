"""End-to-end report center flow in the Chinese UI: request last month's attendance as XLSX, download it.

Reuses the Chromium and demo-data fixtures of ``test_browser`` (and with them its skip rule when
/usr/bin/chromium is missing outside CI). Test settings build the job eagerly on commit, inside the
request, into an in-memory storage the live server thread shares with the test.
"""

import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.attendance.selectors import attendance_month
from apps.core.months import shift_month
from apps.org.demo import DEMO_PASSWORD
from apps.reports.models import ReportJob
from tests.clock import at_working_morning
from tests.e2e.test_browser import browser, demo, log_in, screenshot  # noqa: F401 (browser, demo: fixtures)

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.browser, at_working_morning]

UI_LANGUAGE = "zh-hans"
STAFF_NAME = "陈晨"  # the demo "staff" user (apps/org/demo.py)
# The zh-Hans catalogue's words for what the test checks (locale/zh_Hans/LC_MESSAGES/django.po).
REPORTS_ZH = "报表"  # "Reports" (navigation bar)
REPORT_CENTER_ZH = "报表中心"  # "Report center"
MONTHLY_ATTENDANCE_ZH = "月度考勤"  # "Monthly attendance"
BEING_BUILT_ZH = "报表申请已提交，本页显示进度。"  # "Your report has been requested. This page shows its progress."
DONE_ZH = "已完成"  # "Done"
DOWNLOAD_ZH = "下载"  # "Download"
PER_PERSON_ZH = "按人员"  # "Per person" (the XLSX's first sheet)
# employee number, full name, department, working days, present, late, field work (then the leave
# types, then "unexcused absence").
SUMMARY_HEADER_ZH = ["工号", "姓名", "部门", "工作日", "出勤", "迟到", "外出"]
UNEXCUSED_ZH = "旷工"
TOTAL_ZH = "合计"  # "Total"
NOT_FOUND_ZH = "页面不存在"  # "Page not found"
JOB_PATH = re.compile(r"/reports/jobs/[0-9a-f-]{36}/$")


def previous_month() -> tuple[int, int]:
    """Last month's year and month."""
    today = timezone.localdate()
    return shift_month(today.year, today.month, -1)


def test_manager_builds_monthly_attendance_xlsx_and_downloads_it(browser, live_server, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    year, month_number = previous_month()
    month = f"{year}-{month_number:02d}"
    staff = User.objects.get(username="staff")
    # The demo history holds last month's check-ins, leave and field work: the report must say what the
    # on-screen summary says.
    expected = attendance_month(user=staff, year=year, month=month_number, today=timezone.localdate())
    assert expected.present > 0

    def new_page():
        return browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True).new_page()

    # 1. The head of marketing opens the report center from the navigation bar.
    page = new_page()
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", UI_LANGUAGE)
    nav_link = page.locator(f"nav a[href='{reverse('reports:index')}']")
    expect(nav_link).to_have_text(REPORTS_ZH)
    nav_link.click()
    page.wait_for_url(live_server.url + reverse("reports:index"))
    expect(page.locator("#main h1")).to_have_text(REPORT_CENTER_ZH)
    expect(page.get_by_test_id("report-leave_statistics")).to_be_visible()
    screenshot(page, "reports-flow-1-index")

    # 2. The monthly attendance report: its chart, then last month of MKT as XLSX.
    page.get_by_test_id("report-attendance_monthly").click()
    page.wait_for_url(live_server.url + reverse("reports:type", args=["attendance_monthly"]))
    expect(page.locator("#main h1")).to_have_text(MONTHLY_ATTENDANCE_ZH)
    canvas = page.locator("canvas[data-chart]")
    expect(canvas).to_be_visible()
    # charts.js drew a Chart.js chart on it, with one bar group per person of the department.
    labels = page.evaluate("Chart.getChart(document.querySelector('canvas[data-chart]')).data.labels")
    assert STAFF_NAME in labels
    page.locator("#id_department").select_option("MKT")
    page.locator("#id_month").fill(month)
    page.locator("#id_format").select_option("xlsx")
    screenshot(page, "reports-flow-2-form")
    page.get_by_test_id("report-build").click()

    # 3. The job page: the file is ready, then downloaded.
    page.wait_for_url(JOB_PATH)
    job = ReportJob.objects.get(requested_by__username="manager", report_type="attendance_monthly")
    assert page.url == live_server.url + reverse("reports:job", args=[job.pk])
    assert (job.params, job.format) == ({"department": "MKT", "month": month}, "xlsx")
    expect(page.locator("#main .alert-success")).to_have_text(BEING_BUILT_ZH)
    download_link = page.get_by_test_id("report-download")
    expect(download_link).to_be_visible(timeout=15_000)
    expect(page.locator("#job-status")).to_have_attribute("data-status", "done")
    expect(page.locator("#job-status .badge")).to_have_text(DONE_ZH)
    expect(download_link).to_contain_text(DOWNLOAD_ZH)
    expect(download_link).to_have_attribute("href", reverse("reports:download", args=[job.pk]))
    screenshot(page, "reports-flow-3-job")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"attendance-MKT-{month}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = workbook.worksheets[0]
        assert sheet.title == PER_PERSON_ZH
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    header = rows[0]
    assert header[: len(SUMMARY_HEADER_ZH)] == SUMMARY_HEADER_ZH
    assert header[-1] == UNEXCUSED_ZH
    people = {row[1]: row for row in rows[1:]}
    assert STAFF_NAME in people, f"no row for {STAFF_NAME} in {sorted(map(str, people))}"
    staff_row = people[STAFF_NAME]
    assert staff_row[:4] == [staff.employee_no, STAFF_NAME, "市场部", expected.working_days]
    assert (staff_row[4], staff_row[5], staff_row[-1]) == (expected.present, expected.late, expected.unexcused)
    assert rows[-1][1] == TOTAL_ZH

    # 4. A staff member without the report's permission is told the job does not exist.
    staff_page = new_page()
    log_in(staff_page, live_server, "staff", DEMO_PASSWORD)
    response = staff_page.goto(live_server.url + reverse("reports:job", args=[job.pk]))
    assert response is not None and response.status == 404
    expect(staff_page.locator("#main")).to_contain_text(NOT_FOUND_ZH)
    expect(staff_page.get_by_test_id("report-download")).to_have_count(0)
    response = staff_page.goto(live_server.url + reverse("reports:download", args=[job.pk]))
    assert response is not None and response.status == 404
    screenshot(staff_page, "reports-flow-4-staff-404")
