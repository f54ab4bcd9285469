"""``--now`` / ``TEST_NOW`` run the whole suite, every xdist worker included, at a given moment."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from tests.clock import SHANGHAI, WORKING_MORNING, at_working_morning, parse_moment, suite_moment

ROOT = Path(__file__).resolve().parents[1]
HOLIDAY = datetime.datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI)


def test_the_clock_is_where_the_run_set_it():
    """At ``--now`` (ticking on from there) when the run was given one, else at the real time."""
    now = timezone.now()
    moment = suite_moment()
    if moment is None:
        hatch = time_machine.escape_hatch
        real = (
            hatch.datetime.datetime.now(datetime.UTC) if hatch.is_travelling() else datetime.datetime.now(datetime.UTC)
        )
        assert abs(now - real) < datetime.timedelta(minutes=1)
    else:
        assert moment <= now < moment + datetime.timedelta(hours=1)


@at_working_morning
def test_a_test_with_its_own_clock_keeps_it():
    assert WORKING_MORNING <= timezone.now() < WORKING_MORNING + datetime.timedelta(minutes=5)
    assert timezone.localdate() == datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01T08:30", datetime.datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI)),
        (" 2026-12-31 23:50 ", datetime.datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI)),
        ("2027-01-04", datetime.datetime(2027, 1, 4, tzinfo=SHANGHAI)),
        ("2026-12-06T12:00+00:00", datetime.datetime(2026, 12, 6, 20, 0, tzinfo=SHANGHAI)),
    ],
)
def test_a_moment_is_read_in_shanghai_unless_it_has_an_offset(value, expected):
    assert parse_moment(value) == expected


def _pytest(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run this module's first test in a separate pytest, as a developer or CI would."""
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"{__file__}::test_the_clock_is_where_the_run_set_it",
            *args,
        ],
        cwd=ROOT,
        env={**os.environ, "TEST_NOW": "", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_now_option_sets_the_clock_of_every_worker_and_shows_it_in_the_header():
    # --dist each runs the test in both workers.
    run = _pytest("--now=2026-10-01T10:00", "-n", "2", "--dist", "each")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "clock: 2026-10-01 10:00 Asia/Shanghai, Thursday, rest day; set by --now" in run.stdout
    assert "2 passed" in run.stdout


def test_test_now_variable_sets_the_clock_and_a_bad_value_is_refused():
    run = _pytest(env={"TEST_NOW": "2026-10-10T10:00"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "clock: 2026-10-10 10:00 Asia/Shanghai, Saturday, working day; set by TEST_NOW" in run.stdout

    bad = _pytest("--now=2026-13-01T10:00")
    assert bad.returncode == pytest.ExitCode.USAGE_ERROR
    assert "--now: '2026-13-01T10:00' is not a date and time such as 2026-12-01T08:30" in bad.stderr
