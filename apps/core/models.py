"""Shared base models and the confidentiality mechanism (R-INTEL-03)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def localized(obj, field: str) -> str:
    """Return ``field`` in the active language, falling back to the Chinese text."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class ConfidentialityLevel(models.IntegerChoices):
    PUBLIC = 0, _("Public")
    INTERNAL = 1, _("Internal")
    CONFIDENTIAL = 2, _("Confidential")
    SECRET = 3, _("Secret")


def levels_up_to(clearance: int) -> list[tuple[int, str]]:
    """The levels a person with ``clearance`` may give an item or filter by: none above their own."""
    return [(value, label) for value, label in ConfidentialityLevel.choices if value <= clearance]


# Reads of items at or above this level are written to the access log.
LOGGED_LEVEL = ConfidentialityLevel.CONFIDENTIAL


class ClassifiedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep only the rows ``user`` is cleared for; nothing for anonymous or inactive users."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(confidentiality__lte=user.clearance)


class ClassifiedModel(models.Model):
    """A record that carries a confidentiality level (密级)."""

    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality level"),
        choices=ConfidentialityLevel.choices,
        default=ConfidentialityLevel.INTERNAL,
        db_index=True,
    )

    objects = ClassifiedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def read_is_logged(self) -> bool:
        return self.confidentiality >= LOGGED_LEVEL


class AccessLog(models.Model):
    """One read of a confidential item: who, what, when, from where."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")
        EXPORT = "export", _("Exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="access_logs",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("content type"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    confidentiality = models.PositiveSmallIntegerField(_("confidentiality level"), choices=ConfidentialityLevel.choices)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("confidential access log entry")
        verbose_name_plural = _("confidential access log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="accesslog_object_idx")]
        permissions = [("view_access_report", _("Can see who read confidential items"))]

    def __str__(self):
        return f"{self.user} {self.action} {self.object_repr}"


class LevelChange(models.Model):
    """An item's confidentiality level was changed: who, when, from what to what, and why."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("content type"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    old_level = models.PositiveSmallIntegerField(_("old level"), choices=ConfidentialityLevel.choices)
    new_level = models.PositiveSmallIntegerField(_("new level"), choices=ConfidentialityLevel.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("confidentiality level change")
        verbose_name_plural = _("confidentiality level changes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="levelchange_object_idx")]

    def __str__(self):
        return f"{self.object_repr}: {self.old_level} → {self.new_level}"
