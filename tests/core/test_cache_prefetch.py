"""Issue 8: a page reads its cached values ahead in one round trip (``apps.core.cache_keys.prefetched``).

The dashboard read a dozen cached values (the sidebar's numbers, the position and lifecycle text, each
panel's facts), one round trip each; the middleware read the permissions and the page the navigation's
numbers. These tests count the round trips and check that reading ahead never shows a stale value.
"""

import datetime
import re

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


# A warm page's round trips: the middleware's (permissions and the navigation's numbers), the page's
# read-ahead, and on the dashboard the board's rows (keyed by the departments read ahead).
WARM_ROUND_TRIPS = [
    ("org:dashboard", {}, "manager", 3),
    ("leave:mine", {}, "staff", 1),
    ("attendance:summary", {}, "manager", 2),
    ("leave:calendar", {"month": "2026-11"}, "manager", 2),
    ("leave:comp_time", {}, "manager", 2),
]


@pytest.mark.parametrize(("url_name", "params", "who", "trips"), WARM_ROUND_TRIPS, ids=[c[0] for c in WARM_ROUND_TRIPS])
def test_a_warm_page_reads_the_cache_in_few_round_trips(request, client_for, round_trips, url_name, params, who, trips):
    client = client_for(request.getfixturevalue(who))
    url = reverse(url_name)
    client.get(url, params)
    round_trips.clear()

    assert client.get(url, params).status_code == 200
    assert len(round_trips) == trips, round_trips


def test_the_comp_time_page_shows_a_new_grant_and_a_pending_comp_leave_at_once(client_for, manager, staff, other_staff):
    """Its balances are cached with the dashboard's facts: a grant and a request spending comp time
    replace their stamp, so the next page shows them."""
    from decimal import Decimal

    from apps.leave.models import LeaveRequest
    from apps.leave.services import comp_time_grant_direct
    from tests.leave.helpers import make_leave

    client = client_for(staff)
    url = reverse("leave:comp_time")
    client.get(url)

    comp_time_grant_direct(actor=manager, user=staff, days=Decimal("2"), reason="周末加班")
    html = client.get(url).content.decode()
    assert '<div class="display-6" data-testid="comp-balance">2' in html

    make_leave(
        staff,
        handover_to=other_staff,
        approver=manager,
        start=datetime.date(2026, 12, 8),
        code="comp",
        status=LeaveRequest.Status.PENDING,
    )
    assert re.search(r"另有1(\.0)?天补休待审批", client.get(url).content.decode())
