"""The navigation's numbers and flags per user: one query, cached per user (issue 8).

Apps register named annotations on the user row (``register("unread_notifications", build)``,
where ``build(today)`` returns an expression over ``OuterRef("pk")``-style references to the user).
:func:`user_badges` evaluates all of them in one query on ``User``, keeps the row in the Django
cache for ``BADGES_TTL`` seconds under version stamps, and memoises it for the request. Services
call :func:`apps.core.cache_keys.badges_changed` when something the row shows changes.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

from django.utils import timezone

from . import cache_keys
from .menu import request_memo

Builder = Callable[[datetime.date], object]

_builders: dict[str, tuple[Builder, object]] = {}


def register(name: str, build: Builder, *, default=0) -> None:
    """Add the annotation ``name`` (``build(today)`` gives its expression) and its value for nobody."""
    _builders[name] = (build, default)


def defaults() -> dict:
    return {name: default for name, (_build, default) in _builders.items()}


def badges_query(*, user_id: int, today: datetime.date) -> dict:
    """Evaluate every registered annotation for one user, in one query."""
    from apps.accounts.models import User

    if not _builders:
        return {}
    annotations = {name: build(today) for name, (build, _default) in _builders.items()}
    row = User.objects.filter(pk=user_id).annotate(**annotations).values(*annotations).first()
    return row or defaults()


def _schema() -> str:
    return hashlib.blake2s(",".join(sorted(_builders)).encode(), digest_size=4).hexdigest()


def badges_cache_keys(user_id: int) -> list[str]:
    """What :func:`badges_for` reads (to read ahead with ``cache_keys.prefetched``)."""
    key = cache_keys.badges_key(user_id, timezone.localdate(), _schema())
    return cache_keys.cached_with_versions_keys(key, cache_keys.badges_version_keys(user_id))


def badges_for(*, user_id: int) -> dict:
    today = timezone.localdate()
    return cache_keys.cached_with_versions(
        cache_keys.badges_key(user_id, today, _schema()),
        cache_keys.badges_version_keys(user_id),
        lambda: badges_query(user_id=user_id, today=today),
        timeout=cache_keys.BADGES_TTL,
    )


def user_badges(request) -> dict:
    """Return the navigation's numbers and flags for ``request.user`` (all defaults when logged out)."""

    def compute() -> dict:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return defaults()
        return {**defaults(), **badges_for(user_id=user.pk)}

    return request_memo(request, "badges", compute)
