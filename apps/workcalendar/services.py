import chinese_calendar
from chinese_calendar import constants as statutory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import CalendarOverride, CalendarYear, StatutoryDay

SOURCE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


def statutory_years_available() -> list[int]:
    return sorted({day.year for day in statutory.holidays} | {day.year for day in statutory.workdays})


@transaction.atomic
def calendar_load_year(*, year: int) -> int:
    """Load the state calendar's holidays and make-up working days for ``year``; return how many.

    A year the package does not cover raises ``ValidationError`` with a message for the admin.
    """
    if year not in statutory_years_available():
        available = statutory_years_available()
        raise ValidationError(
            _(
                "The state calendar for %(year)s is not available in the installed chinesecalendar package "
                "(it covers %(first)s–%(last)s). Until it is, working days in %(year)s follow Monday–Friday "
                "plus the company overrides: enter the holidays as overrides or upgrade the package."
            )
            % {"year": year, "first": available[0], "last": available[-1]},
            code="year_not_covered",
        )
    rows = [(day, False, name) for day, name in statutory.holidays.items() if day.year == year]
    rows += [(day, True, name) for day, name in statutory.workdays.items() if day.year == year]
    StatutoryDay.objects.filter(date__year=year).delete()
    StatutoryDay.objects.bulk_create(
        [StatutoryDay(date=day, is_working=working, name=name) for day, working, name in rows]
    )
    CalendarYear.objects.update_or_create(year=year, defaults={"source": SOURCE})
    return len(rows)


@transaction.atomic
def calendar_override_set(*, actor, date, is_working: bool, reason: str) -> CalendarOverride:
    if not actor.has_perm("workcalendar.add_calendaroverride"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give a reason for the change."), code="reason_required")
    override, _created = CalendarOverride.objects.update_or_create(
        date=date, defaults={"is_working": is_working, "reason": reason.strip(), "created_by": actor}
    )
    return override


def calendar_check_coverage(*, today) -> list[int]:
    """Load this year and next if the package has them; tell the admins about years it lacks.

    Return the years still missing. Safe to run daily: each admin hears once per missing year.
    """
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from apps.notifications.services import notification_send

    from .calendar import years_not_loaded

    missing = []
    for year in years_not_loaded([today.year, today.year + 1]):
        try:
            calendar_load_year(year=year)
        except ValidationError:
            missing.append(year)
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
    for year in missing:
        for admin_user in admins:
            notification_send(
                recipient=admin_user,
                title=gettext_lazy("The state holiday calendar for %(year)s is missing"),
                body=gettext_lazy(
                    "Working days in %(year)s follow Monday–Friday until the holidays are entered as company "
                    "overrides or the chinesecalendar package is upgraded and the year loaded "
                    "(manage.py calendar_load --year %(year)s)."
                ),
                params={"year": year},
                url=reverse("admin:workcalendar_calendaroverride_changelist"),
                dedupe_key=f"calendar-missing:{year}",
            )
    return missing
