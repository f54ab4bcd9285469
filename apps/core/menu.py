"""The navigation's one registration point: each app adds its menu entries in ``AppConfig.ready``.

An app registers a :class:`MenuGroup` (its heading in the sidebar) and :class:`MenuItem`
entries in ``apps/<app>/menus.py``; ``templates/includes/sidebar.html`` shows whatever
:func:`menu_for` returns, so adding an app never means editing a base template.

An item is visible to everyone logged in, to holders of a permission (``visible="app.codename"``)
or to whoever a callable taking the request approves. Permissions are read once per request from
``user.get_all_permissions()``; callables that need the database share per-request results
through :func:`request_memo`, so the menu costs no query per item.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

Visibility = str | Callable[[HttpRequest], bool] | None


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str
    icon: str = "bi-folder"
    order: int = 100


@dataclass(frozen=True)
class MenuItem:
    key: str
    group: str
    label: str
    url_name: str
    icon: str = "bi-dot"
    order: int = 100
    # None: everyone logged in; "app.codename": holders of that permission; a callable: its say.
    visible: Visibility = None
    # Returns a number or short text shown next to the label, or None/0 for no badge.
    badge: Callable[[HttpRequest], int | str | None] | None = None


@dataclass(frozen=True)
class ShownItem:
    item: MenuItem
    url: str
    active: bool
    badge: int | str | None


@dataclass(frozen=True)
class ShownGroup:
    group: MenuGroup
    items: list[ShownItem]

    @property
    def active(self) -> bool:
        return any(entry.active for entry in self.items)


_groups: dict[str, MenuGroup] = {}
_items: dict[str, MenuItem] = {}
# Changed by every (un)registration: part of the sidebar's signature, which names entries by key only.
_revision = 0


def _changed() -> None:
    global _revision
    _revision += 1


def register_group(group: MenuGroup) -> None:
    _groups[group.key] = group
    _changed()


def register_item(item: MenuItem) -> None:
    _items[item.key] = item
    _changed()


def register(group: MenuGroup, *items: MenuItem) -> None:
    """Register ``group`` and its ``items`` (each item's ``group`` must be ``group.key``)."""
    register_group(group)
    for item in items:
        if item.group != group.key:
            raise ValueError(f"menu item {item.key!r} belongs to {item.group!r}, not {group.key!r}")
        register_item(item)


def unregister_item(key: str) -> None:
    _items.pop(key, None)
    _changed()


def unregister_group(key: str) -> None:
    _groups.pop(key, None)
    for item_key in [k for k, item in _items.items() if item.group == key]:
        del _items[item_key]
    _changed()


_MISSING = object()


def request_memo(request: HttpRequest, key: str, compute: Callable[[], object]):
    """Return ``compute()``, computed at most once per request under ``key``."""
    memo = request.__dict__.setdefault("_menu_memo", {})
    value = memo.get(key, _MISSING)
    if value is _MISSING:
        value = memo[key] = compute()
    return value


def request_permissions(request: HttpRequest) -> frozenset[str]:
    """Return the user's permissions, read once per request."""
    return request_memo(request, "permissions", lambda: frozenset(request.user.get_all_permissions()))


def request_has_perm(request: HttpRequest, perm: str) -> bool:
    user = request.user
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return perm in request_permissions(request)


def _is_visible(item: MenuItem, request: HttpRequest) -> bool:
    if item.visible is None:
        return True
    if isinstance(item.visible, str):
        return request_has_perm(request, item.visible)
    return bool(item.visible(request))


def _matches(url: str, path: str) -> bool:
    # The site root would prefix every page; it is active only on itself.
    if url == path:
        return True
    return url.endswith("/") and url != get_script_prefix() and path.startswith(url)


# Menu addresses per URLconf and script prefix: reversed once per process, not ~20 times a page.
_urls: dict[tuple[str, str, str], str] = {}


def _url(name: str) -> str:
    key = (name, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(name)
    return url


@functools.lru_cache(maxsize=4)
def _sorted_registry(revision: int) -> tuple[list[MenuItem], list[MenuGroup]]:
    """The registered items and groups in menu order, sorted once per registry revision."""
    return (
        sorted(_items.values(), key=lambda i: (i.order, i.key)),
        sorted(_groups.values(), key=lambda g: (g.order, g.key)),
    )


def _build(request: HttpRequest) -> list[ShownGroup]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    visible: dict[str, list[tuple[MenuItem, str]]] = {}
    items, groups = _sorted_registry(_revision)
    for item in items:
        if item.group in _groups and _is_visible(item, request):
            visible.setdefault(item.group, []).append((item, _url(item.url_name)))
    # One active entry: the one whose address is the longest prefix of the current path.
    candidates = [url for entries in visible.values() for _item, url in entries if _matches(url, request.path)]
    active_url = max(candidates, key=len, default=None)
    shown = []
    for group in groups:
        entries = visible.get(group.key)
        if not entries:
            continue
        items = [
            ShownItem(item=item, url=url, active=url == active_url, badge=item.badge(request) if item.badge else None)
            for item, url in entries
        ]
        shown.append(ShownGroup(group=group, items=items))
    return shown


def menu_for(request: HttpRequest) -> list[ShownGroup]:
    """Return the menu groups ``request.user`` may see, in order, each with its visible items.

    A group with no visible item is left out. Computed once per request.
    """
    return request_memo(request, "menu", lambda: _build(request))


def menu_signature(request: HttpRequest) -> tuple:
    """Everything the sidebar shows of :func:`menu_for`, in the active language: equal signatures
    render the same sidebar, so its HTML can be reused (``templates/includes/sidebar.html``).

    A group's and an entry's label and icon are fixed when they are registered, so the language, the
    registry's revision and their keys stand for them (no translation is looked up for the key)."""
    return (
        get_language(),
        _revision,
        tuple(
            (entry.group.key, tuple((shown.item.key, shown.url, shown.active, shown.badge) for shown in entry.items))
            for entry in menu_for(request)
        ),
    )
