from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message to one person, written in that person's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Makes reminders idempotent: one notification per recipient and key.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    # The action the notification asks for ("leave-decide:42"). Once anyone takes it, every
    # notification with the key is resolved and no longer counts as unread.
    action_key = models.CharField(_("action key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_recipient_dedupe_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, resolved_at__isnull=True),
                name="notification_unread_open_idx",
            ),
            models.Index(
                fields=["action_key"],
                condition=~Q(action_key="") & Q(resolved_at__isnull=True),
                name="notification_open_action_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        """Read, or no longer needing attention because its action was taken."""
        return self.read_at is not None or self.resolved_at is not None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class PendingEmail(models.Model):
    """A notification's e-mail that could not be handed to the worker (broker down).

    Kept until the sweeper has sent it; after too many failed attempts it stays, marked failed,
    for an administrator to see.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")
        # The notification asked for an action someone took before the e-mail could go.
        NOT_NEEDED = "not_needed", _("no longer needed")

    notification = models.OneToOneField(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="pending_email"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending e-mail")
        verbose_name_plural = _("pending e-mails")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status="waiting"),
                name="pending_email_waiting_idx",
            )
        ]

    def __str__(self):
        return f"{self.notification} ({self.get_status_display()})"
