"""R-ATT-10: the monthly attendance report built by the report center, checked cell by cell.

September 2026 is long past (the suite's clock is after it), so every working day without a
check-in, a field-work notice or approved leave is unexcused.
"""

import datetime

import pytest

from apps.reports.models import ReportJob

from .helpers import csv_sections, download, pdf_reader, pdf_text, request_report, xlsx_book, xlsx_rows

pytestmark = pytest.mark.django_db

HEADER = ("工号", "姓名", "部门", "工作日", "出勤", "迟到", "外出", "补休", "事假", "病假", "年假", "旷工")
# employee number, name, department, working days, present, late, field work, comp, personal, sick, annual, unexcused
SUMMARY = {
    "王经理": ("M001", "王经理", "市场部", 22, 22, 1, 0, 0, 0, 0, 0, 0),
    # covered: 1, 2, 3, 4 (field work), 7, 14, 15 (sick), 20, 21 → 13 of 22 unexcused
    "陈员工": ("S001", "陈员工", "市场部", 22, 5, 1, 2, 0, 0.5, 2, 0, 13),
    # covered: 1 and the morning of the 29th → 20 unexcused
    "李员工": ("S002", "李员工", "市场部", 22, 1, 1, 0, 0, 0, 0, 0.5, 20),
}
TOTAL = (None, "合计", "市场部", 66, 28, 3, 2, 0, 0.5, 2, 0.5, 33)
DAYS_HEADER = ("工号", "姓名", "日期", "星期", "工作日", "节假日", "签到时间", "迟到", "外出", "请假", "旷工")


def d(day):
    return datetime.datetime(2026, 9, day)  # noqa: DTZ001 - how openpyxl reads a date cell


t = datetime.time
# (employee number, date) → the whole "Every day" row
DAYS = {
    ("S001", 1): ("S001", "陈员工", d(1), "星期二", "是", None, t(8, 58), None, None, None, None),
    ("S001", 2): ("S001", "陈员工", d(2), "星期三", "是", None, t(9, 20), "是", None, None, None),
    ("S001", 3): ("S001", "陈员工", d(3), "星期四", "是", None, None, None, "市疾控中心", None, None),
    ("S001", 7): ("S001", "陈员工", d(7), "星期一", "是", None, t(8, 50), None, None, "事假（下午）", None),
    ("S001", 8): ("S001", "陈员工", d(8), "星期二", "是", None, None, None, None, None, "是"),
    # a rejected request excuses nothing
    ("S001", 10): ("S001", "陈员工", d(10), "星期四", "是", None, None, None, None, None, "是"),
    ("S001", 14): ("S001", "陈员工", d(14), "星期一", "是", None, None, None, None, "病假", None),
    ("S001", 19): ("S001", "陈员工", d(19), "星期六", "否", None, t(10, 0), None, None, None, None),
    ("S001", 20): ("S001", "陈员工", d(20), "星期日", "是", None, t(9, 0), None, None, None, None),
    ("S001", 21): ("S001", "陈员工", d(21), "星期一", "是", None, t(9, 5), None, None, None, None),
    ("S002", 1): ("S002", "李员工", d(1), "星期二", "是", None, t(9, 10), "是", None, None, None),
    ("S002", 29): ("S002", "李员工", d(29), "星期二", "是", None, None, None, None, "年假（上午）", None),
    ("S002", 30): ("S002", "李员工", d(30), "星期三", "是", None, None, None, None, None, "是"),
    ("M001", 30): ("M001", "王经理", d(30), "星期三", "是", None, t(9, 30), "是", None, None, None),
}


