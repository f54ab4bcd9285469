"""Fixed moments for tests whose outcome depends on the date.

Pin a module with ``pytestmark = pytest.mark.time_machine(WORKING_MORNING, tick=False)``, one test with
the same marker, or move the clock inside a test with the ``time_machine`` fixture. Any of these
overrides the suite-wide clock of ``--now`` / ``TEST_NOW`` (see ``tests/conftest.py``).
"""

import datetime
import zoneinfo

import pytest

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# An ordinary working morning: Tuesday 1 December 2026, 10:00, after a working Monday, with working
# days ahead in a year the installed chinesecalendar covers.
WORKING_MORNING = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)

# Run a module (``pytestmark``) or a test at WORKING_MORNING; the clock ticks on from there, so rows
# written one after the other keep distinct timestamps.
at_working_morning = pytest.mark.time_machine(WORKING_MORNING)
