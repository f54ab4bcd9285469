"""The dashboard's one registration point: each app adds its panels in ``AppConfig.ready``.

A panel is a template and a function that returns its context for the request, or ``None``
when the panel has nothing to show to that person.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    """``cache_keys(request)``, when given, names the cache keys ``get_context`` will read: the
    dashboard reads every panel's keys in one round trip (``apps.core.cache_keys.prefetched``)."""

    key: str
    template: str
    get_context: Callable[..., dict | None]
    order: int = 100
    cache_keys: Callable[..., Iterable[str]] | None = None


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def dashboard_cache_keys(request) -> list[str]:
    """The cache keys the registered panels will read for ``request``."""
    keys: list[str] = []
    for panel in _panels.values():
        if panel.cache_keys is not None:
            keys.extend(panel.cache_keys(request))
    return keys


def dashboard_panels(request) -> list[tuple[Panel, dict]]:
    """Return the panels to render for ``request``, in order, each with its context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.get_context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
