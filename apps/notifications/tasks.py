import smtplib

from celery import Task, shared_task
from celery.signals import worker_ready
from django.db import OperationalError

from mktdept.celery import task_send

from .models import Notification
from .services import notification_deliver_email, pending_email_keep, pending_emails_send


class _EmailTask(Task):
    """An e-mail task that, when its last retry fails too, keeps the e-mail in the outbox
    (``PendingEmail``) for the sweeper and the administrator instead of losing it."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        notification_id = kwargs.get("notification_id", args[0] if args else None)
        if notification_id is None or not Notification.objects.filter(pk=notification_id).exists():
            return
        pending_email_keep(notification_id=notification_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=_EmailTask,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, OperationalError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def notification_email(notification_id: int) -> bool:
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return False
    return notification_deliver_email(notification=notification)


@shared_task
def send_pending_emails() -> int:
    """Send the e-mails kept while the broker was down."""
    return pending_emails_send()


@worker_ready.connect
def _send_pending_on_worker_start(sender=None, **kwargs):
    # A worker coming up after an outage sends what waited, without waiting for beat.
    task_send(send_pending_emails)
