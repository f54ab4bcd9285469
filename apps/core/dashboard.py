"""The dashboard's one registration point: each app adds its panels in ``AppConfig.ready``.

A panel is a template and a function that returns its context for the request, or ``None``
when the panel has nothing to show to that person.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    get_context: Callable[..., dict | None]
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def dashboard_panels(request) -> list[tuple[Panel, dict]]:
    """Return the panels to render for ``request``, in order, each with its context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.get_context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
