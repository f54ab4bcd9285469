"""Sessions are not written on every request and still end after SESSION_COOKIE_AGE of idleness (issue 8)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.middleware_session import REFRESHED_AT_KEY, refresh_interval
from tests.clock import WORKING_MORNING
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

PAGE = reverse("accounts:profile")
LOGIN_URL = reverse("accounts:login")


def _session_writes(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def _get(client, url=PAGE):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, _session_writes(ctx)


@pytest.fixture
def logged_in(client):
    client.force_login(UserFactory())
    response, _writes = _get(client)  # the first page stamps the refresh time
    assert response.status_code == 200
    return client


def _expiry():
    return Session.objects.get().expire_date


def test_the_refresh_interval_is_at_most_fifteen_minutes_and_far_below_the_idle_time():
    assert 0 < refresh_interval() <= 15 * 60
    assert refresh_interval() <= settings.SESSION_COOKIE_AGE // 2


def test_a_request_within_the_refresh_interval_does_not_write_the_session(logged_in, time_machine):
    expiry = _expiry()
    time_machine.shift(datetime.timedelta(seconds=refresh_interval() - 1))

    response, writes = _get(logged_in)

    assert response.status_code == 200
    assert writes == []
    assert "sessionid" not in response.cookies
    assert _expiry() == expiry


def test_a_request_after_the_refresh_interval_renews_the_session_and_its_cookie(logged_in, time_machine):
    expiry = _expiry()
    time_machine.shift(datetime.timedelta(seconds=refresh_interval()))

    response, writes = _get(logged_in)

    assert response.status_code == 200
    assert len(writes) == 1
    assert writes[0].lstrip().upper().startswith("UPDATE")
    assert _expiry() == expiry + datetime.timedelta(seconds=refresh_interval())
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    # The renewal restarts the interval: the next request writes nothing again.
    assert _get(logged_in)[1] == []


def test_an_idle_session_past_the_session_age_is_logged_out(logged_in, time_machine):
    time_machine.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))

    response = logged_in.get(PAGE)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_a_session_in_use_outlives_the_session_age(logged_in, time_machine):
    """Requests a little closer together than the idle time keep the person logged in all day."""
    step = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - refresh_interval() - 1)
    for _ in range(3):
        time_machine.shift(step)
        assert logged_in.get(PAGE).status_code == 200


def test_the_health_check_only_reads_the_session(logged_in, time_machine):
    """Issue 8: the health check rewrote and committed the session row on every request."""
    time_machine.shift(datetime.timedelta(seconds=refresh_interval() // 2))

    with CaptureQueriesContext(connection) as ctx:
        response = logged_in.get(reverse("healthz"))

    assert response.status_code == 200
    session_queries = [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]]
    assert len(session_queries) == 1
    assert session_queries[0].startswith("SELECT")


def test_logging_out_leaves_no_session_behind(logged_in, time_machine):
    time_machine.shift(datetime.timedelta(seconds=refresh_interval() + 1))

    logged_in.post(reverse("accounts:logout"))

    assert not Session.objects.exists()


def test_an_anonymous_visit_creates_no_session(client):
    response, writes = _get(client, LOGIN_URL)

    assert response.status_code == 200
    assert writes == []
    assert not Session.objects.exists()


def test_a_login_stamps_the_refresh_time(client):
    user = UserFactory()

    client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD})

    session = Session.objects.get().get_decoded()
    assert session[REFRESHED_AT_KEY] == int(WORKING_MORNING.timestamp())
