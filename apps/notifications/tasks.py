import smtplib

from celery import shared_task
from django.db import OperationalError

from .models import Notification
from .services import notification_deliver_email


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
