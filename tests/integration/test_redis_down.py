"""R-JOB-02: with Redis fully down (broker, result store and cache on a closed port) every page
answers within 2 seconds and nothing a user submitted is lost.

The time limit is a guard against retry loops (one used to cost 19-38 s), not a benchmark.
"""

import datetime
import socketserver
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from apps.leave.models import LeaveRequest, LeaveType
from apps.notifications.models import Notification, PendingEmail
from apps.notifications.services import notification_send
from apps.notifications.tasks import send_pending_emails
from apps.reports.models import ReportJob
from mktdept.celery import app
from tests.broker import redis_down, unreachable_caches

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIMIT_SECONDS = 2.0


@pytest.fixture
def tuesday_morning(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def everything_down():
    with redis_down():
        assert app.conf.result_backend.endswith(":1/0")
        yield


@pytest.fixture
def with_email(manager, staff, other_staff):
    for user in (manager, staff, other_staff):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_r_job_02_leave_form_answers_quickly_and_keeps_request_and_emails(
    tuesday_morning,
    everything_down,
    with_email,
    client_for,
    staff,
    other_staff,
    manager,
    django_capture_on_commit_callbacks,
):
    client = client_for(staff)
    data = {
        "leave_type": LeaveType.objects.get(code="personal").pk,
        "start_date": "2026-12-08",
        "start_half": "am",
        "end_date": "2026-12-08",
        "end_half": "pm",
        "reason": "家中有事",
        "handover_to": other_staff.pk,
        "handover_notes": "跟进医院试剂补货",
    }

    form, elapsed_form = timed(lambda: client.get(reverse("leave:create")))
    assert form.status_code == 200
    assert elapsed_form < LIMIT_SECONDS

    def post():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("leave:create"), data)

    response, elapsed = timed(post)

    leave = LeaveRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leave:detail", args=[leave.pk])
    assert elapsed < LIMIT_SECONDS, f"the leave form took {elapsed:.1f}s with Redis down"
    assert (leave.user, leave.approver, leave.status) == (staff, manager, LeaveRequest.Status.PENDING)
    # The approver's and the colleague's e-mails could not be queued: they wait in the outbox.
    waiting = PendingEmail.objects.filter(status=PendingEmail.Status.WAITING)
    assert sorted(waiting.values_list("notification__recipient__username", flat=True)) == sorted(
        [manager.username, other_staff.username]
    )
    assert Notification.objects.filter(recipient=manager, emailed_at__isnull=True).count() == 1

    page, elapsed_page = timed(lambda: client.get(reverse("leave:detail", args=[leave.pk])))
    assert page.status_code == 200
    assert elapsed_page < LIMIT_SECONDS


def test_r_job_02_report_request_answers_quickly_and_the_job_waits(
    tuesday_morning, everything_down, client_for, manager, django_capture_on_commit_callbacks
):
    client = client_for(manager)

    def post():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("reports:type", args=["attendance_monthly"]),
                {"format": "xlsx", "department": "MKT", "month": "2026-11"},
            )

    response, elapsed = timed(post)

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert elapsed < LIMIT_SECONDS, f"the report request took {elapsed:.1f}s with Redis down"
    assert (job.status, job.enqueued_at) == (ReportJob.Status.QUEUED, None)

    for url in (reverse("reports:job", args=[job.pk]), reverse("reports:index"), reverse("org:dashboard")):
        page, elapsed_page = timed(lambda url=url: client.get(url))
        assert page.status_code == 200, url
        assert elapsed_page < LIMIT_SECONDS, url


def test_r_job_02_notification_email_is_kept_and_sent_later_by_the_sweeper(
    tuesday_morning, with_email, staff, django_capture_on_commit_callbacks
):
    with redis_down():

        def notify():
            with django_capture_on_commit_callbacks(execute=True):
                return notification_send(recipient=staff, title="任务提醒", url=reverse("org:task_list"))

        notification, elapsed = timed(notify)
        assert elapsed < LIMIT_SECONDS
        pending = PendingEmail.objects.get()
        assert (pending.notification, pending.status, pending.attempts) == (
            notification,
            PendingEmail.Status.WAITING,
            1,
        )
        assert mail.outbox == []

    # The sweeper, a periodic task on the worker, sends it once Redis is back; once only.
    assert send_pending_emails.apply().get() == 1
    assert send_pending_emails.apply().get() == 0
    pending.refresh_from_db()
    notification.refresh_from_db()
    assert pending.status == PendingEmail.Status.SENT
    assert notification.emailed_at is not None
    assert [m.subject for m in mail.outbox] == ["任务提醒"]
    assert reverse("org:task_list") in mail.outbox[0].body


def test_a_cache_outage_is_a_cache_miss_not_an_error(everything_down):
    def use_the_cache():
        cache.set("k", "v")
        return cache.get("k", "fallback"), cache.get_many(["k"]), cache.delete("k")

    (value, many, deleted), elapsed = timed(use_the_cache)

    assert (value, many, deleted) == ("fallback", {}, False)
    assert elapsed < LIMIT_SECONDS


class NotRedis(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(1024)
        self.request.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")


def test_a_cache_peer_that_is_not_redis_is_a_cache_miss_too():
    with socketserver.TCPServer(("127.0.0.1", 0), NotRedis) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        location = f"redis://127.0.0.1:{server.server_address[1]}/0"
        try:
            with override_settings(CACHES={"default": {**unreachable_caches()["default"], "LOCATION": location}}):
                assert cache.get("k", "fallback") == "fallback"
        finally:
            server.shutdown()
