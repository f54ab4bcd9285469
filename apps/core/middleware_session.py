"""Keep a session alive while it is used, without writing it on every request.

``SESSION_SAVE_EVERY_REQUEST`` rewrote and committed the session row on every page (8.7 ms for a
health check that only loads it, issue 8). Instead the session is saved, and its expiry pushed
``SESSION_COOKIE_AGE`` ahead, only when ``SESSION_REFRESH_SECONDS`` have passed since it was last
saved. The time of that save is kept in the session itself.

A session left idle therefore ends between ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and
``SESSION_COOKIE_AGE`` after its last request: the session store drops it once its expiry date
has passed, whether or not this middleware runs again.
"""

from django.conf import settings
from django.utils import timezone

# Seconds since the epoch of the session's last save by this middleware or by anything else.
REFRESHED_AT_KEY = "_refreshed_at"


def refresh_interval() -> int:
    """Return the seconds between saves; never half the session's age or more, or a session in use could end."""
    return max(0, min(settings.SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 2))


class SessionRefreshMiddleware:
    """Mark a used, non-empty session as modified when its last refresh is older than the interval.

    Must come after ``SessionMiddleware`` in ``MIDDLEWARE``, so that its response phase runs first
    and ``SessionMiddleware`` then saves the session and renews the cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A request that never read the session (a health check, a static file) is no activity of
        # a person; an empty session (anonymous, or just logged out) must not be created by us.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(timezone.now().timestamp())
        if session.modified:
            # Saved anyway: its expiry moves ahead now, so the next refresh is due from now.
            session[REFRESHED_AT_KEY] = now
            return response
        last = session.get(REFRESHED_AT_KEY)
        if not isinstance(last, int) or now - last >= refresh_interval() or last > now:
            session[REFRESHED_AT_KEY] = now
        return response
