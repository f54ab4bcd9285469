from django.utils import timezone

from apps.core.dashboard import Panel, register_panel
from apps.org.dashboard_cache import dashboard_cached, dashboard_cached_keys
from apps.org.selectors import NAME_FIELDS, leave_balances, leave_next_of

from .menus import approvals_waiting, heads_a_department
from .selectors import handovers_to

HANDOVERS_SHOWN = 5


def _facts(*, user, today) -> dict:
    """The person's balances, next leave and handovers: four queries, cached until leave or a name changes."""
    return {
        "balances": leave_balances(user=user, today=today),
        "next_leave": leave_next_of(user=user, today=today),
        "handovers": list(
            handovers_to(user=user)
            .filter(end_date__gte=today)
            .select_related(None)
            .select_related("user")
            .only("start_date", "user_id", *(f"user__{name}" for name in NAME_FIELDS))[:HANDOVERS_SHOWN]
        ),
    }


def _leave(request):
    user = request.user
    today = timezone.localdate()
    return {
        "today": today,
        **dashboard_cached("leave", user.pk, today, lambda: _facts(user=user, today=today)),
        # Heads see the count on their board; anyone else a request is routed to (an acting approver) here.
        "waiting": 0 if heads_a_department(request) else approvals_waiting(request),
    }


def _leave_keys(request) -> list[str]:
    return dashboard_cached_keys("leave", request.user.pk, timezone.localdate())


def register() -> None:
    register_panel(
        Panel(
            key="leave.overview",
            template="leave/panels/overview.html",
            get_context=_leave,
            order=30,
            cache_keys=_leave_keys,
        )
    )
