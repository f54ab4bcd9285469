"""Issue 7: when a report finishes, the person who asked for it is told, with the link."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.attendance.reports import MonthlyAttendanceReport
from apps.notifications.models import Notification
from apps.reports.models import ReportJob
from apps.reports.services import report_job_build, report_job_deliver

from .helpers import request_attendance

pytestmark = pytest.mark.django_db


def failing_rows(self, params, progress):
    yield "summary", ["x"]
    raise RuntimeError("boom")


def test_the_requester_is_told_the_report_is_ready_with_its_link(
    manager, staff, client_for, django_capture_on_commit_callbacks
):
    _response, job = request_attendance(client_for(manager), django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    notification = Notification.objects.get()
    assert notification.recipient == manager
    assert notification.url == reverse("reports:job", args=[job.pk])
    assert job.title in notification.title
    assert job.delivered_at is not None
    # The page showed the progress: no e-mail for a report one asked for oneself.
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=staff).exists()

    # Built or delivered again (a redelivered message), it is not announced twice.
    report_job_deliver(job=job)
    assert report_job_build(job_id=job.pk) == "skipped"
    assert Notification.objects.count() == 1


def test_the_requester_is_told_when_the_report_fails(
    manager, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(MonthlyAttendanceReport, "rows", failing_rows)

    _response, job = request_attendance(client_for(manager), django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    notification = Notification.objects.get()
    assert (notification.recipient, notification.url) == (manager, reverse("reports:job", args=[job.pk]))
    assert job.title in notification.title
    assert job.delivered_at is None
