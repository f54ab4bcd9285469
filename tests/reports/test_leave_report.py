"""Leave statistics of a year: approved leave in working days, by type, by person and by month."""

import datetime

import pytest

from apps.leave.models import LeaveRequest
from apps.reports.models import ReportJob
from tests.leave.helpers import at, make_leave

from .helpers import csv_sections, download, pdf_text, request_report, xlsx_rows

pytestmark = pytest.mark.django_db

date = datetime.date


@pytest.fixture
def leave_year(manager, staff, other_staff, administration):
    for number, user in (("M001", manager), ("S001", staff), ("S002", other_staff), ("A001", administration)):
        user.employee_no = number
        user.save(update_fields=["employee_no"])
    # 王经理: across the new year (Jan 1–3 off, Sunday 4th a make-up day, Monday 5th) → 2 days in 2026
    make_leave(
        manager, handover_to=staff, approver=manager, code="annual", start=date(2025, 12, 30), end=date(2026, 1, 5)
    )
    comp = make_leave(manager, handover_to=staff, approver=manager, code="comp", start=date(2026, 3, 10))
    LeaveRequest.objects.filter(pk=comp.pk).update(decided_by=administration, decided_at=at(2026, 3, 2, 10, 30))
    # 李员工: across the end of June (29, 30 | 1, morning of 2) and a morning in September
    make_leave(
        other_staff,
        handover_to=staff,
        approver=manager,
        code="annual",
        start=date(2026, 6, 29),
        end=date(2026, 7, 2),
        end_half="am",
    )
    make_leave(other_staff, handover_to=staff, approver=manager, code="annual", start=date(2026, 9, 29), end_half="am")
    # 陈员工: an afternoon and two sick days in September; rejected, cancelled and pending requests do not count
    make_leave(staff, handover_to=other_staff, approver=manager, start=date(2026, 9, 7), start_half="pm")
    make_leave(
        staff, handover_to=other_staff, approver=manager, code="sick", start=date(2026, 9, 14), end=date(2026, 9, 15)
    )
    make_leave(
        staff,
        handover_to=other_staff,
        approver=manager,
        code="annual",
        start=date(2026, 8, 3),
        end=date(2026, 8, 7),
        status=LeaveRequest.Status.REJECTED,
    )
    make_leave(
        staff, handover_to=other_staff, approver=manager, start=date(2026, 10, 12), status=LeaveRequest.Status.CANCELLED
    )
    make_leave(
        staff, handover_to=other_staff, approver=manager, start=date(2026, 11, 2), status=LeaveRequest.Status.PENDING
    )
    # Another year and another department
    make_leave(staff, handover_to=other_staff, approver=manager, start=date(2025, 11, 3))
    make_leave(administration, handover_to=manager, approver=manager, start=date(2026, 5, 6))
    return manager


