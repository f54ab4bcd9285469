import datetime
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone, translation

from apps.core.cache_keys import badges_changed
from mktdept.celery import task_send

from .models import Notification, PendingEmail

logger = logging.getLogger(__name__)

# After this many failed sweeps a kept e-mail is marked failed (and stays, for the admin).
PENDING_EMAIL_MAX_ATTEMPTS = 10
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+\s*")


def single_line(text: str) -> str:
    """Return ``text`` with line breaks collapsed to one space: a CR or LF in an e-mail subject
    makes Django refuse to send it (BadHeaderError)."""
    return _LINE_BREAKS.sub(" ", text).strip()


def localize_param(value):
    """Return ``value`` as the UI shows it in the active language: dates and times through the
    locale's formats (``2026年12月10日`` / ``10 Dec 2026``), anything else unchanged."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


def _queue_email(notification_id: int) -> None:
    """Hand the e-mail to the worker; while the broker is down keep it for the sweeper instead."""
    from .tasks import notification_email

    if task_send(notification_email, args=[notification_id]):
        return
    pending_email_keep(notification_id=notification_id, error="broker unreachable")


def pending_email_keep(*, notification_id: int, error: str = "") -> PendingEmail | None:
    """Keep a notification's e-mail that could not be queued, for ``pending_emails_send``."""
    pending, created = PendingEmail.objects.get_or_create(
        notification_id=notification_id,
        defaults={"attempts": 1, "last_error": error[:500], "last_attempt_at": timezone.now()},
    )
    if not created:
        PendingEmail.objects.filter(pk=pending.pk).update(
            status=PendingEmail.Status.WAITING,
            attempts=F("attempts") + 1,
            last_error=error[:500],
            last_attempt_at=timezone.now(),
        )
    logger.warning("E-mail for notification %s kept for the sweeper: %s", notification_id, error)
    return pending


def notification_send(
    *,
    recipient,
    title,
    body="",
    params: dict | None = None,
    url: str = "",
    dedupe_key: str = "",
    action_key: str = "",
    email: bool = True,
) -> Notification | None:
    """Notify ``recipient`` in their own language; queue an e-mail after commit.

    ``title`` and ``body`` are lazily translated strings with named placeholders filled from
    ``params``; pass dates and times as ``date``/``datetime`` objects, never as text: they are
    formatted in the recipient's language the way the UI's ``date`` filter shows them. With a
    ``dedupe_key`` a second call for the same recipient and key does nothing and returns
    ``None``, so reminders are safe to run twice. An ``action_key`` names
    the action the notification asks for: ``notification_resolve`` with that key takes it off
    every recipient's unread count once someone has acted.
    """
    params = params or {}
    with translation.override(recipient.language):
        params = {key: localize_param(value) for key, value in params.items()}
        title_text = str(title) % params if params else str(title)
        body_text = (str(body) % params if params else str(body)) if body else ""
    if dedupe_key and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                title=single_line(title_text)[:200],
                body=body_text,
                url=url,
                dedupe_key=dedupe_key,
                action_key=action_key,
            )
    except IntegrityError:
        # A concurrent run created the same keyed notification first.
        return None
    badges_changed(user_ids=[recipient.pk])
    if email and recipient.email:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def notification_resolve(*, action_key: str, recipient=None, now: datetime.datetime | None = None) -> int:
    """Mark every open notification asking for ``action_key`` as resolved: the action was taken,
    by whoever took it, so it no longer counts as unread for anyone (only for ``recipient`` when
    given: a key each person answers on their own). Return how many changed."""
    if not action_key:
        return 0
    open_ones = Notification.objects.filter(action_key=action_key, resolved_at__isnull=True)
    if recipient is not None:
        open_ones = open_ones.filter(recipient=recipient)
    changed = open_ones.update(resolved_at=now or timezone.now())
    if changed:
        # Whose they were is not worth a query: mark everyone's badges.
        badges_changed()
    return changed


def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        badges_changed(user_ids=[user.pk])
    return notification


def notification_mark_all_read(*, user) -> int:
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True, resolved_at__isnull=True).update(
        read_at=timezone.now()
    )
    badges_changed(user_ids=[user.pk])
    return changed


def notification_deliver_email(*, notification: Notification) -> bool:
    """Send the e-mail for ``notification`` once; return whether one was sent now."""
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
            subject=single_line(locked.title),
            message=body,
            from_email=None,
            recipient_list=[locked.recipient.email],
        )
        locked.emailed_at = timezone.now()
        locked.save(update_fields=["emailed_at"])
    return True


@transaction.atomic
def _pending_email_send_one(*, pending_id: int, now: datetime.datetime) -> bool:
    # skip_locked: a second sweeper running at the same time leaves this one to the first.
    pending = (
        PendingEmail.objects.select_for_update(skip_locked=True)
        .filter(pk=pending_id, status=PendingEmail.Status.WAITING)
        .first()
    )
    if pending is None:
        return False
    if Notification.objects.filter(pk=pending.notification_id, resolved_at__isnull=False).exists():
        # "Leave to approve" an hour after someone approved it would only mislead.
        pending.status = PendingEmail.Status.NOT_NEEDED
        pending.save(update_fields=["status"])
        return False
    pending.attempts += 1
    pending.last_attempt_at = now
    try:
        with transaction.atomic():
            sent = notification_deliver_email(notification=Notification(pk=pending.notification_id))
    except Exception as exc:  # SMTP refusal, network error …: try again on the next sweep
        pending.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if pending.attempts >= PENDING_EMAIL_MAX_ATTEMPTS:
            pending.status = PendingEmail.Status.FAILED
            logger.error(
                "E-mail for notification %s failed %s times; giving up", pending.notification_id, pending.attempts
            )
        pending.save(update_fields=["attempts", "last_attempt_at", "last_error", "status"])
        return False
    emailed = Notification.objects.filter(pk=pending.notification_id, emailed_at__isnull=False).exists()
    if emailed:
        pending.status = PendingEmail.Status.SENT
        pending.sent_at = now
        pending.last_error = ""
    else:
        pending.status = PendingEmail.Status.FAILED
        pending.last_error = "recipient has no e-mail address"
    pending.save(update_fields=["attempts", "last_attempt_at", "last_error", "status", "sent_at"])
    return sent


def pending_emails_send(*, limit: int = 200) -> int:
    """Send the e-mails kept while the broker was down, oldest first; return how many were sent.

    Each is sent at most once: the notification's ``emailed_at`` is checked under a row lock.
    """
    now = timezone.now()
    ids = list(
        PendingEmail.objects.filter(status=PendingEmail.Status.WAITING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pending_id in ids if _pending_email_send_one(pending_id=pending_id, now=now))
