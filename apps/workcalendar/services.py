import chinese_calendar
from chinese_calendar import constants as statutory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core import cache_keys

from .importing import CalendarDay
from .models import CalendarOverride, CalendarYear, StatutoryDay
from .selectors import CalendarPreview, DayChange, calendar_import_preview

SOURCE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
IMPORT_PERMISSION = "workcalendar.import_calendar"


def statutory_years_available() -> list[int]:
    return sorted({day.year for day in statutory.holidays} | {day.year for day in statutory.workdays})


def package_days(*, year: int) -> list[CalendarDay]:
    """Return the installed chinesecalendar package's days for ``year``; refuse a year it lacks."""
    if year not in statutory_years_available():
        available = statutory_years_available()
        raise ValidationError(
            _(
                "The state calendar for %(year)s is not available in the installed chinesecalendar package "
                "(it covers %(first)s–%(last)s). Until it is, working days in %(year)s follow Monday–Friday "
                "plus the company overrides: import the year from a file or upgrade the package."
            )
            % {"year": year, "first": available[0], "last": available[-1]},
            code="year_not_covered",
        )
    rows = [CalendarDay(day, False, name) for day, name in statutory.holidays.items() if day.year == year]
    rows += [CalendarDay(day, True, name) for day, name in statutory.workdays.items() if day.year == year]
    return sorted(rows, key=lambda row: row.date)


def _lock_year(year: int) -> CalendarYear | None:
    return CalendarYear.objects.select_for_update().filter(year=year).first()


def _write_year(*, preview: CalendarPreview, source_kind: str, source: str, actor) -> None:
    """Make the stored statutory days of the year equal ``preview.days``; overrides are another table."""
    replaced = [change.date for change in preview.changes if change.action != DayChange.ADDED]
    try:
        # A year not loaded before has no row to lock: two loads at once meet at the unique date.
        with transaction.atomic():
            StatutoryDay.objects.filter(date__in=replaced).delete()
            StatutoryDay.objects.bulk_create(
                [
                    StatutoryDay(date=change.new.date, is_working=change.new.is_working, name=change.new.name)
                    for change in preview.changes
                    if change.new is not None
                ]
            )
            CalendarYear.objects.update_or_create(
                year=preview.year, defaults={"source_kind": source_kind, "source": source, "loaded_by": actor}
            )
            # bulk_create sends no signals.
            cache_keys.calendar_changed()
    except IntegrityError:
        raise ValidationError(
            _("The calendar of %(year)s was being loaded at the same time. Try again.") % {"year": preview.year},
            code="calendar_changed",
        ) from None


@transaction.atomic
def calendar_load_year(*, year: int, force: bool = False, actor=None) -> int:
    """Load the state calendar's holidays and make-up working days for ``year``; return how many."""
    return len(calendar_load_year_from_package(year=year, force=force, actor=actor).days)


@transaction.atomic
def calendar_load_year_from_package(*, year: int, force: bool = False, actor=None) -> CalendarPreview:
    """Load ``year`` from the chinesecalendar package; return what changed and which filed requests it touches.

    A year the package does not cover raises ``ValidationError`` with a message for the admin.
    A year imported from a file is only replaced with ``force``: a package upgrade must not
    silently undo what an admin loaded by hand.
    """
    days = package_days(year=year)
    current = _lock_year(year)
    if current is not None and current.is_file_import and not force:
        raise ValidationError(
            _(
                "%(year)s was imported from the file “%(file)s”. Loading it from the chinesecalendar "
                "package would replace that import; do so only on purpose (manage.py calendar_load "
                "--year %(year)s --force, or the admin action that replaces a file import)."
            )
            % {"year": year, "file": current.source},
            code="imported_from_file",
        )
    preview = calendar_import_preview(year=year, days=days)
    _write_year(preview=preview, source_kind=CalendarYear.SourceKind.PACKAGE, source=SOURCE, actor=actor)
    return preview


