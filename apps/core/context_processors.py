from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .menu import menu_for


def navigation(request):
    """Expose the menu, the unread notification count and the language list to every template.

    The menu and the count are computed only when a template reads them (partials that htmx swaps
    in never do), and at most once per request.
    """

    def unread() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        from apps.notifications.selectors import notification_unread_count

        return notification_unread_count(user=user)

    return {
        "menu": SimpleLazyObject(lambda: menu_for(request)),
        "unread_notification_count": SimpleLazyObject(unread),
        "available_languages": settings.LANGUAGES,
    }
