from django.utils import timezone

from apps.core.dashboard import Panel, register_panel
from apps.org.panels import week_calendar

from .selectors import checkin_today


def _today(request):
    if request.user.attendance_exempt:
        return None  # nobody asks them to check in
    today = timezone.localdate()
    return {
        "today": today,
        "check_in": checkin_today(user=request.user, today=today),
        "is_working_day": week_calendar(request).is_working_day(today),
    }


def register() -> None:
    register_panel(Panel(key="attendance.today", template="attendance/panels/today.html", get_context=_today, order=20))
