import datetime
import os

import chinese_calendar
import pytest
import time_machine
from django.conf import settings
from django.test import Client

from apps.core.roles import RoleName
from apps.org.models import Department
from tests.clock import SHANGHAI
from tests.factories import UserFactory, marketing_position

# The clock the whole run starts at (``--now`` or ``TEST_NOW``); tests that set their own clock
# with time-machine override it for their duration.
_suite_clock: dict = {"moment": None, "source": None, "traveller": None}


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        default=None,
        metavar="YYYY-MM-DDTHH:MM",
        help="Run the whole suite with the clock set to this moment (Asia/Shanghai unless an offset is "
        "given); the clock keeps ticking from there. Default: the TEST_NOW environment variable, else "
        "the real time.",
    )


def _parse_now(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"--now / TEST_NOW: {value!r} is not an ISO date and time such as 2026-12-01T08:30"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment


def _start_suite_clock(config) -> None:
    option = config.getoption("--now")
    env = os.environ.get("TEST_NOW", "").strip()
    value, source = (option, "--now") if option else (env, "TEST_NOW") if env else (None, None)
    if not value:
        return
    moment = _parse_now(value)
    # tick=True: time goes on from the given moment, so timeouts, waits and the browser tests work.
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    _suite_clock.update(moment=moment, source=source, traveller=traveller)


def pytest_unconfigure(config):
    traveller = _suite_clock["traveller"]
    if traveller is not None:
        traveller.stop()
        _suite_clock.update(moment=None, source=None, traveller=None)


def _day_kind(day: datetime.date) -> str:
    """Working day or rest day by the installed chinesecalendar, for the header only."""
    try:
        return "working day" if chinese_calendar.is_workday(day) else "rest day"
    except NotImplementedError:
        return f"{day.year} not covered by chinesecalendar {chinese_calendar.__version__}"


def pytest_report_header(config):
    moment = _suite_clock["moment"]
    if moment is None:
        local = datetime.datetime.now(SHANGHAI)
        how = "real time (set another with --now=YYYY-MM-DDTHH:MM or TEST_NOW)"
    else:
        local = moment.astimezone(SHANGHAI)
        how = f"set by {_suite_clock['source']}, ticking"
    return f"clock: {local:%Y-%m-%d %H:%M} Asia/Shanghai, {local:%A}, {_day_kind(local.date())}; {how}"


def pytest_configure(config):
    _start_suite_clock(config)
    # CI runs on PostgreSQL and Redis; never let it fall back to SQLite or the file broker.
    if os.environ.get("CI"):
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            pytest.exit(f"CI must run on PostgreSQL, got {engine}; set DATABASE_URL.", returncode=3)
        if not settings.REDIS_URL:
            pytest.exit("CI must run with Redis; set REDIS_URL.", returncode=3)


@pytest.fixture
def marketing(db):
    return Department.objects.get(code="MKT")


@pytest.fixture
def manager(marketing):
    user = UserFactory(
        username="mgr",
        full_name="王经理",
        department=marketing,
        position=marketing_position("MANAGER"),
        roles=[RoleName.DEPARTMENT_MANAGER, RoleName.STAFF],
        clearance=3,
    )
    marketing.head = user
    marketing.save()
    return user


@pytest.fixture
def assistant(marketing):
    return UserFactory(
        username="asst",
        department=marketing,
        position=marketing_position("ASSISTANT"),
        roles=[RoleName.ASSISTANT, RoleName.STAFF],
        clearance=2,
    )


@pytest.fixture
def staff(marketing):
    return UserFactory(username="staff1", full_name="陈员工", department=marketing, roles=[RoleName.STAFF])


@pytest.fixture
def other_staff(marketing):
    return UserFactory(username="staff2", full_name="李员工", department=marketing, roles=[RoleName.STAFF])


@pytest.fixture
def client_for(db):
    """Return a function that logs ``user`` in on a fresh test client."""

    def login(user):
        c = Client()
        c.force_login(user)
        return c

    return login
