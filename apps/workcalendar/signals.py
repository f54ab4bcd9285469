"""Cached calendar years go out of date whenever an override or a statutory day changes (admin or service)."""

from django.db.models.signals import post_delete, post_save

from apps.core import cache_keys

from .models import CalendarOverride, StatutoryDay


def _calendar_changed(sender, **kwargs) -> None:
    cache_keys.calendar_changed()


def connect() -> None:
    for model in (CalendarOverride, StatutoryDay):
        post_save.connect(_calendar_changed, sender=model, dispatch_uid=f"calendar-changed-save-{model.__name__}")
        post_delete.connect(_calendar_changed, sender=model, dispatch_uid=f"calendar-changed-delete-{model.__name__}")
