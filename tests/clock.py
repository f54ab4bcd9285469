"""The test clock: fixed moments for tests whose outcome depends on the date, and the suite-wide clock.

Pin a module with ``pytestmark = at_working_morning`` (or ``pytest.mark.time_machine(moment, tick=False)``),
one test with the same marker, or move the clock inside a test with the ``time_machine`` fixture. Any of
these overrides the suite-wide clock that ``--now`` / ``TEST_NOW`` set (see ``tests/conftest.py``).
"""

import datetime
import zoneinfo

import chinese_calendar
import pytest
import time_machine

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# An ordinary working morning: Tuesday 1 December 2026, 10:00, after a working Monday, with working
# days ahead in a year the installed chinesecalendar covers.
WORKING_MORNING = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)

# Run a module (``pytestmark``) or a test at WORKING_MORNING; the clock ticks on from there, so rows
# written one after the other keep distinct timestamps.
at_working_morning = pytest.mark.time_machine(WORKING_MORNING)


class _SuiteClock:
    moment: datetime.datetime | None = None
    source: str = ""
    traveller: time_machine.travel | None = None


def parse_moment(value: str) -> datetime.datetime:
    """``2026-12-01T08:30`` (or with seconds, or a date alone) in Asia/Shanghai unless it carries an offset."""
    moment = datetime.datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def suite_clock_start(moment: datetime.datetime, *, source: str) -> None:
    """Set the clock of the whole process to ``moment``; it ticks on from there (waits and timeouts work)."""
    suite_clock_stop()
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    _SuiteClock.moment, _SuiteClock.source, _SuiteClock.traveller = moment, source, traveller


def suite_clock_stop() -> None:
    if _SuiteClock.traveller is not None:
        _SuiteClock.traveller.stop()
    _SuiteClock.moment, _SuiteClock.source, _SuiteClock.traveller = None, "", None


def suite_moment() -> datetime.datetime | None:
    """The moment the suite's clock was set to, or None when it runs at the real time."""
    return _SuiteClock.moment


def suite_clock_header() -> str:
    """One line for pytest's header: the moment the run starts at, its weekday and kind of day."""
    if _SuiteClock.moment is None:
        local = datetime.datetime.now(SHANGHAI)
        how = "real time (set another with --now=YYYY-MM-DDTHH:MM or TEST_NOW)"
    else:
        local = _SuiteClock.moment.astimezone(SHANGHAI)
        how = f"set by {_SuiteClock.source}, ticking"
    try:
        kind = "working day" if chinese_calendar.is_workday(local.date()) else "rest day"
    except NotImplementedError:
        kind = f"{local.year} not in chinesecalendar {chinese_calendar.__version__}"
    return f"clock: {local:%Y-%m-%d %H:%M} Asia/Shanghai, {local:%A}, {kind}; {how}"
