"""The one place that counts working days (R-ATT-07). Nothing else counts days its own way.

Order of precedence for a date: company override, then the state calendar (holidays and
adjusted working weekends), then Monday–Friday.
"""

import copy
import datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core import cache_keys

from .models import HOLIDAY_NAMES, CalendarOverride, CalendarYear, StatutoryDay

HALF = Decimal("0.5")
ONE = Decimal("1")
# How far back previous_working_day() looks before giving up (the longest break is ~9 days).
_MAX_LOOKBACK_DAYS = 60
# How long a cached year may be reused without a signalled change (writes that bypass the models'
# signals and services, such as raw SQL, show within this).
CALENDAR_TTL = 60 * 60


class Half:
    """Which half of a day a leave period starts or ends on."""

    MORNING = "am"
    AFTERNOON = "pm"
    VALUES = (MORNING, AFTERNOON)


class WorkingCalendar:
    """Answers working-day questions for a date range from the cached years (see :func:`_days_of_years`)."""

    def __init__(self, start: datetime.date, end: datetime.date):
        if end < start:
            start, end = end, start
        self.start = start - datetime.timedelta(days=_MAX_LOOKBACK_DAYS)
        self.end = end
        self._overrides, self._statutory = _days_of_years(range(self.start.year, self.end.year + 1))

    def with_statutory_year(self, year: int, days) -> "WorkingCalendar":
        """Return a copy that answers as if ``year``'s state calendar were ``days`` (``CalendarDay`` rows).

        Company overrides still win. Used to preview an import before anything is written.
        """
        other = copy.copy(self)
        other._statutory = {day: row for day, row in self._statutory.items() if day.year != year}
        for day in days:
            if self.start <= day.date <= self.end:
                other._statutory[day.date] = {"date": day.date, "is_working": day.is_working, "name": day.name}
        return other

    def override_reason(self, day: datetime.date) -> str | None:
        """Return the reason of the company override that decides ``day``, or ``None``."""
        override = self._overrides.get(day)
        return None if override is None else override["reason"]

    def _check_range(self, day: datetime.date) -> None:
        if not (self.start <= day <= self.end):
            raise ValueError(f"{day} is outside this calendar's range {self.start}..{self.end}")

    def is_working_day(self, day: datetime.date) -> bool:
        self._check_range(day)
        if day in self._overrides:
            return self._overrides[day]["is_working"]
        if day in self._statutory:
            return self._statutory[day]["is_working"]
        return day.weekday() < 5

    def holiday_name(self, day: datetime.date) -> str:
        """The name of the day off (a company override's reason wins), or "" on a working day."""
        override = self._overrides.get(day)
        if override is not None:
            return "" if override["is_working"] else override["reason"]
        row = self._statutory.get(day)
        if not row or row["is_working"]:
            return ""
        # Stored in English as the chinesecalendar package names it; shown in the active language.
        return str(HOLIDAY_NAMES.get(row["name"], row["name"]))

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        candidate = day - datetime.timedelta(days=1)
        while candidate >= self.start:
            if self.is_working_day(candidate):
                return candidate
            candidate -= datetime.timedelta(days=1)
        raise ValidationError(_("No working day found before %(date)s.") % {"date": day}, code="no_working_day")

    def working_days(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        days = []
        current = start
        while current <= end:
            if self.is_working_day(current):
                days.append(current)
            current += datetime.timedelta(days=1)
        return days

    def count(
        self,
        start: datetime.date,
        end: datetime.date,
        start_half: str = Half.MORNING,
        end_half: str = Half.AFTERNOON,
    ) -> Decimal:
        """Return the working days from ``start`` to ``end``, half days counted as 0.5.

        ``start_half`` is the half the period starts in (afternoon = first morning not taken);
        ``end_half`` the half it ends in (morning = last afternoon not taken).
        """
        validate_period(start, end, start_half, end_half)
        total = Decimal(0)
        for day in self.working_days(start, end):
            value = ONE
            if day == start and start_half == Half.AFTERNOON:
                value -= HALF
            if day == end and end_half == Half.MORNING:
                value -= HALF
            total += value
        return total


def _read_years(years: list[int]) -> dict[int, tuple[dict, dict]]:
    """Read the overrides and statutory days of ``years`` from the database (two queries)."""
    result: dict[int, tuple[dict, dict]] = {year: ({}, {}) for year in years}
    first, last = datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)
    for row in CalendarOverride.objects.filter(date__range=(first, last)).values("date", "is_working", "reason"):
        if row["date"].year in result:
            result[row["date"].year][0][row["date"]] = row
    for row in StatutoryDay.objects.filter(date__range=(first, last)).values("date", "is_working", "name"):
        if row["date"].year in result:
            result[row["date"].year][1][row["date"]] = row
    return result


