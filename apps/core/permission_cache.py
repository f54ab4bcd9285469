"""Each person's permissions, kept in the Django cache between requests (issue 8).

``ModelBackend`` reads a user's permissions with two queries (own and through groups) on every page
that checks one, which is nearly every page: the menu does. This middleware hands the backend the
sets it computed on an earlier request, through the attributes the backend itself caches them in
(``_user_perm_cache`` and ``_group_perm_cache``), and stores them after a request that computed them.

Stale permissions would be a security defect, so every change is signalled: group membership,
direct permissions, a group's permissions, groups and permissions saved or deleted (everyone's),
a user saved (their own: ``is_superuser`` grants everything) and every ``migrate``. ``PERMISSIONS_TTL`` bounds
anything a signal cannot see (raw SQL). ``is_active`` is still checked by the backend on every call.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from . import cache_keys
from .badges import badges_cache_keys

PERMISSIONS_TTL = 5 * 60
_ATTRS = ("_user_perm_cache", "_group_perm_cache")


def _prefill(user) -> list | None:
    """Give ``user`` its cached permissions; return the versions to store under when there are none."""
    key = cache_keys.permissions_key(user.pk)
    version_keys = cache_keys.permissions_version_keys(user.pk)
    found = cache_keys.get_many([key, *version_keys])
    versions = [found.get(k) for k in version_keys]
    entry = found.get(key)
    if isinstance(entry, dict) and entry.get("versions") == versions:
        user._user_perm_cache = set(entry["user"])
        user._group_perm_cache = set(entry["group"])
        return None
    return versions


def _store(user, versions: list) -> None:
    if not all(hasattr(user, attr) for attr in _ATTRS):
        return
    entry = {"versions": versions, "user": sorted(user._user_perm_cache), "group": sorted(user._group_perm_cache)}
    cache.set(cache_keys.permissions_key(user.pk), entry, timeout=PERMISSIONS_TTL)


class PermissionCacheMiddleware:
    """After ``AuthenticationMiddleware``: reuse the logged-in user's permissions from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.get_response(request)
        # The permissions and the navigation's numbers (read by nearly every page) in one round trip.
        keys = [
            cache_keys.permissions_key(user.pk),
            *cache_keys.permissions_version_keys(user.pk),
            *badges_cache_keys(user.pk),
        ]
        with cache_keys.prefetched(keys):
            versions = _prefill(user)
            response = self.get_response(request)
        if versions is not None:
            _store(user, versions)
        return response


def _everyone(**kwargs) -> None:
    cache_keys.permissions_changed()


def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        cache_keys.permissions_changed(user_ids=[instance.pk])
    else:
        cache_keys.permissions_changed()


def _user_saved(sender, instance, **kwargs) -> None:
    cache_keys.permissions_changed(user_ids=[instance.pk])


def connect_signals() -> None:
    """Called from ``CoreConfig.ready``."""
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_membership_changed, sender=through, dispatch_uid=f"perm-cache-{through._meta.label}")
    for model in (Group, Permission):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"perm-cache-save-{model._meta.label}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"perm-cache-delete-{model._meta.label}")
    post_save.connect(_user_saved, sender=User, dispatch_uid="perm-cache-user-saved")
    # Data migrations grant role permissions through historical models, which send no signal above.
    post_migrate.connect(_everyone, dispatch_uid="perm-cache-migrated")
