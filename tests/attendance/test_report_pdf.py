"""The monthly attendance PDF: what the report promises is what it holds, and only people then employed (issue 7)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from apps.attendance.reports import MonthlyAttendanceReport
from apps.reports.writers import write_pdf
from tests.factories import UserFactory
from tests.reports.helpers import pdf_text

pytestmark = pytest.mark.django_db


def _pdf(tmp_path, params) -> str:
    report = MonthlyAttendanceReport()
    path = tmp_path / "report.pdf"
    write_pdf(path, report.sheets(params), report.rows(params, lambda _share: None), title="月度考勤", subtitle="测试")
    return pdf_text(path.read_bytes())


def test_pdf_holds_what_the_description_promises(tmp_path, marketing, time_machine):
    time_machine.move_to("2026-12-01T08:30:00+08:00", tick=False)
    UserFactory(department=marketing, full_name="在职员工")
    report = MonthlyAttendanceReport()
    printable = [sheet.key for sheet in report.sheets({}) if sheet.printable]

    with translation.override("zh-hans"):
        text = _pdf(tmp_path, {"department": "MKT", "month": "2026-11"})
    assert "按人员" in text and "在职员工" in text
    # The day-by-day sheet is in the Excel file only, and the description says so.
    assert printable == ["summary"]
    assert "每日明细" not in text
    with translation.override("en"):
        description = str(report.description)
    assert "with every day in detail" not in description
    assert "The Excel file adds every day in detail; the PDF holds the per-person table." in description


def test_november_pdf_leaves_out_people_who_joined_in_december(tmp_path, marketing, time_machine):
    time_machine.move_to("2026-12-01T08:30:00+08:00", tick=False)
    UserFactory(department=marketing, full_name="老员工")
    UserFactory(department=marketing, full_name="新同事", employment_start=date(2026, 12, 1))
    UserFactory(department=marketing, full_name="系统管理员", attendance_exempt=True)

    with translation.override("zh-hans"):
        text = _pdf(tmp_path, {"department": "MKT", "month": "2026-11"})

    assert "老员工" in text
    assert "新同事" not in text
    assert "系统管理员" not in text


def test_summary_page_does_not_promise_a_daily_pdf(client_for, manager, time_machine):
    time_machine.move_to("2026-12-01T08:30:00+08:00", tick=False)
    manager.language = "en"
    manager.save(update_fields=["language"])
    body = client_for(manager).get(reverse("attendance:summary"), {"month": "2026-11"}).content.decode()
    assert "Excel or PDF with every day" not in body
    assert "Excel with every day, or PDF" in body