def build(client, capture, file_format):
    response, job = request_report(
        client, capture, "attendance_monthly", department="MKT", month="2026-09", format=file_format
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_detail
    return download(client, job)


def test_r_att_10_xlsx_summary_every_cell(september, client_for, django_capture_on_commit_callbacks):
    manager = september[0]
    content = build(client_for(manager), django_capture_on_commit_callbacks, "xlsx")

    sheets = xlsx_rows(content)
    assert list(sheets) == ["按人员", "每日明细"]
    summary = sheets["按人员"]
    assert summary[0] == HEADER
    assert len(summary) == 1 + 3 + 1
    assert {row[1]: row for row in summary[1:4]} == SUMMARY
    assert summary[-1] == TOTAL  # the total row comes last


def test_r_att_10_xlsx_every_day_rows(september, client_for, django_capture_on_commit_callbacks):
    manager = september[0]
    content = build(client_for(manager), django_capture_on_commit_callbacks, "xlsx")

    days = xlsx_rows(content)["每日明细"]
    assert days[0] == DAYS_HEADER
    assert len(days) == 1 + 3 * 30  # every calendar day of each person
    by_key = {(row[0], row[2].day): row for row in days[1:]}
    assert len(by_key) == 90
    for key, expected in DAYS.items():
        assert by_key[key] == expected, key
    holiday = by_key[("S001", 25)]
    assert holiday[:5] == ("S001", "陈员工", d(25), "星期五", "否")
    assert holiday[5]  # named
    assert holiday[6:] == (None, None, None, None, None)  # a holiday is never unexcused
    unexcused = [row[2].day for row in days[1:] if row[0] == "S001" and row[10] == "是"]
    assert unexcused == [8, 9, 10, 11, 16, 17, 18, 22, 23, 24, 28, 29, 30]


def test_r_att_10_xlsx_cells_have_real_types(september, client_for, django_capture_on_commit_callbacks):
    """Figures are numbers and dates are dates, not text (so Excel can add them up)."""
    manager = september[0]
    book = xlsx_book(build(client_for(manager), django_capture_on_commit_callbacks, "xlsx"))

    summary = book["按人员"]
    assert [c.data_type for c in summary[2][3:]] == ["n"] * 9
    days = book["每日明细"]
    assert days["C2"].is_date
    assert summary.freeze_panes == "A2"


def test_r_att_10_holiday_is_named_in_the_reports_language(september, client_for, django_capture_on_commit_callbacks):
    manager = september[0]
    days = xlsx_rows(build(client_for(manager), django_capture_on_commit_callbacks, "xlsx"))["每日明细"]

    row = next(r for r in days[1:] if r[0] == "S001" and r[2] == d(25))
    assert row[5] == "中秋节"


def test_r_att_10_csv_has_bom_and_the_same_figures(september, client_for, django_capture_on_commit_callbacks):
    manager = september[0]
    content = build(client_for(manager), django_capture_on_commit_callbacks, "csv")

    assert content.startswith(b"\xef\xbb\xbf")
    summary, days = csv_sections(content)
    assert summary[0] == ["按人员"]
    assert summary[1] == list(HEADER)

    def text(row):
        return ["" if v is None else str(v) for v in row]

    assert {row[1]: row for row in summary[2:5]} == {name: text(row) for name, row in SUMMARY.items()}
    assert summary[5] == text(TOTAL)
    assert len(summary) == 6

    assert days[0] == ["每日明细"]
    assert days[1] == list(DAYS_HEADER)
    assert len(days) == 2 + 90
    by_key = {(row[0], row[2]): row for row in days[2:]}
    assert ",".join(by_key[("S001", "2026-09-02")]) == "S001,陈员工,2026-09-02,星期三,是,,09:20,是,,,"
    assert ",".join(by_key[("S001", "2026-09-07")]) == "S001,陈员工,2026-09-07,星期一,是,,08:50,,,事假（下午）,"
    assert by_key[("S001", "2026-09-03")][8] == "市疾控中心"
    assert by_key[("S002", "2026-09-30")][10] == "是"


def test_r_att_10_pdf_has_the_names_figures_and_an_embedded_cjk_font(
    september, client_for, django_capture_on_commit_callbacks
):
    manager = september[0]
    content = build(client_for(manager), django_capture_on_commit_callbacks, "pdf")

    assert content.startswith(b"%PDF")
    lines = [line.strip() for line in pdf_text(content).splitlines()]
    assert lines[0] == "月度考勤 · 市场部2026年9月"
    assert "按人员" in lines
    assert "每日明细" not in lines  # only the printable sheet
    for name, row in [*SUMMARY.items(), ("合计", TOTAL)]:
        start = lines.index(name)
        expected = [str(v) for v in row[2:]]
        assert lines[start + 1 : start + 1 + len(expected)] == expected, name
    assert lines.index("S001") == lines.index("陈员工") - 1

    embedded = []
    for page in pdf_reader(content).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.append(str(font["/BaseFont"]))
    # The shipped WenQuanYi Micro Hei, embedded as a subset ("ABCDEF+Name").
    assert embedded
    assert all("+WenQuanYiMicroHei" in name for name in embedded), embedded


def test_r_att_10_english_report_uses_english_labels(september, client_for, django_capture_on_commit_callbacks):
    manager = september[0]
    manager.language = "en"
    manager.save(update_fields=["language"])

    sheets = xlsx_rows(build(client_for(manager), django_capture_on_commit_callbacks, "xlsx"))

    assert list(sheets) == ["Per person", "Every day"]
    assert sheets["Per person"][0][:4] == ("employee number", "full name", "department", "working days")
    assert sheets["Per person"][0][7:] == (
        "Comp leave",
        "Personal leave",
        "Sick leave",
        "Annual leave",
        "unexcused absence",
    )
    assert sheets["Per person"][-1] == (None, "Total", "Marketing Department", 66, 28, 3, 2, 0, 0.5, 2, 0.5, 33)
    row = next(r for r in sheets["Every day"] if r[0] == "S001" and r[2] == d(7))
    assert row[3:] == ("Monday", "yes", None, datetime.time(8, 50), None, None, "Personal leave (afternoon)", None)
