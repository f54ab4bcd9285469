"""Issue 7: an e-mail that cannot be queued while the broker is down is kept and sent later by the
sweeper; a CR or LF in a title never makes an e-mail fail."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from apps.notifications import services
from apps.notifications.models import Notification, PendingEmail
from apps.notifications.services import (
    notification_deliver_email,
    notification_resolve,
    notification_send,
    pending_email_keep,
    pending_emails_send,
)
from tests.broker import broker_down

pytestmark = pytest.mark.django_db

Status = PendingEmail.Status


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


@pytest.fixture
def staff_with_email(staff):
    staff.email = "staff@example.com"
    staff.save(update_fields=["email"])
    return staff


def keep(user, title="任务提醒", **kwargs) -> PendingEmail:
    notification = notification_send(recipient=user, title=title, email=False, **kwargs)
    return pending_email_keep(notification_id=notification.pk, error="broker unreachable")


def test_an_email_that_cannot_be_queued_is_kept_once_and_sent_once(
    staff_with_email, django_capture_on_commit_callbacks
):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        first = notification_send(recipient=staff_with_email, title="第一条", url=reverse("org:task_list"))
        second = notification_send(recipient=staff_with_email, title="第二条")

    kept = PendingEmail.objects.order_by("pk")
    assert [(p.notification, p.status, p.attempts) for p in kept] == [
        (first, Status.WAITING, 1),
        (second, Status.WAITING, 1),
    ]
    assert mail.outbox == []

    assert pending_emails_send() == 2
    assert pending_emails_send() == 0

    assert sorted(m.subject for m in mail.outbox) == ["第一条", "第二条"]
    assert set(kept.values_list("status", flat=True)) == {Status.SENT}
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_an_email_already_sent_by_the_worker_is_not_sent_again(staff_with_email):
    pending = keep(staff_with_email)
    Notification.objects.filter(pk=pending.notification_id).update(emailed_at="2026-12-01T08:00:00+08:00")

    assert pending_emails_send() == 0

    pending.refresh_from_db()
    assert pending.status == Status.SENT
    assert mail.outbox == []


def test_a_refused_email_is_tried_again_then_kept_as_failed(staff_with_email, settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    monkeypatch.setattr(services, "PENDING_EMAIL_MAX_ATTEMPTS", 3)
    pending = keep(staff_with_email)

    assert pending_emails_send() == 0
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == (Status.WAITING, 2)
    assert "SMTPServerDisconnected" in pending.last_error

    assert pending_emails_send() == 0
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == (Status.FAILED, 3)  # nothing deleted: it stays for the admin
    assert pending_emails_send() == 0
    assert Notification.objects.get().emailed_at is None


def test_a_recipient_without_an_address_is_marked_failed_not_retried_forever(staff_with_email):
    pending = keep(staff_with_email)
    staff_with_email.email = ""
    staff_with_email.save(update_fields=["email"])

    assert pending_emails_send() == 0

    pending.refresh_from_db()
    assert pending.status == Status.FAILED


def test_the_sweeper_is_a_periodic_task():
    task = PeriodicTask.objects.get(task="apps.notifications.tasks.send_pending_emails")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour) == ("*/2", "*")


@pytest.mark.parametrize("title", ["招标\r\n信息汇总", "招标\n信息汇总", "招标\r信息汇总", "招标\u2028信息汇总"])
def test_a_line_break_in_a_title_does_not_lose_the_email(staff_with_email, title):
    # Stored as it came (an older row, or a caller that did not clean it): the e-mail still goes.
    notification = Notification.objects.create(recipient=staff_with_email, title=title)

    assert notification_deliver_email(notification=notification) is True

    assert [m.subject for m in mail.outbox] == ["招标 信息汇总"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_task_title_with_line_breaks_gives_a_single_line_notification(staff_with_email):
    notification = notification_send(
        recipient=staff_with_email, title="新任务：%(title)s", params={"title": "招标\r\n信息汇总"}, email=False
    )

    assert notification.title == "新任务：招标 信息汇总"


def test_a_kept_request_for_an_action_already_taken_is_not_sent(staff_with_email):
    asked = keep(staff_with_email, title="请审批请假", action_key="leave-decide:7")
    unrelated = keep(staff_with_email, title="任务提醒")
    notification_resolve(action_key="leave-decide:7")

    assert pending_emails_send() == 1

    asked.refresh_from_db()
    unrelated.refresh_from_db()
    assert (asked.status, unrelated.status) == (Status.NOT_NEEDED, Status.SENT)
    assert [m.subject for m in mail.outbox] == ["任务提醒"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweeper_task_sends_outside_a_test_transaction():
    """The sweeper locks each kept e-mail: run it as production does, with no transaction around it."""
    from apps.notifications.tasks import send_pending_emails
    from tests.factories import UserFactory

    user = UserFactory(email="someone@example.com")
    with broker_down():
        notification_send(recipient=user, title="任务提醒")  # on commit at once: no test transaction

    assert PendingEmail.objects.get().status == Status.WAITING
    assert send_pending_emails.apply().get() == 1
    assert PendingEmail.objects.get().status == Status.SENT
    assert [m.subject for m in mail.outbox] == ["任务提醒"]


def test_an_email_the_worker_fails_to_send_after_every_retry_is_kept_in_the_outbox(staff_with_email, settings):
    # The broker took the task, but the mail server refused every attempt: the e-mail is kept for the
    # sweeper and the administrator instead of being lost with the task.
    from apps.notifications.tasks import notification_email

    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    notification = notification_send(recipient=staff_with_email, title="任务提醒", email=False)

    # The last retry: Celery gives up after it and the task fails.
    result = notification_email.apply(args=[notification.pk], retries=notification_email.max_retries, throw=False)

    assert result.failed()
    pending = PendingEmail.objects.get()
    assert (pending.notification, pending.status) == (notification, Status.WAITING)
    assert "SMTPServerDisconnected" in pending.last_error
    assert mail.outbox == []
    # Once the mail server is back, the sweeper sends it once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert pending_emails_send() == 1
    assert [m.subject for m in mail.outbox] == ["任务提醒"]


def test_a_worker_email_that_goes_through_leaves_nothing_in_the_outbox(staff_with_email):
    from apps.notifications.tasks import notification_email

    notification = notification_send(recipient=staff_with_email, title="任务提醒", email=False)

    assert notification_email.apply(args=[notification.pk]).get() is True
    assert PendingEmail.objects.count() == 0
    assert [m.subject for m in mail.outbox] == ["任务提醒"]
