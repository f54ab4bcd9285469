"""A report job's life: requested, queued, built once, failed with a reason, retried."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import OperationalError
from django.urls import reverse

from apps.attendance.reports import MonthlyAttendanceReport
from apps.reports.models import ReportJob
from apps.reports.registry import report_type
from apps.reports.services import report_job_build, report_job_request, report_job_retry
from apps.reports.tasks import build_report

from .helpers import ATTENDANCE_SEPTEMBER, download, request_attendance, stored_files, xlsx_rows

pytestmark = pytest.mark.django_db

Status = ReportJob.Status
UNEXPECTED_ZH = "报表生成时发生意外错误，未能完成。"
TIMEOUT_ZH = "报表生成超时。请缩小范围后重试。"


def failing_rows(exc):
    def rows(self, params, progress):
        yield "summary", ["x"]  # fails part-way, after writing has begun
        raise exc

    return rows


def test_r_job_02_request_saves_a_queued_job_and_hands_it_over_only_after_commit(
    manager, client_for, django_capture_on_commit_callbacks
):
    client = client_for(manager)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reports:type", args=["attendance_monthly"]), {**ATTENDANCE_SEPTEMBER, "format": "xlsx"}
        )

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    # Nothing was built inside the request: the job waits, queued, for the commit.
    assert (job.status, job.progress, job.attempts, job.enqueued_at, job.started_at) == (
        Status.QUEUED,
        0,
        0,
        None,
        None,
    )
    assert (job.report_type, job.params, job.format, job.requested_by) == (
        "attendance_monthly",
        {"department": "MKT", "month": "2026-09"},
        "xlsx",
        manager,
    )
    assert job.title == "月度考勤 · 市场部2026年9月"
    assert len(callbacks) == 1
    assert stored_files() == []

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the commit: the (eager) worker builds it

    job.refresh_from_db()
    name = f"{job.pk}.xlsx"
    assert job.status == Status.DONE
    assert job.progress == 100
    assert job.file.name == name
    assert stored_files() == [name]
    assert job.file_size == storages["reports"].size(name) > 0
    assert job.enqueued_at is not None
    assert job.started_at is not None and job.finished_at is not None
    assert job.enqueued_at <= job.started_at <= job.finished_at
    assert job.attempts == 1
    assert job.task_id
    assert (job.error_code, job.error_detail) == ("", "")


@pytest.mark.parametrize(("file_format", "magic"), [("xlsx", b"PK"), ("csv", b"\xef\xbb\xbf"), ("pdf", b"%PDF")])
def test_each_format_is_stored_under_the_job_id(
    manager, client_for, django_capture_on_commit_callbacks, file_format, magic
):
    response, job = request_attendance(client_for(manager), django_capture_on_commit_callbacks, file_format)

    job.refresh_from_db()
    assert job.status == Status.DONE
    assert stored_files() == [f"{job.pk}.{file_format}"]
    assert storages["reports"].open(job.file.name).read().startswith(magic)


def test_building_twice_is_skipped_and_leaves_one_file(manager, client_for, django_capture_on_commit_callbacks):
    _response, job = request_attendance(client_for(manager), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    files = stored_files()
    content = storages["reports"].open(job.file.name).read()

    assert report_job_build(job_id=job.pk) == "skipped"
    assert build_report.apply(args=[str(job.pk)]).get() == "skipped"  # a redelivered message

    again = ReportJob.objects.get(pk=job.pk)
    assert stored_files() == files
    assert storages["reports"].open(job.file.name).read() == content
    assert (again.status, again.attempts, again.finished_at, again.file.name) == (
        Status.DONE,
        1,
        job.finished_at,
        job.file.name,
    )


def test_a_half_written_file_of_an_earlier_attempt_is_replaced(manager, django_capture_on_commit_callbacks):
    report = report_type("attendance_monthly")
    with django_capture_on_commit_callbacks(execute=False):
        job = report_job_request(user=manager, report=report, params=ATTENDANCE_SEPTEMBER, file_format="xlsx")
    storages["reports"].save(f"{job.pk}.xlsx", ContentFile(b"half a file"))  # a worker died while writing

    assert report_job_build(job_id=job.pk) == "done"

    job.refresh_from_db()
    assert stored_files() == [f"{job.pk}.xlsx"]
    assert job.file.name == f"{job.pk}.xlsx"
    assert storages["reports"].open(job.file.name).read().startswith(b"PK")


def test_a_job_another_worker_is_running_is_skipped(manager, django_capture_on_commit_callbacks):
    report = report_type("attendance_monthly")
    with django_capture_on_commit_callbacks(execute=False):
        job = report_job_request(user=manager, report=report, params=ATTENDANCE_SEPTEMBER, file_format="xlsx")
    ReportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, task_id="worker-a", attempts=1)

    assert report_job_build(job_id=job.pk, task_id="worker-b") == "skipped"

    job.refresh_from_db()
    assert (job.status, job.attempts, job.task_id) == (Status.RUNNING, 1, "worker-a")
    assert stored_files() == []


def test_failed_build_shows_the_reason_and_retry_builds_it(
    manager, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(manager)
    with monkeypatch.context() as patch:
        patch.setattr(MonthlyAttendanceReport, "rows", failing_rows(RuntimeError("boom")))
        response, job = request_attendance(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error_code == ReportJob.Error.UNEXPECTED
    assert job.error_detail == "RuntimeError: boom"
    assert job.finished_at is not None
    assert stored_files() == []

    page = client.get(reverse("reports:job", args=[job.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert UNEXPECTED_ZH in body
    assert "boom" not in body  # the technical detail is for the admin only
    assert reverse("reports:retry", args=[job.pk]) in body
    assert reverse("reports:download", args=[job.pk]) not in body
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("reports:retry", args=[job.pk]))

    assert retried.status_code == 302
    assert retried["Location"] == reverse("reports:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert (job.error_code, job.error_detail, job.progress, job.attempts) == ("", "", 100, 2)
    assert stored_files() == [f"{job.pk}.xlsx"]
    assert xlsx_rows(download(client, job))["按人员"][0][:2] == ("工号", "姓名")


def test_failure_reason_is_shown_in_the_users_language(
    manager, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    manager.language = "en"
    manager.save(update_fields=["language"])
    client = client_for(manager)
    monkeypatch.setattr(MonthlyAttendanceReport, "rows", failing_rows(RuntimeError("boom")))
    _response, job = request_attendance(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()

    body = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "The report could not be built because of an unexpected error." in body
    status = client.get(reverse("reports:job_status", args=[job.pk]))
    assert "The report could not be built because of an unexpected error." in status.content.decode()
    assert "hx-trigger" not in status.content.decode()  # a finished job stops the polling


def test_soft_time_limit_fails_the_job_as_a_timeout(
    manager, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(manager)
    monkeypatch.setattr(MonthlyAttendanceReport, "rows", failing_rows(SoftTimeLimitExceeded()))

    _response, job = request_attendance(client, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert (job.status, job.error_code) == (Status.FAILED, ReportJob.Error.TIMEOUT)
    assert job.finished_at is not None
    assert stored_files() == []
    assert TIMEOUT_ZH in client.get(reverse("reports:job", args=[job.pk])).content.decode()


def test_transient_database_error_requeues_the_job_and_propagates(
    manager, django_capture_on_commit_callbacks, monkeypatch
):
    report = report_type("attendance_monthly")
    with django_capture_on_commit_callbacks(execute=False):
        job = report_job_request(user=manager, report=report, params=ATTENDANCE_SEPTEMBER, file_format="xlsx")

    with monkeypatch.context() as patch:
        patch.setattr(MonthlyAttendanceReport, "rows", failing_rows(OperationalError("server closed the connection")))
        with pytest.raises(OperationalError):
            report_job_build(job_id=job.pk, task_id="t1")  # the task's autoretry takes it from here

    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert job.attempts == 1
    assert stored_files() == []

    assert report_job_build(job_id=job.pk, task_id="t1") == "done"  # the retry
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error_code) == (Status.DONE, 2, "")


def test_task_retries_on_transient_errors_only():
    assert OperationalError in build_report.autoretry_for
    assert build_report.max_retries == 5


def test_retry_of_a_done_job_changes_nothing(manager, client_for, django_capture_on_commit_callbacks):
    client = client_for(manager)
    _response, job = request_attendance(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    files = stored_files()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reports:retry", args=[job.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert callbacks == []
    after = ReportJob.objects.get(pk=job.pk)
    assert (after.status, after.attempts, after.file.name, after.finished_at) == (
        Status.DONE,
        1,
        job.file.name,
        job.finished_at,
    )
    assert stored_files() == files
    with pytest.raises(ValidationError) as exc_info:
        report_job_retry(user=manager, job=job)
    assert exc_info.value.code == "not_failed"


def test_retry_of_a_queued_job_does_not_queue_it_twice(manager, client_for, django_capture_on_commit_callbacks):
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=False):
        job = report_job_request(
            user=manager, report=report_type("attendance_monthly"), params=ATTENDANCE_SEPTEMBER, file_format="csv"
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reports:retry", args=[job.pk]))

    assert response.status_code == 302
    assert callbacks == []
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.QUEUED, 0)


def test_retry_is_post_only(manager, client_for, django_capture_on_commit_callbacks, monkeypatch):
    client = client_for(manager)
    monkeypatch.setattr(MonthlyAttendanceReport, "rows", failing_rows(RuntimeError("boom")))
    _response, job = request_attendance(client, django_capture_on_commit_callbacks)

    assert client.get(reverse("reports:retry", args=[job.pk])).status_code == 405
    assert ReportJob.objects.get(pk=job.pk).status == Status.FAILED


def test_a_job_of_a_report_type_that_is_gone_fails_with_its_reason(manager, client_for):
    job = ReportJob.objects.create(report_type="no_such_report", title="旧报表", requested_by=manager)

    assert report_job_build(job_id=job.pk) == "failed"

    job.refresh_from_db()
    assert (job.status, job.error_code) == (Status.FAILED, ReportJob.Error.UNKNOWN_TYPE)
    page = client_for(manager).get(reverse("reports:job", args=[job.pk]))
    assert page.status_code == 200
    assert "该报表类型已不再提供。" in page.content.decode()


def test_job_title_is_in_the_requesters_language(manager, django_capture_on_commit_callbacks):
    manager.language = "en"
    manager.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=False):
        job = report_job_request(
            user=manager, report=report_type("attendance_monthly"), params=ATTENDANCE_SEPTEMBER, file_format="xlsx"
        )

    assert job.language == "en"
    assert job.title == "Monthly attendance · Marketing Department, September 2026"


def test_build_task_retries_transient_errors_with_backoff_and_has_time_limits():
    from django.db import InterfaceError, OperationalError

    from apps.reports.tasks import build_report

    assert {OperationalError, InterfaceError} <= set(build_report.autoretry_for)
    assert build_report.retry_backoff and build_report.max_retries >= 3
    assert 0 < build_report.soft_time_limit < build_report.time_limit
    assert build_report.acks_late