def calendar_cache_keys(start: datetime.date, end: datetime.date) -> list[str]:
    """What ``calendar_for(start, end)`` reads from the cache (to read ahead with ``cache_keys.prefetched``)."""
    first = min(start, end) - datetime.timedelta(days=_MAX_LOOKBACK_DAYS)
    years = range(first.year, max(start, end).year + 1)
    return [*(cache_keys.calendar_year_key(year) for year in years), *cache_keys.calendar_version_keys()]


def _days_of_years(years) -> tuple[dict, dict]:
    """Return (overrides, statutory days) by date for ``years``, from the cache when the stamp still matches.

    One cache round trip; the years not cached (or cached under an older stamp) are read in two
    queries and stored. The stamp is replaced whenever a day is saved, deleted or imported.
    """
    years = list(years)
    keys = {year: cache_keys.calendar_year_key(year) for year in years}
    (version_key,) = cache_keys.calendar_version_keys()
    found = cache_keys.get_many([*keys.values(), version_key])
    version = found.get(version_key)
    by_year: dict[int, tuple[dict, dict]] = {}
    for year, key in keys.items():
        entry = found.get(key)
        if isinstance(entry, dict) and entry.get("version") == version:
            by_year[year] = entry["days"]
    missing = [year for year in years if year not in by_year]
    if missing:
        read = _read_years(missing)
        cache.set_many(
            {keys[year]: {"version": version, "days": days} for year, days in read.items()}, timeout=CALENDAR_TTL
        )
        by_year.update(read)
    overrides: dict = {}
    statutory_days: dict = {}
    for year in years:
        overrides.update(by_year[year][0])
        statutory_days.update(by_year[year][1])
    return overrides, statutory_days


def validate_period(start: datetime.date, end: datetime.date, start_half: str, end_half: str) -> None:
    """Raise ``ValidationError`` for an end before the start or an impossible pair of halves."""
    if start_half not in Half.VALUES or end_half not in Half.VALUES:
        raise ValidationError(_("Choose morning or afternoon."), code="invalid_half")
    if end < start:
        raise ValidationError(_("The end date cannot be before the start date."), code="end_before_start")
    if start == end and start_half == Half.AFTERNOON and end_half == Half.MORNING:
        raise ValidationError(
            _("A one-day period cannot start in the afternoon and end in the morning."), code="impossible_halves"
        )


def calendar_for(start: datetime.date, end: datetime.date | None = None) -> WorkingCalendar:
    return WorkingCalendar(start, end or start)


def is_working_day(day: datetime.date) -> bool:
    return calendar_for(day).is_working_day(day)


def previous_working_day(day: datetime.date) -> datetime.date:
    return calendar_for(day).previous_working_day(day)


def count_working_days(
    start: datetime.date, end: datetime.date, start_half: str = Half.MORNING, end_half: str = Half.AFTERNOON
) -> Decimal:
    validate_period(start, end, start_half, end_half)
    return calendar_for(start, end).count(start, end, start_half, end_half)


def years_not_loaded(years) -> list[int]:
    """Return the years among ``years`` whose state calendar has not been loaded."""
    loaded = set(CalendarYear.objects.filter(year__in=list(years)).values_list("year", flat=True))
    return sorted(set(years) - loaded)


# From this month on, next year's state calendar should be loaded (it is usually published in the autumn).
NEXT_YEAR_DUE_MONTH = 11


def calendar_year_due_missing(*, today: datetime.date) -> int | None:
    """Return the year the admins must load now, or ``None``.

    This year whenever it is missing; next year too from 1 November.
    """
    years = [today.year]
    if today.month >= NEXT_YEAR_DUE_MONTH:
        years.append(today.year + 1)
    missing = years_not_loaded(years)
    return missing[0] if missing else None
