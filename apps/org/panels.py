import datetime

from django.utils import timezone

from apps.core.dashboard import Panel, register_panel
from apps.core.menu import request_memo
from apps.leave.menus import approvals_waiting, heads_a_department
from apps.workcalendar.calendar import calendar_cache_keys, calendar_for

from .dashboard_cache import dashboard_cached, dashboard_cached_keys
from .permissions import can_assign_task
from .selectors import (
    WEEK_AHEAD_DAYS,
    active_departments_cache_keys,
    departments_headed_by,
    task_open_for_owner,
    today_board,
)

MY_TASKS_SHOWN = 10


def week_calendar(request):
    """Return the working calendar of today and the week ahead, read once per request for every panel."""

    def compute():
        today = timezone.localdate()
        return calendar_for(today, today + datetime.timedelta(days=WEEK_AHEAD_DAYS))

    return request_memo(request, "org.week_calendar", compute)


def _board(request):
    """Return the head's today board, built once per request for the panels that show parts of it."""

    def compute():
        # The approver roles the sidebar reads anyway; people who head nothing see no board.
        if not heads_a_department(request):
            return None
        departments = departments_headed_by(user=request.user)
        if not departments:
            return None
        return today_board(departments=departments, today=timezone.localdate(), calendar=week_calendar(request))

    return request_memo(request, "org.today_board", compute)


def board_for(request):
    """The today board of ``request.user`` if they head a department, else ``None`` (once per request)."""
    return _board(request)


def _department_today(request):
    board = _board(request)
    if board is None:
        return None
    return {"board": board}


def _attention(request):
    board = _board(request)
    if board is None:
        return None
    return {"board": board, "waiting": approvals_waiting(request)}


def _week_ahead(request):
    board = _board(request)
    if board is None:
        return None
    return {"board": board}


def _my_tasks(request):
    user = request.user
    today = timezone.localdate()
    tasks = dashboard_cached(
        "tasks",
        user.pk,
        today,
        lambda: list(task_open_for_owner(user=user).select_related(None).only("title", "due_date")[:MY_TASKS_SHOWN]),
    )
    return {"tasks": tasks, "can_assign": can_assign_task(user=user), "today": today}


def _board_keys(request) -> list[str]:
    """The departments and the week's calendar; the board's own rows are keyed by the departments."""
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=WEEK_AHEAD_DAYS)
    return [*active_departments_cache_keys(), *calendar_cache_keys(today, week_end)]


def _my_tasks_keys(request) -> list[str]:
    return dashboard_cached_keys("tasks", request.user.pk, timezone.localdate())


def register() -> None:
    register_panel(
        Panel(
            key="org.department_today",
            template="org/panels/department_today.html",
            get_context=_department_today,
            order=12,
            cache_keys=_board_keys,
        )
    )
    register_panel(Panel(key="org.attention", template="org/panels/attention.html", get_context=_attention, order=14))
    register_panel(
        Panel(key="org.week_ahead", template="org/panels/week_ahead.html", get_context=_week_ahead, order=16)
    )
    register_panel(
        Panel(
            key="org.my_tasks",
            template="org/panels/my_tasks.html",
            get_context=_my_tasks,
            order=50,
            cache_keys=_my_tasks_keys,
        )
    )
