from django.urls import reverse
from django.utils import timezone

from apps.core.dashboard import Panel, register_panel

from .calendar import NEXT_YEAR_DUE_MONTH, next_year_missing
from .services import IMPORT_PERMISSION


def _next_year_missing(request):
    today = timezone.localdate()
    # The date first: for eleven months of the year the panel costs no query at all.
    if today.month < NEXT_YEAR_DUE_MONTH:
        return None
    user = request.user
    if not (user.is_superuser or user.has_perm(IMPORT_PERMISSION)):
        return None
    year = next_year_missing(today=today)
    if year is None:
        return None
    return {"year": year, "import_url": reverse("admin:workcalendar_calendaryear_import")}


def register() -> None:
    register_panel(
        Panel(
            key="workcalendar.next_year_missing",
            template="workcalendar/panels/next_year_missing.html",
            get_context=_next_year_missing,
            order=5,
        )
    )
