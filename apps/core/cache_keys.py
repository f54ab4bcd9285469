"""Keys of the Django cache and the version stamps that invalidate them, in one place.

A cached value is stored together with the version stamps it was computed under; a reader fetches
the value and the current stamps in one round trip and uses the value only when they match. A
service that changes what the value shows calls :func:`badges_changed`, which replaces the stamp
at once and again after the transaction commits. A reader that computed from data older than the
commit stored the old stamp, so its value is ignored by the next reader: no race leaves a stale
value for longer than nothing would.

The cache is fail-safe (``mktdept/cache.py``): while Redis is down every read misses and the
value is computed from the database, as it would be without a cache.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

# How long the navigation's numbers may be reused without any change being signalled; changes the
# services do not signal (a department's head or acting approver edited in admin) show within this.
BADGES_TTL = 60
# Version stamps outlive every value computed under them.
VERSION_TTL = 24 * 60 * 60

_PREFIX = "mktdept"
# Replaced per test (tests/conftest.py) so that tests never see each other's values: user ids are
# reused across test databases that share one Redis.
_namespace = ""


def namespace_reset(value: str | None = None) -> None:
    """Start a fresh key space (for tests)."""
    global _namespace
    _namespace = secrets.token_hex(6) if value is None else value


def _key(*parts) -> str:
    return ":".join([_PREFIX, _namespace, *map(str, parts)])


def position_key(position_id: int, language: str, version: int) -> str:
    """A position's title and duty text in one language (``apps/org/selectors.position_summary``)."""
    return _key("position", f"v{version}", language, position_id)


def org_text_key(name: str, language: str, version: int) -> str:
    """Static text of the regulation in one language: the lifecycle card, the department's duties."""
    return _key("org-text", name, f"v{version}", language)


def org_text_version_keys() -> tuple[str]:
    """The stamp of everything cached from departments, positions, duties, stages, focus items and products."""
    return (_key("org-text-v"),)


def org_text_changed() -> None:
    """Mark the cached regulation text (positions, duties, lifecycle stages, products) as out of date.

    Sent by ``apps/org/signals.py`` whenever one of those rows is saved or deleted (in admin or by a
    service), so that an edit shows on the next page instead of after the cache expires.
    """
    _stamp_now_and_on_commit(list(org_text_version_keys()))


def calendar_year_key(year: int) -> str:
    """One year's company overrides and state calendar days (``apps/workcalendar/calendar.py``)."""
    return _key("calendar", year)


def calendar_version_keys() -> tuple[str]:
    """The stamp of every cached calendar year."""
    return (_key("calendar-v"),)


def calendar_changed() -> None:
    """Mark every cached calendar year as out of date.

    Sent by ``apps/workcalendar/signals.py`` when an override or a statutory day is saved or
    deleted, and by the import services after their bulk writes.
    """
    _stamp_now_and_on_commit(list(calendar_version_keys()))


def dashboard_key(name: str, scope: str, day, version: int) -> str:
    """One cached dashboard fact of a person or set of departments on a day (``apps/org/dashboard_cache.py``)."""
    return _key("dashboard", name, f"v{version}", scope, day.isoformat())


def dashboard_version_keys() -> tuple[str]:
    """The stamp of every cached dashboard fact."""
    return (_key("dashboard-v"),)


def dashboard_changed() -> None:
    """Mark every cached dashboard fact as out of date (now, and again once the transaction commits).

    Sent by ``apps/org/dashboard_cache.py`` when a row the dashboard shows is saved or deleted.
    """
    _stamp_now_and_on_commit(list(dashboard_version_keys()))


def choices_key(name: str, scope: str, language: str, version: int) -> str:
    """The options of a model-choice field in one language (``apps/core/choices.py``)."""
    return _key("choices", name, f"v{version}", scope, language)


def choices_version_keys(model_labels) -> list[str]:
    """The stamps of the models a field's options are read from, one per model."""
    return [_key("choices-v", label) for label in model_labels]


def choices_changed(model_labels) -> None:
    """Mark the cached options read from ``model_labels`` (``"app_label.Model"``) as out of date."""
    _stamp_now_and_on_commit(choices_version_keys(model_labels))


def badges_key(user_id: int, day, schema: str = "") -> str:
    """The navigation's numbers of one user on one day (acting approvers change with the date).

    ``schema`` names the set of numbers, so that a release that adds one never reads a row without it.
    """
    return _key("badges", schema, user_id, day.isoformat())


