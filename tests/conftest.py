import os

import pytest
from django.conf import settings
from django.test import Client

from apps.core.roles import RoleName
from apps.org.models import Department
from tests.clock import parse_moment, suite_clock_header, suite_clock_start, suite_clock_stop
from tests.factories import UserFactory, marketing_position


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        default=None,
        metavar="YYYY-MM-DDTHH:MM",
        help="Run the whole suite with the clock set to this moment (Asia/Shanghai unless an offset is "
        "given); the clock ticks on from there. Default: the TEST_NOW environment variable, else the "
        "real time. Tests that set their own clock still do.",
    )


def _start_suite_clock(config) -> None:
    # Runs in the controller and in every xdist worker (each gets the options and the environment).
    option = config.getoption("--now")
    env = os.environ.get("TEST_NOW", "").strip()
    value, source = (option, "--now") if option else (env, "TEST_NOW")
    if not value:
        return
    try:
        moment = parse_moment(value)
    except ValueError:
        raise pytest.UsageError(f"{source}: {value!r} is not a date and time such as 2026-12-01T08:30") from None
    suite_clock_start(moment, source=source)


def pytest_unconfigure(config):
    suite_clock_stop()


def pytest_report_header(config):
    return suite_clock_header()


def pytest_configure(config):
    _start_suite_clock(config)
    # CI runs on PostgreSQL and Redis; never let it fall back to SQLite or the file broker.
    if os.environ.get("CI"):
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            pytest.exit(f"CI must run on PostgreSQL, got {engine}; set DATABASE_URL.", returncode=3)
        if not settings.REDIS_URL:
            pytest.exit("CI must run with Redis; set REDIS_URL.", returncode=3)


@pytest.fixture(autouse=True)
def _fresh_cache_keys():
    """Every test reads and writes its own cache keys: user ids recur across tests and test databases."""
    from apps.core import cache_keys

    cache_keys.namespace_reset()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Chinese).

    A request by a user who prefers English activates English for the thread
    (``UserLanguageMiddleware``, as Django's ``LocaleMiddleware`` does), and nothing switches it
    back: without this, a later test in the same worker would read its strings in English.
    """
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
