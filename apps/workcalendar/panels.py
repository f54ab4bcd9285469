from django.urls import reverse
from django.utils import timezone

from apps.core.dashboard import Panel, register_panel

from .calendar import calendar_year_due_missing
from .services import IMPORT_PERMISSION


def _calendar_missing(request):
    user = request.user
    if not (user.is_superuser or user.has_perm(IMPORT_PERMISSION)):
        return None
    year = calendar_year_due_missing(today=timezone.localdate())
    if year is None:
        return None
    return {"year": year, "import_url": reverse("admin:workcalendar_calendaryear_import")}


def register() -> None:
    register_panel(
        Panel(
            key="workcalendar.calendar_missing",
            template="workcalendar/panels/calendar_missing.html",
            get_context=_calendar_missing,
            order=5,
        )
    )
