"""The dashboard's intelligence panels: latest reports, my alerts, and research deadlines.

Each panel is shown only to people holding ``intel.view_intelreport`` and reads only what their
clearance allows, in a fixed number of queries whatever the history.
"""

from django.utils import timezone

from apps.core.dashboard import Panel, register_panel

from .permissions import can_view_intel
from .selectors.follows import (
    DEADLINE_DAYS,
    deadline_ids_cache_keys,
    followed_ids_cache_keys,
    followed_new_counts,
    latest_reports_for,
    research_deadlines_for,
)


def _latest(request):
    if not can_view_intel(user=request.user):
        return None
    return {"reports": latest_reports_for(user=request.user)}


def _alerts(request):
    if not can_view_intel(user=request.user):
        return None
    return {"counts": followed_new_counts(user=request.user, today=timezone.localdate())}


def _deadlines(request):
    if not can_view_intel(user=request.user):
        return None
    today = timezone.localdate()
    plans = research_deadlines_for(user=request.user, today=today)
    if not plans:
        return None
    return {"plans": plans, "today": today, "days": DEADLINE_DAYS}


def _alerts_keys(request) -> list[str]:
    return followed_ids_cache_keys(request.user)


def _deadlines_keys(request) -> list[str]:
    return deadline_ids_cache_keys(request.user, timezone.localdate())


def register() -> None:
    """Register the intelligence panels of the dashboard."""
    register_panel(Panel(key="intel.latest", template="intel/panels/latest.html", get_context=_latest, order=60))
    register_panel(
        Panel(
            key="intel.alerts",
            template="intel/panels/alerts.html",
            get_context=_alerts,
            order=62,
            cache_keys=_alerts_keys,
        )
    )
    register_panel(
        Panel(
            key="intel.deadlines",
            template="intel/panels/deadlines.html",
            get_context=_deadlines,
            order=64,
            cache_keys=_deadlines_keys,
        )
    )
