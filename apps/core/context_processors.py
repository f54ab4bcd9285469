from django.conf import settings


def navigation(request):
    """Expose the unread notification count and the language list to every template."""
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from apps.notifications.selectors import notification_unread_count

        unread = notification_unread_count(user=user)
    return {"unread_notification_count": unread, "available_languages": settings.LANGUAGES}