def build(user_client, capture, file_format="xlsx", department="MKT"):
    response, job = request_report(
        user_client, capture, "leave_statistics", year="2026", department=department, format=file_format
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_detail
    return job, download(user_client, job)


MONTHS_MKT = {
    1: (0, 0, 0, 2, 2),
    3: (1, 0, 0, 0, 1),
    6: (0, 0, 0, 2, 2),
    7: (0, 0, 0, 1.5, 1.5),
    9: (0, 0.5, 2, 0.5, 3),
}


def test_leave_statistics_xlsx_by_type_person_and_month(leave_year, client_for, django_capture_on_commit_callbacks):
    job, content = build(client_for(leave_year), django_capture_on_commit_callbacks)

    assert job.title == "请假统计 · 市场部2026年"
    sheets = xlsx_rows(content)
    assert list(sheets) == ["按类型", "按人员", "按月份", "请假明细"]
    assert sheets["按类型"] == [
        ("请假类型", "申请数", "工作日"),
        ("补休", 1, 1),
        ("事假", 1, 0.5),
        ("病假", 1, 2),
        ("年假", 3, 6),  # 2 (in 2026) + 3.5 + 0.5
        ("合计", 6, 9.5),
    ]
    assert sheets["按人员"] == [
        ("工号", "姓名", "部门", "补休", "事假", "病假", "年假", "合计"),
        ("S002", "李员工", "市场部", 0, 0, 0, 4, 4),
        ("M001", "王经理", "市场部", 1, 0, 0, 2, 3),
        ("S001", "陈员工", "市场部", 0, 0.5, 2, 0, 2.5),
    ]
    months = sheets["按月份"]
    assert months[0] == ("月份", "补休", "事假", "病假", "年假", "合计")
    assert months[1:] == [(f"2026-{m:02d}", *MONTHS_MKT.get(m, (0, 0, 0, 0, 0))) for m in range(1, 13)]


def test_leave_statistics_requests_sheet(leave_year, client_for, django_capture_on_commit_callbacks):
    _job, content = build(client_for(leave_year), django_capture_on_commit_callbacks)

    requests = xlsx_rows(content)["请假明细"]
    assert requests[0] == (
        "工号",
        "姓名",
        "部门",
        "请假类型",
        "开始日期",
        "结束日期",
        "本年内工作日数",
        "实际审批人",
        "审批时间",
    )
    dt = datetime.datetime
    assert requests[1:] == [
        ("M001", "王经理", "市场部", "年假", dt(2025, 12, 30), dt(2026, 1, 5), 2, None, None),
        ("M001", "王经理", "市场部", "补休", dt(2026, 3, 10), dt(2026, 3, 10), 1, "周行政", dt(2026, 3, 2, 10, 30)),
        ("S002", "李员工", "市场部", "年假", dt(2026, 6, 29), dt(2026, 7, 2), 3.5, None, None),
        ("S001", "陈员工", "市场部", "事假", dt(2026, 9, 7), dt(2026, 9, 7), 0.5, None, None),
        ("S001", "陈员工", "市场部", "病假", dt(2026, 9, 14), dt(2026, 9, 15), 2, None, None),
        ("S002", "李员工", "市场部", "年假", dt(2026, 9, 29), dt(2026, 9, 29), 0.5, None, None),
    ]


def test_leave_statistics_all_departments_csv(leave_year, client_for, django_capture_on_commit_callbacks):
    job, content = build(client_for(leave_year), django_capture_on_commit_callbacks, "csv", department="")

    assert job.title == "请假统计 · 全部部门2026年"
    assert content.startswith(b"\xef\xbb\xbf")
    types, people, months, requests = csv_sections(content)
    assert types == [
        ["按类型"],
        ["请假类型", "申请数", "工作日"],
        ["补休", "1", "1"],
        ["事假", "2", "1.5"],
        ["病假", "1", "2"],
        ["年假", "3", "6"],
        ["合计", "7", "10.5"],
    ]
    assert people[2:] == [
        ["A001", "周行政", "行政部", "0", "1", "0", "0", "1"],
        ["S002", "李员工", "市场部", "0", "0", "0", "4", "4"],
        ["M001", "王经理", "市场部", "1", "0", "0", "2", "3"],
        ["S001", "陈员工", "市场部", "0", "0.5", "2", "0", "2.5"],
    ]
    assert months[0] == ["按月份"]
    assert months[6] == ["2026-05", "0", "1", "0", "0", "1"]
    assert months[10] == ["2026-09", "0", "0.5", "2", "0.5", "3"]
    assert len(months) == 2 + 12
    assert len(requests) == 2 + 7


def test_leave_statistics_pdf_prints_the_three_summaries(leave_year, client_for, django_capture_on_commit_callbacks):
    _job, content = build(client_for(leave_year), django_capture_on_commit_callbacks, "pdf")

    text = pdf_text(content)
    lines = [line.strip() for line in text.splitlines()]
    for title in ("按类型", "按人员", "按月份"):
        assert title in lines
    assert "请假明细" not in lines  # not printable
    start = lines.index("年假", lines.index("按类型"))
    assert lines[start : start + 3] == ["年假", "3", "6"]
    start = lines.index("合计", start)
    assert lines[start : start + 3] == ["合计", "6", "9.5"]
    start = lines.index("陈员工")
    assert lines[start : start + 7] == ["陈员工", "市场部", "0", "0.5", "2", "0", "2.5"]