@transaction.atomic
def calendar_import_year(
    *, actor, year: int, days: list[CalendarDay], file_name: str, fingerprint: str | None = None
) -> CalendarPreview:
    """Make ``days`` (read from the file ``file_name``) the state calendar of ``year``.

    Company overrides are not touched and keep winning. Filed leave and notices are not
    recomputed: the returned preview lists those whose length changes, for the admin to act on.
    With ``fingerprint`` (from the preview the admin confirmed) a calendar changed meanwhile
    is refused rather than overwritten unseen. ``actor`` is ``None`` only for the shell command.
    """
    if actor is not None and not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    if not days:
        raise ValidationError(_("There are no days to load."), code="no_days")
    if any(day.date.year != year for day in days):
        raise ValidationError(_("Every day must lie in %(year)s.") % {"year": year}, code="outside_year")
    _lock_year(year)
    preview = calendar_import_preview(year=year, days=days)
    if fingerprint is not None and fingerprint != preview.fingerprint:
        raise ValidationError(
            _("The calendar of %(year)s changed after the preview. Upload the file again to see the new preview.")
            % {"year": year},
            code="calendar_changed",
        )
    _write_year(preview=preview, source_kind=CalendarYear.SourceKind.FILE, source=file_name, actor=actor)
    return preview


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
    """Load this year and next if the package has them and they are not loaded; tell the admins about years it lacks.

    A year already loaded (from the package or from a file) is left alone. Return the years
    still missing. Safe to run daily: each admin hears once per missing year.
    """
    from django.utils.translation import gettext_lazy

    from .calendar import years_not_loaded

    missing = []
    for year in years_not_loaded([today.year, today.year + 1]):
        try:
            preview = calendar_load_year_from_package(year=year)
        except ValidationError:
            missing.append(year)
        else:
            if preview.affected:
                _notify_affected(preview=preview)
    for year in missing:
        _notify_calendar_admins(
            year=year,
            title=gettext_lazy("The state holiday calendar for %(year)s is missing"),
            dedupe_key=f"calendar-missing:{year}",
        )
    return missing


def calendar_remind_next_year(*, today) -> int | None:
    """Remind the calendar admins of a year due but not loaded (next year from 1 November); return it.

    Meant to run weekly; a second run in the same ISO week sends nothing.
    """
    from django.utils.translation import gettext_lazy

    from .calendar import calendar_year_due_missing

    year = calendar_year_due_missing(today=today)
    if year is None:
        return None
    iso_year, week, _weekday = today.isocalendar()
    _notify_calendar_admins(
        year=year,
        title=gettext_lazy("Reminder: load the holiday calendar for %(year)s"),
        dedupe_key=f"calendar-reminder:{year}:{iso_year}-W{week:02d}",
    )
    return year


def _notify_affected(*, preview: CalendarPreview) -> None:
    """Tell the calendar admins which filed requests an automatic load changed; nothing is recomputed."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from apps.notifications.services import notification_send

    from .selectors import calendar_admins

    for admin_user in calendar_admins():
        # One line per request, its dates as the recipient's UI shows them.
        with translation.override(admin_user.language):
            lines = "\n".join(
                _(
                    "%(kind)s #%(pk)s %(person)s, %(what)s, %(start)s – %(end)s (%(status)s): "
                    "%(old_days)s → %(new_days)s"
                )
                % {
                    **row.as_dict(),
                    "start": date_format(row.start_date, "DATE_FORMAT"),
                    "end": date_format(row.end_date, "DATE_FORMAT"),
                }
                for row in preview.affected
            )
        notification_send(
            recipient=admin_user,
            title=gettext_lazy("Loading the holiday calendar for %(year)s changed the length of filed requests"),
            body=gettext_lazy(
                "These leave requests and field-work notices were filed before %(year)s was loaded. Their stored "
                "lengths were not changed; check each with the person concerned (working days before → with "
                "the calendar):\n%(lines)s"
            ),
            params={"year": preview.year, "lines": lines},
            url=reverse("admin:workcalendar_calendaryear_changelist"),
            dedupe_key=f"calendar-affected:{preview.year}",
        )


def _notify_calendar_admins(*, year: int, title, dedupe_key: str) -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from apps.notifications.services import notification_send

    from .selectors import calendar_admins

    for admin_user in calendar_admins():
        notification_send(
            recipient=admin_user,
            title=title,
            body=gettext_lazy(
                "Working days in %(year)s follow Monday–Friday until its statutory holidays and make-up working "
                "days are loaded. When the State Council publishes them, import them from an iCalendar or CSV "
                "file (admin: Calendar years → Import a year from a file, or manage.py calendar_load --year "
                "%(year)s --file …), or upgrade the chinesecalendar package once it covers %(year)s."
            ),
            params={"year": year},
            url=reverse("admin:workcalendar_calendaryear_import"),
            dedupe_key=dedupe_key,
        )
