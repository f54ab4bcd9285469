"""Issue 8: a page reads its cached values ahead in one round trip (``apps.core.cache_keys.prefetched``).

The dashboard read a dozen cached values (the sidebar's numbers, the position and lifecycle text, each
panel's facts), one round trip each; the middleware read the permissions and the page the navigation's
numbers. These tests count the round trips and check that reading ahead never shows a stale value.
"""

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from apps.core import cache_keys
from apps.core.badges import badges_cache_keys, user_badges
from tests.clock import WORKING_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def k(name: str) -> str:
    """A key of this test's own namespace (tests/conftest.py starts a new one for every test)."""
    return cache_keys._key("prefetch-test", name)


@pytest.fixture
def round_trips(monkeypatch):
    """Every ``get_many`` the cache backend answers, as the list of keys asked for."""
    calls = []
    backend = type(caches["default"])
    original = backend.get_many

    def counting(self, keys, version=None):
        calls.append(list(keys))
        return original(self, keys, version=version)

    monkeypatch.setattr(backend, "get_many", counting)
    return calls


def test_keys_read_ahead_are_answered_without_a_round_trip(round_trips):
    cache.set_many({k("pf-a"): 1, k("pf-b"): 2})
    with cache_keys.prefetched([k("pf-a"), k("pf-b"), k("pf-missing")]):
        assert len(round_trips) == 1
        assert cache_keys.get_many([k("pf-a"), k("pf-missing")]) == {k("pf-a"): 1}
        assert cache_keys.get_many([k("pf-b")]) == {k("pf-b"): 2}
        assert len(round_trips) == 1
        # A key not read ahead is read as usual.
        assert cache_keys.get_many([k("pf-a"), k("pf-other")]) == {k("pf-a"): 1}
        assert len(round_trips) == 2
    # Outside the block nothing is remembered.
    cache.set(k("pf-a"), 10)
    assert cache_keys.get_many([k("pf-a")]) == {k("pf-a"): 10}


def test_a_nested_block_reads_only_what_the_outer_one_did_not(round_trips):
    with cache_keys.prefetched([k("pf-a"), k("pf-b")]), cache_keys.prefetched([k("pf-b"), k("pf-c")]):
        assert round_trips == [[k("pf-a"), k("pf-b")], [k("pf-c")]]


def test_a_value_computed_in_the_block_is_found_by_the_next_read(round_trips):
    key, versions = k("pf-value"), [k("pf-version")]
    computed = []
    with cache_keys.prefetched(cache_keys.cached_with_versions_keys(key, versions)):
        for _ in range(2):
            value = cache_keys.cached_with_versions(key, versions, lambda: computed.append(1) or "v", timeout=60)
            assert value == "v"
    assert computed == [1]
    assert len(round_trips) == 1


def test_a_stamp_replaced_in_the_block_is_seen_in_the_block(staff):
    """A request that changes its own badges (and so their stamp) shows the new numbers, not the ones read ahead."""
    from django.test import RequestFactory

    from apps.notifications.models import Notification

    request = RequestFactory().get("/")
    request.user = staff
    with cache_keys.prefetched(badges_cache_keys(staff.pk)):
        before = user_badges(request)["unread_notifications"]
        Notification.objects.create(recipient=staff, title="新通知", body="")
        cache_keys.badges_changed(user_ids=[staff.pk])
        request.__dict__.pop("_menu_memo", None)  # a new request memo, the same read-ahead block
        after = user_badges(request)["unread_notifications"]
    assert after == before + 1


def test_the_warm_dashboard_reads_the_cache_in_three_round_trips(client_for, manager, round_trips):
    """The middleware (permissions and the navigation's numbers), the page's read-ahead, and the board's
    rows (keyed by the departments read ahead)."""
    client = client_for(manager)
    client.get(reverse("org:dashboard"))
    round_trips.clear()

    assert client.get(reverse("org:dashboard")).status_code == 200
    assert len(round_trips) == 3, round_trips


def test_a_simple_page_reads_the_cache_once_for_the_permissions_and_the_navigation(client_for, staff, round_trips):
    client = client_for(staff)
    url = reverse("leave:mine")
    client.get(url)
    round_trips.clear()

    assert client.get(url).status_code == 200
    assert len(round_trips) == 1, round_trips


def test_the_warm_monthly_summary_reads_the_cache_in_two_round_trips(client_for, manager, round_trips):
    client = client_for(manager)
    url = reverse("attendance:summary")
    client.get(url)
    round_trips.clear()

    assert client.get(url).status_code == 200
    assert len(round_trips) == 2, round_trips


def test_the_warm_leave_calendar_reads_the_cache_in_two_round_trips(client_for, manager, round_trips):
    client = client_for(manager)
    url = reverse("leave:calendar")
    client.get(url, {"month": "2026-11"})
    round_trips.clear()

    assert client.get(url, {"month": "2026-11"}).status_code == 200
    assert len(round_trips) == 2, round_trips


def test_the_warm_comp_time_page_reads_the_cache_in_two_round_trips(client_for, manager, round_trips):
    client = client_for(manager)
    url = reverse("leave:comp_time")
    client.get(url)
    round_trips.clear()

    assert client.get(url).status_code == 200
    assert len(round_trips) == 2, round_trips
