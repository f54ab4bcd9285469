"""The dashboard's cached facts and the one stamp that makes them out of date (issue 8).

What the dashboard reads from leave, comp time, field work and tasks changes a few times a day and
is read on every visit: the week's leave and field work and the overdue tasks of a head's board, a
person's leave balances, next leave and handovers, and their open tasks. Each is cached per person
(or per set of departments) and day under one stamp, and any save or delete of a row those facts are
built from (a leave request, a leave type, a comp-time entry, a field-work notice, a task, a person)
replaces the stamp, in admin or through a service, so a change shows on the next page. Check-ins,
which change all morning, are never cached: the board reads them on every visit.

Bulk writes send no signals (``seed_demo``, the benchmark loader); the expiry bounds how long they
can go unseen.
"""

import datetime

from django.db.models.signals import post_delete, post_save

from apps.core import cache_keys
from apps.core.cache_keys import dashboard_changed

# The stamp is replaced on every change; the expiry only bounds memory and unsignalled bulk writes.
DASHBOARD_CACHE_SECONDS = 10 * 60
CACHE_VERSION = 1
# A log-in or a password or language change touches no name, department or date the dashboard shows.
_QUIET_USER_FIELDS = frozenset({"last_login", "password", "language", "phone"})


def _key(name: str, scope, today: datetime.date) -> str:
    if isinstance(scope, tuple):
        scope = "-".join(map(str, scope))
    return cache_keys.dashboard_key(name, str(scope), today, CACHE_VERSION)


def dashboard_cached(name: str, scope, today: datetime.date, compute):
    """Return ``compute()`` for ``scope`` (a user id or a tuple of department ids) on ``today``, cached."""
    return cache_keys.cached_with_versions(
        _key(name, scope, today), cache_keys.dashboard_version_keys(), compute, timeout=DASHBOARD_CACHE_SECONDS
    )


def dashboard_cached_keys(name: str, scope, today: datetime.date) -> list[str]:
    """What ``dashboard_cached(name, scope, today, …)`` reads (to read ahead with ``cache_keys.prefetched``)."""
    return cache_keys.cached_with_versions_keys(_key(name, scope, today), cache_keys.dashboard_version_keys())


def _changed(sender, **kwargs) -> None:
    dashboard_changed()


def _user_changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= _QUIET_USER_FIELDS:
        return
    dashboard_changed()


def connect() -> None:
    from apps.accounts.models import User
    from apps.attendance.models import FieldWorkNotice
    from apps.leave.models import CompTimeEntry, LeaveRequest, LeaveType

    from .models import AssignedTask

    for model in (LeaveRequest, LeaveType, CompTimeEntry, FieldWorkNotice, AssignedTask):
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboard-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboard-delete-{label}")
    post_save.connect(_user_changed, sender=User, dispatch_uid="dashboard-save-user")
    post_delete.connect(_changed, sender=User, dispatch_uid="dashboard-delete-user")