def badges_version_keys(user_id: int) -> tuple[str, str]:
    """The stamp every user's badges depend on, and this user's own."""
    return _key("badges-v", "all"), _key("badges-v", "user", user_id)


def permissions_key(user_id: int) -> str:
    """One user's permissions, as ``ModelBackend`` reads them (``apps/core/permission_cache.py``)."""
    return _key("perms", user_id)


def permissions_version_keys(user_id: int) -> tuple[str, str]:
    return _key("perms-v", "all"), _key("perms-v", "user", user_id)


def permissions_changed(*, user_ids=None) -> None:
    """Mark the cached permissions of ``user_ids`` (of everyone when ``None``) as out of date."""
    if user_ids is None:
        keys = [permissions_version_keys(0)[0]]
    else:
        keys = [permissions_version_keys(user_id)[1] for user_id in {int(pk) for pk in user_ids}]
    _stamp_now_and_on_commit(keys)


def _stamp(keys: list[str]) -> None:
    stamp = secrets.token_hex(8)
    cache.set_many(dict.fromkeys(keys, stamp), timeout=VERSION_TTL)
    memo = _prefetched.get()
    if memo is not None:
        # A request that changes what it read ahead reads the new stamps for the rest of the block.
        memo.update({key: stamp for key in keys if key in memo})


def badges_changed(*, user_ids=None) -> None:
    """Mark the navigation badges of ``user_ids`` (of everyone when ``None``) as out of date.

    Called by the services that create, read or resolve notifications and that submit or decide
    requests; safe inside a transaction (the stamp is replaced again once it commits).
    """
    if user_ids is None:
        keys = [badges_version_keys(0)[0]]
    else:
        keys = [badges_version_keys(user_id)[1] for user_id in {int(pk) for pk in user_ids}]
    _stamp_now_and_on_commit(keys)


def _stamp_now_and_on_commit(keys: list[str]) -> None:
    if not keys:
        return
    _stamp(keys)
    transaction.on_commit(functools.partial(_stamp, keys))


# Values read ahead by ``prefetched`` for the block it wraps (``_ABSENT``: read, and not in the cache).
_prefetched: ContextVar[dict | None] = ContextVar("cache_prefetched", default=None)
_ABSENT = object()


@contextmanager
def prefetched(keys: Iterable[str]):
    """Read ``keys`` in one round trip; inside the block, :func:`get_many` (and so every
    :func:`cached_with_versions`) takes them from there instead of asking the cache again.

    For a page that reads many cached values (the dashboard: a dozen round trips became two or
    three, issue 8). A stamp replaced inside the block by this request (``badges_changed``, …)
    replaces the value read ahead too; a change made meanwhile by another process is seen on the
    next request, as it would be by a value read a moment earlier. A key the block did not read
    ahead is read from the cache as usual.
    """
    memo = dict(_prefetched.get() or {})
    keys = [key for key in dict.fromkeys(keys) if key not in memo]  # an outer block read the others
    found = cache.get_many(keys) if keys else {}
    memo.update({key: found.get(key, _ABSENT) for key in keys})
    token = _prefetched.set(memo)
    try:
        yield
    finally:
        _prefetched.reset(token)


def get_many(keys: list[str]) -> dict:
    """``cache.get_many(keys)``, answered without a round trip when a :func:`prefetched` block read them all."""
    memo = _prefetched.get()
    if memo is not None and all(key in memo for key in keys):
        return {key: memo[key] for key in keys if memo[key] is not _ABSENT}
    return cache.get_many(keys)


def cached_with_versions_keys(key: str, version_keys) -> list[str]:
    """What :func:`cached_with_versions` reads for ``key``: to read ahead with :func:`prefetched`."""
    return [key, *version_keys]


def cached_with_versions(key: str, version_keys, compute, *, timeout: int):
    """Return the value under ``key`` if it was computed under the current ``version_keys``, else ``compute()``."""
    version_keys = list(version_keys)
    found = get_many([key, *version_keys])
    versions = [found.get(k) for k in version_keys]
    entry = found.get(key)
    if isinstance(entry, dict) and entry.get("versions") == versions:
        return entry["value"]
    value = compute()
    entry = {"versions": versions, "value": value}
    cache.set(key, entry, timeout=timeout)
    memo = _prefetched.get()
    if memo is not None and key in memo:
        memo[key] = entry  # a second read in the block finds it
    return value
