"""Read a year's statutory holidays and make-up working days from an iCalendar or CSV file.

Nothing here touches the database: a file becomes a list of ``CalendarDay`` or a
``ValidationError`` whose messages say, row by row, what is wrong.

CSV: one day per row, columns ``date, kind, name``; an optional first row of headings
(``date``/``日期``). ``kind`` is ``holiday`` or ``workday``, or 休 / 班 (also 假, 休息日, 节假日 /
上班, 补班, 工作日).
Dates as ``2031-02-03`` or ``2031/2/3``. Blank rows and rows starting with ``#`` are skipped.
UTF-8 with or without BOM; GBK (what Excel in a Chinese locale saves) is the fallback.

iCalendar (UTF-8): every VEVENT must be an all-day event. It covers DTSTART up to, not
including, DTEND (or DURATION); without either, the single day of DTSTART (RFC 5545 §3.6.1).
Its days are make-up working days when

1. a CATEGORIES value is ``workday``/``working day``/``补班``/``上班``/``班``, or else
2. the SUMMARY contains 补班, 上班 or 调休, or ends with 班 in brackets ("春节（班）"),
   or contains ``workday``/``working day``/``make-up``;

otherwise they are holidays (a CATEGORIES value ``holiday``/``休``/``假`` says so explicitly and
beats the summary). SUMMARY is the day's name. Timed events and repeating events (RRULE,
RDATE) are refused, because a state holiday is a set of whole days that differs every year.
"""

import csv
import datetime
import io
import os
import re
from dataclasses import dataclass

import icalendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 256 * 1024
NAME_MAX_LENGTH = 100
# Listing every problem of a hopeless file helps nobody; the first ones show what is wrong.
MAX_ERRORS = 30

HOLIDAY_WORDS = {"holiday", "休", "假", "休息", "休息日", "放假", "节假日"}
WORKDAY_WORDS = {"workday", "working day", "work day", "班", "上班", "补班", "调休上班", "工作日"}
_SUMMARY_WORKDAY = re.compile(r"补班|上班|调休|[(（]\s*班\s*[)）]\s*$|workday|working day|make-up", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarDay:
    """One day the state calendar sets apart from the Monday–Friday rule."""

    date: datetime.date
    is_working: bool
    name: str = ""


def clean_file_name(name: str) -> str:
    """Return the base name of an uploaded file, without control characters, at most 200 characters."""
    base = os.path.basename(str(name).replace("\\", "/"))
    return _CONTROL.sub("", base).strip()[:200] or "calendar"


def parse_calendar_file(*, content: bytes, file_name: str, year: int) -> list[CalendarDay]:
    """Return the days of ``year`` in an iCalendar or CSV file, sorted by date.

    Raise ``ValidationError`` (one message per problem) for a file that is too big, not text,
    not valid, has dates outside ``year``, or gives one date two different kinds.
    """
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is too big (%(size)s KB); a year's calendar fits in %(max)s KB.")
            % {"size": len(content) // 1024, "max": MAX_FILE_BYTES // 1024},
            code="file_too_big",
        )
    if not content.strip():
        raise ValidationError(_("The file is empty."), code="file_empty")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content:
        raise ValidationError(
            _("The file is not plain text (UTF-16 or binary). Save it as UTF-8 text (CSV UTF-8 or .ics)."),
            code="not_text",
        )
    looks_like_ics = content.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR")
    if looks_like_ics or file_name.lower().endswith(".ics"):
        days = _parse_ics(content, year)
    else:
        days = _parse_csv(content, year)
    if not days:
        raise ValidationError(
            _("The file holds no holidays or make-up working days for %(year)s.") % {"year": year}, code="no_days"
        )
    return days


def _decode(content: bytes, *, allow_gbk: bool) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not allow_gbk:
            raise ValidationError(
                _("The iCalendar file is not UTF-8 text, as iCalendar requires."), code="bad_encoding"
            ) from None
    try:
        return content.decode("gbk")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is neither UTF-8 nor GBK text. Save it as “CSV UTF-8”."), code="bad_encoding"
        ) from None


