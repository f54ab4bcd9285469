from .models import Notification


def notification_list(*, user, unread_only: bool = False):
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True, resolved_at__isnull=True)
    return qs


def notification_unread_count(*, user) -> int:
    """Notifications not read yet, leaving out those whose action someone has already taken."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True, resolved_at__isnull=True).count()
