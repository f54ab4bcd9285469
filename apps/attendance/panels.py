from django.utils import timezone

from apps.core.dashboard import Panel, register_panel
from apps.org.panels import board_for, week_calendar

from .selectors import checkin_today


def _today(request):
    if request.user.attendance_exempt:
        return None  # nobody asks them to check in
    today = timezone.localdate()
    # A head on their own board has today's check-in read with it already.
    board = board_for(request)
    check_in = board.own_check_in(request.user) if board is not None else False
    if check_in is False:
        check_in = checkin_today(user=request.user, today=today)
    return {
        "today": today,
        "check_in": check_in,
        "is_working_day": week_calendar(request).is_working_day(today),
    }


def register() -> None:
    register_panel(Panel(key="attendance.today", template="attendance/panels/today.html", get_context=_today, order=20))
