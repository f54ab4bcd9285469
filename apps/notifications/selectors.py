from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Notification

# Not read yet, and nobody has taken the action it asks for (the partial index notification_unread_open_idx).
UNREAD = Q(read_at__isnull=True, resolved_at__isnull=True)


def notification_list(*, user, unread_only: bool = False):
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(UNREAD)
    return qs


def notification_unread_count(*, user) -> int:
    """Notifications not read yet, leaving out those whose action someone has already taken."""
    return Notification.objects.filter(UNREAD, recipient=user).count()


def notification_unread_count_expression(today=None):
    """``notification_unread_count`` as an annotation on ``User``, for the navigation's one badge query."""
    unread = (
        Notification.objects.filter(UNREAD, recipient=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(unread), 0)