class _Collector:
    """Gather days and per-row errors; merge repeats of a date, refuse a date given two kinds."""

    def __init__(self, year: int):
        self.year = year
        self.days: dict[datetime.date, CalendarDay] = {}
        self.where: dict[datetime.date, str] = {}
        self.errors: list[ValidationError] = []

    def error(self, where: str, message: str, code: str) -> None:
        self.errors.append(
            ValidationError(_("%(where)s: %(message)s") % {"where": where, "message": message}, code=code)
        )

    def add(self, where: str, day: datetime.date, is_working: bool, name: str) -> None:
        if day.year != self.year:
            self.error(
                where,
                _("%(date)s is not in %(year)s. Load each year with its own file.")
                % {"date": day.isoformat(), "year": self.year},
                "outside_year",
            )
            return
        if len(name) > NAME_MAX_LENGTH:
            self.error(
                where, _("the name is longer than %(max)s characters.") % {"max": NAME_MAX_LENGTH}, "name_too_long"
            )
            return
        known = self.days.get(day)
        if known is None:
            self.days[day] = CalendarDay(date=day, is_working=is_working, name=name)
            self.where[day] = where
        elif known.is_working != is_working:
            self.error(
                where,
                _("%(date)s is already given as %(kind)s in %(other)s.")
                % {"date": day.isoformat(), "kind": kind_label(known.is_working), "other": self.where[day]},
                "conflicting_day",
            )

    def result(self) -> list[CalendarDay]:
        if self.errors:
            shown = self.errors[:MAX_ERRORS]
            if len(self.errors) > MAX_ERRORS:
                shown.append(
                    ValidationError(
                        _("… and %(count)s more problems.") % {"count": len(self.errors) - MAX_ERRORS},
                        code="more_errors",
                    )
                )
            raise ValidationError(shown)
        return sorted(self.days.values(), key=lambda d: d.date)


def kind_label(is_working: bool) -> str:
    return _("make-up working day") if is_working else _("holiday")


def _parse_kind(value: str) -> bool | None:
    word = value.strip().lower()
    if word in WORKDAY_WORDS:
        return True
    if word in HOLIDAY_WORDS:
        return False
    return None


def _parse_date(value: str) -> datetime.date | None:
    match = _DATE.match(value)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _parse_csv(content: bytes, year: int) -> list[CalendarDay]:
    text = _decode(content, allow_gbk=True)
    collector = _Collector(year)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ValidationError(_("The CSV file cannot be read: %(error)s") % {"error": exc}, code="bad_csv") from None
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() in {"date", "日期"}:
            continue
        where = _("Row %(number)s") % {"number": number}
        if len(cells) < 2:
            collector.error(where, _("expected the columns date, kind, name."), "bad_row")
            continue
        day = _parse_date(cells[0])
        if day is None:
            collector.error(
                where, _("“%(value)s” is not a date like 2031-02-03.") % {"value": cells[0][:40]}, "bad_date"
            )
            continue
        is_working = _parse_kind(cells[1])
        if is_working is None:
            collector.error(
                where,
                _("“%(value)s” is not a kind: write holiday or workday (休 or 班).") % {"value": cells[1][:40]},
                "bad_kind",
            )
            continue
        collector.add(where, day, is_working, cells[2] if len(cells) > 2 else "")
    return collector.result()


def _event_is_working(event, summary: str) -> bool:
    for category in event.categories:
        kind = _parse_kind(str(category))
        if kind is not None:
            return kind
    return bool(_SUMMARY_WORKDAY.search(summary))


def _parse_ics(content: bytes, year: int) -> list[CalendarDay]:
    text = _decode(content, allow_gbk=False)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, TypeError, KeyError, IndexError):
        raise ValidationError(_("The file is not a valid iCalendar (.ics) file."), code="bad_ics") from None
    collector = _Collector(year)
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = _CONTROL.sub(" ", str(event.get("SUMMARY", ""))).strip()
        where = _("Event %(number)s (%(summary)s)") % {"number": number, "summary": summary[:40] or "—"}
        if "RRULE" in event or "RDATE" in event:
            collector.error(where, _("repeating events are not accepted; list each day."), "repeating_event")
            continue
        try:
            start, end = event.start, event.end
        except (ValueError, TypeError, KeyError):
            collector.error(where, _("it has no valid start date (DTSTART)."), "bad_event_date")
            continue
        if isinstance(start, datetime.datetime) or isinstance(end, datetime.datetime):
            collector.error(where, _("it is not an all-day event."), "timed_event")
            continue
        if end <= start:
            collector.error(where, _("its end is not after its start."), "bad_event_date")
            continue
        if (end - start).days > 366:
            collector.error(where, _("it spans more than a year."), "bad_event_date")
            continue
        is_working = _event_is_working(event, summary)
        day = start
        while day < end:
            collector.add(where, day, is_working, summary)
            day += datetime.timedelta(days=1)
    return collector.result()
