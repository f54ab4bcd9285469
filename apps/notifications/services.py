import logging

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)


def _queue_email(notification_id: int) -> None:
    """Hand the e-mail to the worker; a broker outage must not break the page that notified."""
    from .tasks import notification_email

    try:
        notification_email.apply_async(args=[notification_id], retry=False)
    except Exception:  # kombu OperationalError, redis ConnectionError, OSError …
        logger.warning("Broker unreachable: e-mail for notification %s not queued", notification_id, exc_info=True)


def notification_send(
    *,
    recipient,
    title,
    body="",
    params: dict | None = None,
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> Notification | None:
    """Notify ``recipient`` in their own language; queue an e-mail after commit.

    ``title`` and ``body`` are lazily translated strings with named placeholders filled from
    ``params``. With a ``dedupe_key`` a second call for the same recipient and key does
    nothing and returns ``None``, so reminders are safe to run twice.
    """
    params = params or {}
    with translation.override(recipient.language):
        title_text = str(title) % params if params else str(title)
        body_text = (str(body) % params if params else str(body)) if body else ""
    if dedupe_key and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                title=title_text[:200],
                body=body_text,
                url=url,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        # A concurrent run created the same keyed notification first.
        return None
    if email and recipient.email:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_deliver_email(*, notification: Notification) -> bool:
    """Send the e-mail for ``notification`` once; return whether one was sent now."""
    from django.conf import settings
    from django.core.mail import send_mail

    with transaction.atomic():
        locked = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification.pk, emailed_at__isnull=True)
            .first()
        )
        if locked is None or not locked.recipient.email:
            return False
        body = locked.body
        if locked.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{locked.url}".strip()
        send_mail(
            subject=locked.title,
            message=body,
            from_email=None,
            recipient_list=[locked.recipient.email],
        )
        locked.emailed_at = timezone.now()
        locked.save(update_fields=["emailed_at"])
    return True
