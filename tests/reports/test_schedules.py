"""The monthly attendance report sent to department heads, and the removal of old report files."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.attendance.scheduled import is_first_working_day_of_month, monthly_reports_create
from apps.notifications.models import Notification
from apps.reports.models import ReportJob
from apps.reports.services import report_files_cleanup, report_job_build, report_job_deliver
from mktdept.celery import app
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import at

from .helpers import ATTENDANCE_SEPTEMBER, download, stored_files, xlsx_rows

pytestmark = pytest.mark.django_db

Status = ReportJob.Status
date = datetime.date


@pytest.fixture
def heads(manager, administration, other_department):
    """MKT (head 王经理) and ADM (head 周行政) get a report; the others do not."""
    other_department.head = administration
    other_department.save()
    closed = DepartmentFactory(is_active=False)
    closed.head = UserFactory(department=closed)
    closed.save()
    left = DepartmentFactory()
    left.head = UserFactory(department=left, is_active=False)
    left.save()
    DepartmentFactory()  # no head
    return manager, administration


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 8), True),  # the first working day after the National Day holiday
        (date(2026, 10, 9), False),
        (date(2026, 11, 1), False),  # Sunday
        (date(2026, 11, 2), True),  # Monday
        (date(2026, 9, 1), True),
    ],
)
def test_first_working_day_of_the_month(db, day, first):
    assert is_first_working_day_of_month(day) is first


@pytest.mark.parametrize("day", [date(2026, 10, 1), date(2026, 10, 7), date(2026, 10, 9), date(2026, 10, 10)])
def test_no_report_on_other_days(heads, day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports_create(now=at(day.year, day.month, day.day, 8, 0)) == []
    assert not ReportJob.objects.exists()


def test_first_working_day_creates_last_months_report_for_each_head_once(heads, django_capture_on_commit_callbacks):
    manager, administration = heads

    with django_capture_on_commit_callbacks(execute=True):
        jobs = monthly_reports_create(now=at(2026, 10, 8, 8, 0))

    assert len(jobs) == 2
    by_department = {job.params["department"]: ReportJob.objects.get(pk=job.pk) for job in jobs}
    assert set(by_department) == {"MKT", "ADM"}
    for code, head in (("MKT", manager), ("ADM", administration)):
        job = by_department[code]
        assert job.report_type == "attendance_monthly"
        assert job.params == {"department": code, "month": "2026-09"}
        assert (job.deliver_to, job.requested_by, job.format) == (head, head, "xlsx")
        assert job.schedule_key == f"attendance_monthly:{code}:2026-09"
        assert job.status == Status.DONE
        assert job.delivered_at is not None
    assert ReportJob.objects.count() == 2

    # The beat runs daily; a second run the same day (or a retry) creates nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports_create(now=at(2026, 10, 8, 9, 0)) == []
    assert ReportJob.objects.count() == 2
    assert Notification.objects.filter(dedupe_key__startswith="report-ready:").count() == 2


def test_the_head_is_told_with_a_link_to_the_job(heads, client_for, django_capture_on_commit_callbacks):
    manager, _administration = heads

    with django_capture_on_commit_callbacks(execute=True):
        monthly_reports_create(now=at(2026, 10, 8, 8, 0))

    job = ReportJob.objects.get(params__department="MKT")
    notification = Notification.objects.get(recipient=manager)
    assert notification.url == reverse("reports:job", args=[job.pk])
    assert notification.title == "您的报表已生成：月度考勤 · 市场部2026年9月"
    assert f"{settings.REPORT_RETENTION_DAYS}" in notification.body
    assert notification.dedupe_key == f"report-ready:{job.pk}"
    assert [m.to for m in mail.outbox if reverse("reports:job", args=[job.pk]) in m.body] == [[manager.email]]
    # The link works for the head and the file is last month's.
    client = client_for(manager)
    assert client.get(notification.url).status_code == 200
    sheets = xlsx_rows(download(client, job))
    assert [row[1] for row in sheets["按人员"]] == ["姓名", "王经理", "合计"]  # the head is MKT's only member here
    assert sheets["按人员"][-1][3] == 22  # September's working days


def test_november_report_on_monday_the_second(heads, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports_create(now=at(2026, 11, 1, 8, 0)) == []
        jobs = monthly_reports_create(now=at(2026, 11, 2, 8, 0))

    assert sorted(job.params["month"] for job in jobs) == ["2026-10", "2026-10"]


def test_a_report_is_delivered_once(manager, staff):
    job = ReportJob.objects.create(
        report_type="attendance_monthly", params=ATTENDANCE_SEPTEMBER, title="t", requested_by=staff, deliver_to=manager
    )
    report_job_build(job_id=job.pk)

    report_job_deliver(job=job)
    report_job_deliver(job=job)

    assert Notification.objects.filter(recipient=manager).count() == 1


def done_job(user, finished_at):
    job = ReportJob.objects.create(
        report_type="attendance_monthly", params=ATTENDANCE_SEPTEMBER, title="t", requested_by=user
    )
    assert report_job_build(job_id=job.pk) == "done"
    ReportJob.objects.filter(pk=job.pk).update(finished_at=finished_at)
    job.refresh_from_db()
    return job


def test_cleanup_removes_old_files_and_keeps_the_records(manager, client_for):
    now = timezone.now()
    retention = datetime.timedelta(days=settings.REPORT_RETENTION_DAYS)
    old = done_job(manager, now - retention - datetime.timedelta(hours=1))
    recent = done_job(manager, now - retention + datetime.timedelta(hours=1))
    old_failed = ReportJob.objects.create(
        report_type="attendance_monthly", title="f", requested_by=manager, status=Status.FAILED
    )
    ReportJob.objects.filter(pk=old_failed.pk).update(finished_at=now - retention * 2)
    assert stored_files() == sorted([f"{old.pk}.xlsx", f"{recent.pk}.xlsx"])

    assert report_files_cleanup(now=now) == 1

    assert stored_files() == [f"{recent.pk}.xlsx"]
    assert not storages["reports"].exists(f"{old.pk}.xlsx")
    old.refresh_from_db()
    assert (old.status, old.file.name, old.expired_at) == (Status.EXPIRED, "", now)
    assert old.title == "t" and old.file_size > 0  # the record stays
    recent.refresh_from_db()
    assert (recent.status, recent.file.name) == (Status.DONE, f"{recent.pk}.xlsx")
    assert ReportJob.objects.get(pk=old_failed.pk).status == Status.FAILED

    client = client_for(manager)
    assert client.get(reverse("reports:download", args=[old.pk])).status_code == 404
    page = client.get(reverse("reports:job", args=[old.pk]))
    assert page.status_code == 200
    assert reverse("reports:download", args=[old.pk]) not in page.content.decode()
    assert download(client, recent).startswith(b"PK")

    assert report_files_cleanup(now=now) == 0  # nothing left to do


def test_cleanup_copes_with_a_file_already_gone(manager):
    now = timezone.now()
    old = done_job(manager, now - datetime.timedelta(days=settings.REPORT_RETENTION_DAYS + 1))
    storages["reports"].delete(old.file.name)

    assert report_files_cleanup(now=now) == 1
    assert ReportJob.objects.get(pk=old.pk).status == Status.EXPIRED


@pytest.mark.parametrize(
    ("task", "minute", "hour"),
    [
        ("apps.attendance.tasks.send_monthly_attendance_reports", "0", "8"),
        ("apps.reports.tasks.sweep_report_jobs", "*/2", "*"),
        ("apps.reports.tasks.cleanup_report_files", "30", "3"),
    ],
)
def test_periodic_tasks_are_scheduled(db, task, minute, hour):
    periodic = PeriodicTask.objects.get(task=task)

    assert periodic.enabled
    assert (periodic.crontab.minute, periodic.crontab.hour) == (minute, hour)
    assert str(periodic.crontab.timezone) == "Asia/Shanghai"
    app.loader.import_default_modules()
    assert task in app.tasks
