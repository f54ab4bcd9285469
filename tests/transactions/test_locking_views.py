"""Every service that takes row locks, run once through its page outside a test transaction.

pytest-django normally wraps each test in a transaction, so a ``select_for_update`` in a service
that forgot ``@transaction.atomic`` passes the suite and fails in production with
``TransactionManagementError`` (a 500). These tests run with ``transaction=True``: the request runs
in autocommit exactly as it does behind the real server, so such a service fails here.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.conduct.models import Acknowledgement, RuleVersion
from apps.core.roles import RoleName
from apps.leave.models import (
    ActingApprover,
    CompTimeEntry,
    CompTimeGrantRequest,
    ImportantPeriod,
    LeaveRequest,
    LeaveType,
)
from apps.notifications.models import Notification
from apps.org.models import AssignedTask
from apps.reports.models import ReportJob
from apps.workcalendar.models import CalendarYear, StatutoryDay
from tests.factories import DepartmentFactory, UserFactory
from tests.reports.helpers import ATTENDANCE_SEPTEMBER, clear_storage
from tests.workcalendar.importdata import ICS, YEAR

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Tuesday 3 November 2026, a working day; Wednesday the 4th and Thursday the 5th are working days too.
NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
TODAY = datetime.date(2026, 11, 3)
THURSDAY = datetime.date(2026, 11, 5)
SATURDAY_BEFORE = datetime.date(2026, 10, 31)

Status = LeaveRequest.Status


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _messages(response) -> set[str]:
    """Return the levels of the messages shown (a redirect's own message and any left from before)."""
    return {m.level_tag for m in response.context["messages"]}


def _submit(client, colleague, day=THURSDAY) -> LeaveRequest:
    response = client.post(
        reverse("leave:create"),
        {
            "leave_type": LeaveType.objects.get(code="personal").pk,
            "start_date": day.isoformat(),
            "start_half": "am",
            "end_date": day.isoformat(),
            "end_half": "pm",
            "reason": "家中有事",
            "handover_to": colleague.pk,
            "handover_notes": "跟进医院试剂补货",
        },
        follow=True,
    )
    leave = LeaveRequest.objects.latest("pk")
    assert response.redirect_chain == [(reverse("leave:detail", args=[leave.pk]), 302)]
    return leave


def test_leave_submit_decide_withdraw_cancel_through_the_pages(client_for, staff, other_staff, manager):
    staff_client, manager_client = client_for(staff), client_for(manager)

    leave = _submit(staff_client, other_staff)
    opened = manager_client.post(reverse("notifications:open", args=[Notification.objects.get(recipient=manager).pk]))
    approved = manager_client.post(reverse("leave:approve", args=[leave.pk]), {"comment": "同意"}, follow=True)
    cancelled = staff_client.post(reverse("leave:cancel", args=[leave.pk]), follow=True)
    leave.refresh_from_db()
    assert opened["Location"] == reverse("leave:detail", args=[leave.pk])
    assert (leave.status, _messages(approved), _messages(cancelled)) == (Status.CANCELLED, {"success"}, {"success"})

    rejected = _submit(staff_client, other_staff)
    response = manager_client.post(reverse("leave:reject", args=[rejected.pk]), {"comment": "人手不足"}, follow=True)
    rejected.refresh_from_db()
    assert (rejected.status, _messages(response)) == (Status.REJECTED, {"success"})

    withdrawn = _submit(staff_client, other_staff)
    response = staff_client.post(reverse("leave:withdraw", args=[withdrawn.pk]), follow=True)
    withdrawn.refresh_from_db()
    assert (withdrawn.status, _messages(response)) == (Status.WITHDRAWN, {"success"})


def test_comp_time_request_important_period_and_acting_approver_through_the_pages(
    client_for, staff, manager, assistant
):
    submitted = client_for(staff).post(
        reverse("leave:comp_time"),
        {"req-work_date": SATURDAY_BEFORE.isoformat(), "req-days": "1", "req-reason": "周六展会布展"},
    )
    grant = CompTimeGrantRequest.objects.get()
    assert submitted.status_code == 302

    decided = client_for(manager).post(reverse("leave:comp_decide", args=[grant.pk]), {"decision": "approve"})

    grant.refresh_from_db()
    assert decided.status_code == 302
    assert grant.status == CompTimeGrantRequest.Status.APPROVED
    assert CompTimeEntry.objects.get(user=staff).days == 1

    client = client_for(manager)
    declared = client.post(
        reverse("leave:periods"),
        {"name": "年终客户答谢会", "start_date": "2026-12-01", "end_date": "2026-12-05", "whole_company": "on"},
    )
    named = client.post(
        reverse("leave:acting"),
        {"user": assistant.pk, "start_date": "2026-11-09", "end_date": "2026-11-13"},
    )

    assert (declared.status_code, named.status_code) == (302, 302)
    assert ImportantPeriod.objects.get().name == "年终客户答谢会"
    assert ActingApprover.objects.get().user == assistant


def test_comp_time_granted_directly_by_the_head(client_for, staff, manager):
    """The head's direct grant locks the person's row: it must run in a transaction of its own."""
    response = client_for(manager).post(
        reverse("leave:comp_time"),
        {"direct-user": staff.pk, "direct-days": "1.5", "direct-reason": "国庆值班"},
    )

    assert response.status_code == 302
    entry = CompTimeEntry.objects.get(user=staff)
    assert (entry.kind, entry.days, entry.created_by) == (CompTimeEntry.Kind.GRANT, 1.5, manager)


def test_check_in_and_field_work_notice_through_the_pages(client_for, staff, other_department_clerk):
    client = client_for(staff)

    checked_in = client.post(reverse("attendance:checkin"))
    client.get(reverse("attendance:today"))  # shows (and so clears) the check-in message
    filed = client.post(
        reverse("attendance:notice_create"),
        {"start_date": "2026-11-04", "end_date": "2026-11-04", "destination": "省人民医院", "purpose": "培训"},
    )
    notice = FieldWorkNotice.objects.get()
    received = client_for(other_department_clerk).post(
        reverse("attendance:notice_receive", args=[notice.pk]), {"date": "2026-11-04"}
    )
    notice.refresh_from_db()
    withdrawn = client.post(reverse("attendance:notice_withdraw", args=[notice.pk]), follow=True)

    assert checked_in.status_code == 302
    assert CheckIn.objects.filter(user=staff, date=TODAY).exists()
    assert (filed.status_code, received.status_code) == (302, 302)
    assert notice.received_by == other_department_clerk
    notice.refresh_from_db()
    assert (notice.status, _messages(withdrawn)) == (FieldWorkNotice.Status.WITHDRAWN, {"success"})


@pytest.fixture
def other_department_clerk(db):
    department = DepartmentFactory(code="ADM", name="行政部", name_en="Administration")
    return UserFactory(username="adm1", full_name="周行政", department=department, roles=[RoleName.ADMINISTRATION])


def test_task_and_rules_through_the_pages(client_for, manager, staff):
    manager_client, staff_client = client_for(manager), client_for(staff)

    assigned = manager_client.post(
        reverse("org:task_create"), {"owner": staff.pk, "title": "回访医院", "due_date": "2026-11-10"}
    )
    task = AssignedTask.objects.get()
    done = staff_client.post(reverse("org:task_status", args=[task.pk]), {"to_status": "done"})
    published = manager_client.post(reverse("conduct:publish"), {"title": "部门守则", "body": "准时打卡。"})
    version = RuleVersion.objects.order_by("-number").first()
    acknowledged = staff_client.post(reverse("conduct:acknowledge"), {"version": str(version.number)})

    task.refresh_from_db()
    assert [r.status_code for r in (assigned, done, published, acknowledged)] == [302] * 4
    assert task.status == AssignedTask.Status.DONE
    assert version.title == "部门守则"
    assert Acknowledgement.objects.filter(user=staff, version=version).exists()


@pytest.fixture
def report_storage():
    clear_storage()
    yield
    clear_storage()


def test_report_request_build_and_retry_through_the_pages(client_for, manager, report_storage):
    client = client_for(manager)

    requested = client.post(
        reverse("reports:type", args=["attendance_monthly"]), {**ATTENDANCE_SEPTEMBER, "format": "csv"}
    )
    job = ReportJob.objects.get()
    job.refresh_from_db()
    assert requested.status_code == 302
    assert job.status == ReportJob.Status.DONE  # built by the eager task after commit, under its lock

    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error_code=ReportJob.Error.UNEXPECTED)
    retried = client.post(reverse("reports:retry", args=[job.pk]))

    job.refresh_from_db()
    assert retried.status_code == 302
    assert (job.status, job.attempts) == (ReportJob.Status.DONE, 2)


def test_holiday_calendar_import_and_package_reload_through_the_admin(client_for):
    """The admin's import (upload, preview, confirm) and the reload action lock the year's row."""
    client = client_for(UserFactory(username="root", is_superuser=True, is_staff=True, language="en"))

    preview = client.post(
        reverse("admin:workcalendar_calendaryear_import"),
        {"year": YEAR, "file": SimpleUploadedFile("2031.ics", ICS.encode())},
    )
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    saved = client.post(reverse("admin:workcalendar_calendaryear_import_confirm"), {"token": token})
    reloaded = client.post(
        reverse("admin:workcalendar_calendaryear_changelist"),
        {"action": "reload", "_selected_action": [CalendarYear.objects.get(year=2026).pk]},
        follow=True,
    )

    assert saved["Location"] == reverse("admin:workcalendar_calendaryear_import_done")
    assert StatutoryDay.objects.filter(date__year=YEAR).count() == 7
    assert CalendarYear.objects.get(year=YEAR).source == "2031.ics"
    assert "error" not in _messages(reloaded)
    assert any(str(m.message).startswith("2026: ") for m in reloaded.context["messages"])
