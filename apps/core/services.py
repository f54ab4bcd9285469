"""Writes of the shared mechanisms: the confidential access log."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from .models import AccessLog, ClassifiedModel, LevelChange


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def classified_record_read(
    *, user, obj: ClassifiedModel, action: str = AccessLog.Action.VIEW, request=None
) -> AccessLog | None:
    """Log a read of ``obj`` by ``user`` when its level requires it.

    Refuse a read above the user's clearance, whoever the caller is.
    """
    if not user.is_active or obj.confidentiality > user.clearance:
        raise PermissionDenied
    if not obj.read_is_logged:
        return None
    return AccessLog.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        confidentiality=obj.confidentiality,
        action=action,
        ip_address=client_ip(request),
    )


def classified_level_change(*, user, obj: ClassifiedModel, new_level: int, reason: str = "") -> LevelChange | None:
    """Set ``obj``'s level to ``new_level`` and record the change; nothing when it is the same.

    The caller holds the row (inside its own transaction); the object is saved here. Nobody may
    raise an item above, or lower an item from above, their own clearance.
    """
    old_level = obj.confidentiality
    if int(new_level) == int(old_level):
        return None
    if not user.is_active or max(int(new_level), int(old_level)) > user.clearance:
        raise PermissionDenied
    obj.confidentiality = int(new_level)
    obj.save(update_fields=["confidentiality"])
    return LevelChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        old_level=old_level,
        new_level=int(new_level),
        reason=reason[:200],
        changed_by=user,
    )
