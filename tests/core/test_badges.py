"""The navigation's badges (the bell's unread count, the approval queue's count): one query, cached per user.

Issue 8: every page ran a query for the unread count and one for the approver roles. Now one query
on ``User`` reads every badge, the row is cached per user and day, and the services that change
what it shows mark it out of date.
"""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import badges, cache_keys
from apps.leave.services import leave_request_approve
from apps.notifications.models import Notification
from apps.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_resolve,
    notification_send,
)
from tests.broker import unreachable_caches
from tests.clock import WORKING_MORNING
from tests.leave.helpers import submit

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

PAGE = reverse("accounts:profile")
NEXT_MONDAY = datetime.date(2026, 12, 7)
BELL = re.compile(r'data-testid="unread-badge">(\d+)<')
QUEUE = re.compile(r'data-testid="menu-badge-leave\.queue">(\d+)<')


def _badge_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "unread_notifications" in q["sql"]]


def _page(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode(), _badge_queries(ctx)


def _bell(html) -> int:
    match = BELL.search(html)
    return int(match.group(1)) if match else 0


def _queue(html) -> int:
    match = QUEUE.search(html)
    return int(match.group(1)) if match else 0


def test_one_query_reads_every_badge_and_the_next_page_reads_none(client_for, manager):
    notification_send(recipient=manager, title="n", email=False)
    client = client_for(manager)

    html, first = _page(client)
    assert len(first) == 1
    # The bell and the approval queue's roles and count come from the same query.
    assert "leave_waiting_leave" in first[0]
    assert "leave_heads" in first[0]
    assert _bell(html) == 1

    html, second = _page(client)
    assert second == []
    assert _bell(html) == 1


def test_no_separate_query_counts_notifications_or_approver_roles(client_for, manager):
    client = client_for(manager)
    _page(client)
    with CaptureQueriesContext(connection) as ctx:
        client.get(PAGE)
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "notifications_notification" not in tables
    assert "leave_leaverequest" not in tables


def test_a_new_notification_updates_the_bell(client_for, manager):
    client = client_for(manager)
    assert _bell(_page(client)[0]) == 0

    notification_send(recipient=manager, title="n", email=False)

    html, queries = _page(client)
    assert _bell(html) == 1
    assert len(queries) == 1


def test_someone_elses_notification_leaves_my_cached_badges_alone(client_for, manager, staff):
    client = client_for(manager)
    _page(client)

    notification_send(recipient=staff, title="n", email=False)

    assert _page(client)[1] == []


def test_reading_notifications_updates_the_bell(client_for, manager):
    first = notification_send(recipient=manager, title="a", email=False)
    notification_send(recipient=manager, title="b", email=False)
    client = client_for(manager)
    assert _bell(_page(client)[0]) == 2

    notification_mark_read(user=manager, notification=first)
    assert _bell(_page(client)[0]) == 1

    notification_mark_all_read(user=manager)
    assert _bell(_page(client)[0]) == 0


def test_a_resolved_action_leaves_every_recipients_bell(client_for, manager, assistant):
    for person in (manager, assistant):
        notification_send(recipient=person, title="decide", action_key="leave-decide:1", email=False)
    clients = [client_for(manager), client_for(assistant)]
    assert [_bell(_page(c)[0]) for c in clients] == [1, 1]

    notification_resolve(action_key="leave-decide:1")

    assert [_bell(_page(c)[0]) for c in clients] == [0, 0]


def test_the_queue_badge_follows_submissions_and_decisions(client_for, manager, staff, other_staff):
    client = client_for(manager)
    assert _queue(_page(client)[0]) == 0

    leave = submit(staff, handover_to=other_staff, start=NEXT_MONDAY)
    assert _queue(_page(client)[0]) == 1

    leave_request_approve(actor=manager, leave=leave)
    assert _queue(_page(client)[0]) == 0


def test_a_change_in_a_transaction_is_marked_again_after_commit(manager, django_capture_on_commit_callbacks):
    """A page that read the old rows while the change was not yet committed caches nothing stale."""
    key = cache_keys.badges_key(manager.pk, WORKING_MORNING.date())
    versions = cache_keys.badges_version_keys(manager.pk)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Notification.objects.create(recipient=manager, title="n")
        cache_keys.badges_changed(user_ids=[manager.pk])
        # Another request, between the first mark and the commit, caches what it saw.
        cache_keys.cached_with_versions(key, versions, lambda: "seen before commit", timeout=60)
        assert cache_keys.cached_with_versions(key, versions, lambda: "fresh", timeout=60) == "seen before commit"

    assert cache_keys.cached_with_versions(key, versions, lambda: "fresh", timeout=60) == "fresh"


def test_badges_are_kept_per_day(manager, time_machine):
    """Acting approvers are named for dates: tomorrow's badges are read afresh."""
    today = badges.badges_for(user_id=manager.pk)
    time_machine.shift(datetime.timedelta(days=1))
    with CaptureQueriesContext(connection) as ctx:
        tomorrow = badges.badges_for(user_id=manager.pk)
    assert len(_badge_queries(ctx)) == 1
    assert tomorrow == today


def test_badges_are_right_while_the_cache_is_down(client_for, manager):
    notification_send(recipient=manager, title="n", email=False)
    client = client_for(manager)
    with override_settings(CACHES=unreachable_caches()):
        for _ in range(2):
            html, queries = _page(client)
            assert _bell(html) == 1
            assert len(queries) == 1
