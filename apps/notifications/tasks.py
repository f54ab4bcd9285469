import smtplib

from celery import shared_task
from celery.signals import worker_ready
from django.db import OperationalError

from mktdept.celery import task_send

from .models import Notification
from .services import notification_deliver_email, pending_emails_send


@shared_task(
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
