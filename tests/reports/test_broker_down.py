"""R-JOB-02: reports never block a request. With the broker down the job waits, queued, and the
sweeper sends it once the broker is back; jobs whose message or worker was lost are sent again."""

import datetime
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.reports.models import ReportJob
from apps.reports.registry import report_type
from apps.reports.services import report_job_request, report_jobs_sweep
from apps.reports.tasks import sweep_report_jobs
from tests.broker import broker_down

from .helpers import ATTENDANCE_SEPTEMBER, download, request_attendance, stored_files

pytestmark = pytest.mark.django_db

Status = ReportJob.Status
WAITING_ZH = "正在等待报表处理程序。您可以离开本页，生成的文件会列在报表中心。"


def queued_job(user, capture):
    with capture(execute=False):
        return report_job_request(
            user=user, report=report_type("attendance_monthly"), params=ATTENDANCE_SEPTEMBER, file_format="xlsx"
        )


def test_r_job_02_request_with_the_broker_down_redirects_and_the_job_waits(
    manager, client_for, django_capture_on_commit_callbacks, caplog
):
    client = client_for(manager)

    with broker_down():
        started = time.monotonic()
        response, job = request_attendance(client, django_capture_on_commit_callbacks)
        elapsed = time.monotonic() - started

        assert response.status_code == 302
        assert response["Location"] == reverse("reports:job", args=[job.pk])
        assert elapsed < 5, f"the request waited {elapsed:.1f}s for the broker"
        job.refresh_from_db()
        assert (job.status, job.enqueued_at, job.attempts, job.progress) == (Status.QUEUED, None, 0, 0)
        assert "stays queued" in caplog.text

        # The rest of the application does not notice.
        assert client.get(reverse("org:dashboard")).status_code == 200
        assert client.get(reverse("reports:index")).status_code == 200
        page = client.get(reverse("reports:job", args=[job.pk]))
        assert page.status_code == 200
        assert WAITING_ZH in page.content.decode()
        status = client.get(reverse("reports:job_status", args=[job.pk]))
        assert status.status_code == 200
        assert 'hx-trigger="every 2s"' in status.content.decode()  # still polling
        assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404

        # A sweep while the broker is still down changes nothing and does not hang.
        assert report_jobs_sweep() == 0
        job.refresh_from_db()
        assert (job.status, job.enqueued_at) == (Status.QUEUED, None)

    # The broker is back: the sweeper sends the job and the (eager) worker builds it.
    assert report_jobs_sweep() == 1

    job.refresh_from_db()
    assert job.status == Status.DONE
    assert job.attempts == 1
    assert job.enqueued_at is not None
    assert stored_files() == [f"{job.pk}.xlsx"]
    assert download(client, job).startswith(b"PK")


def test_r_job_02_retry_with_the_broker_down_leaves_the_job_queued(
    manager, client_for, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    job = queued_job(manager, django_capture_on_commit_callbacks)
    ReportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error_code="unexpected")

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.enqueued_at, job.error_code) == (Status.QUEUED, None, "")
    assert sweep_report_jobs.apply().get() == 1  # the beat task
    job.refresh_from_db()
    assert job.status == Status.DONE


def test_a_job_queued_too_long_ago_is_sent_again(manager, django_capture_on_commit_callbacks):
    stale = queued_job(manager, django_capture_on_commit_callbacks)
    fresh = queued_job(manager, django_capture_on_commit_callbacks)
    now = timezone.now()
    requeue_after = datetime.timedelta(minutes=settings.REPORT_REQUEUE_AFTER_MINUTES)
    ReportJob.objects.filter(pk=stale.pk).update(enqueued_at=now - requeue_after - datetime.timedelta(seconds=5))
    ReportJob.objects.filter(pk=fresh.pk).update(enqueued_at=now - requeue_after + datetime.timedelta(seconds=30))

    assert report_jobs_sweep(now=now) == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == Status.DONE
    assert stale.enqueued_at >= now
    assert fresh.status == Status.QUEUED  # its message may still be on its way
    assert stored_files() == [f"{stale.pk}.xlsx"]


def test_a_job_whose_worker_died_is_requeued_and_built(manager, django_capture_on_commit_callbacks):
    dead = queued_job(manager, django_capture_on_commit_callbacks)
    alive = queued_job(manager, django_capture_on_commit_callbacks)
    now = timezone.now()
    limit = datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 60)
    for job, started in (
        (dead, now - limit - datetime.timedelta(seconds=5)),
        (alive, now - datetime.timedelta(seconds=30)),
    ):
        ReportJob.objects.filter(pk=job.pk).update(
            status=Status.RUNNING, started_at=started, enqueued_at=started, attempts=1, task_id="lost", progress=40
        )

    assert report_jobs_sweep(now=now) == 1

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == Status.DONE
    assert dead.attempts == 2
    assert dead.progress == 100
    assert (alive.status, alive.progress, alive.attempts) == (Status.RUNNING, 40, 1)
    assert stored_files() == [f"{dead.pk}.xlsx"]


def test_sweep_leaves_done_and_failed_jobs_alone(manager, django_capture_on_commit_callbacks):
    done = queued_job(manager, django_capture_on_commit_callbacks)
    failed = queued_job(manager, django_capture_on_commit_callbacks)
    ReportJob.objects.filter(pk=done.pk).update(status=Status.DONE, enqueued_at=None)
    ReportJob.objects.filter(pk=failed.pk).update(status=Status.FAILED, enqueued_at=None)

    assert report_jobs_sweep() == 0
    assert stored_files() == []
