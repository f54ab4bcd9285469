from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .badges import user_badges
from .menu import menu_for, menu_signature


def navigation(request):
    """Expose the menu, the unread notification count and the language list to every template.

    The menu and the count are computed only when a template reads them (partials that htmx swaps
    in never do), and at most once per request; the count comes with the menu's badges from one
    query cached per user (``apps/core/badges.py``).
    """
    return {
        "menu": SimpleLazyObject(lambda: menu_for(request)),
        # Called by the template when read: the key of the sidebar's reused HTML.
        "menu_signature": lambda: menu_signature(request),
        "unread_notification_count": SimpleLazyObject(lambda: user_badges(request)["unread_notifications"]),
        "available_languages": settings.LANGUAGES,
    }
