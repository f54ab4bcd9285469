"""Growth guards: a list page runs as many queries for 30 rows as for 2."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.leave.models import CompTimeEntry, ImportantPeriod, LeaveRequest, LeaveType
from apps.notifications.services import notification_send
from tests.clock import SHANGHAI, WORKING_MORNING
from tests.factories import AssignedTaskFactory, ProductFactory, UserFactory

# Query counts depend on the day (the lateness check runs on working days only): fix the moment.
pytestmark = pytest.mark.time_machine(WORKING_MORNING, tick=False)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _make_tasks(manager, n):
    for _ in range(n):
        AssignedTaskFactory(owner=UserFactory(), assigned_by=manager)


def _make_products(manager, n):
    ProductFactory.create_batch(n)


def _make_notifications(manager, n):
    for i in range(n):
        notification_send(recipient=manager, title=f"n{i}", email=False)


def _make_people(manager, n):
    UserFactory.create_batch(n, department=manager.department)


def _leave(user, approver, day, status="pending", leave_type="personal"):
    return LeaveRequest.objects.create(
        user=user,
        leave_type=LeaveType.objects.get(code=leave_type),
        start_date=day,
        end_date=day,
        days=1,
        reason="r",
        handover_to=approver if approver != user else UserFactory(),
        handover_notes="n",
        approver=approver,
        status=status,
    )


def _make_pending_leave(manager, n):
    for i in range(n):
        _leave(UserFactory(department=manager.department), manager, MONTH_DAY + datetime.timedelta(days=i % 20))


def _make_approved_leave(manager, n):
    for i in range(n):
        _leave(
            UserFactory(department=manager.department), manager, MONTH_DAY + datetime.timedelta(days=i % 20), "approved"
        )


def _make_own_leave(manager, n):
    for i in range(n):
        _leave(manager, UserFactory(), MONTH_DAY + datetime.timedelta(days=i), "approved")


def _make_handovers(manager, n):
    for _i in range(n):
        leave = _leave(UserFactory(department=manager.department), UserFactory(), MONTH_DAY, "approved")
        LeaveRequest.objects.filter(pk=leave.pk).update(handover_to=manager)


def _make_checkins_and_notices(manager, n):
    for i in range(n):
        person = UserFactory(department=manager.department)
        CheckIn.objects.create(user=person, date=MONTH_DAY, checked_in_at=timezone.now(), is_late=i % 2 == 0)
        FieldWorkNotice.objects.create(
            user=person,
            start_date=MONTH_DAY,
            end_date=MONTH_DAY,
            destination="d",
            purpose="p",
            filed_at=timezone.now() - datetime.timedelta(days=30),
            deadline=timezone.now(),
        )
        _leave(person, manager, MONTH_DAY + datetime.timedelta(days=1), "approved")


def _make_own_notices(manager, n):
    for i in range(n):
        FieldWorkNotice.objects.create(
            user=manager,
            start_date=MONTH_DAY + datetime.timedelta(days=i),
            end_date=MONTH_DAY + datetime.timedelta(days=i),
            destination="d",
            purpose="p",
            filed_at=timezone.now() - datetime.timedelta(days=60),
            deadline=timezone.now(),
        )


def _make_periods(manager, n):
    for i in range(n):
        ImportantPeriod.objects.create(name=f"p{i}", start_date=MONTH_DAY, end_date=MONTH_DAY, declared_by=manager)


def _make_comp_entries(manager, n):
    for _ in range(n):
        CompTimeEntry.objects.create(user=manager, kind="grant", days=1, created_by=UserFactory())


MONTH_DAY = datetime.date(2026, 9, 1)
MONTH = {"month": "2026-09"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "make", "params"),
    [
        ("leave:queue", _make_pending_leave, {}),
        ("leave:calendar", _make_approved_leave, MONTH),
        ("leave:mine", _make_own_leave, {}),
        ("leave:handovers", _make_handovers, {}),
        ("leave:periods", _make_periods, {}),
        ("leave:comp_time", _make_comp_entries, {}),
        ("attendance:summary", _make_checkins_and_notices, MONTH),
        ("attendance:summary_export", _make_checkins_and_notices, MONTH),
        ("attendance:notices_daily", _make_checkins_and_notices, {"date": "2026-09-01"}),
        ("attendance:notice_list", _make_own_notices, {}),
        ("attendance:month", _make_own_notices, MONTH),
    ],
)
def test_attendance_and_leave_pages_do_not_grow_with_rows(client_for, manager, url_name, make, params):
    client = client_for(manager)
    url = reverse(url_name) + "?" + urlencode(params)
    make(manager, 2)
    client.get(url)
    with_two = _queries(client, url)

    make(manager, 28)
    client.get(url)  # new rows may invalidate cached navigation badges: warm them again
    with_thirty = _queries(client, url)

    assert with_two == with_thirty


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("org:task_list", _make_tasks),
        ("org:product_list", _make_products),
        ("notifications:list", _make_notifications),
        ("conduct:status", _make_people),
        ("org:department", _make_people),
        ("org:dashboard", _make_products),
    ],
)
def test_list_page_query_count_does_not_grow_with_rows(client_for, manager, url_name, make):
    client = client_for(manager)
    url = reverse(url_name)
    make(manager, 2)
    client.get(url)  # warm caches (content types, permissions)
    with_two = _queries(client, url)

    make(manager, 28)
    client.get(url)  # new rows may invalidate cached navigation badges: warm them again
    with_thirty = _queries(client, url)

    assert with_two == with_thirty


@pytest.mark.django_db
def test_dashboard_exact_query_count(client_for, manager, django_assert_num_queries):
    client = client_for(manager)
    client.get(reverse("org:dashboard"))

    # The duty text, the lifecycle card and the departments come from the cache; the today board's
    # reads are listed in tests/org/test_dashboard_board.py (the calendar's years come from the cache).
    # So do the rules reminder, the follows of "My alerts" and which research plans are due
    # (apps/core/choices.py): session, user, the board's check-ins and the latest reports.
    with django_assert_num_queries(4):
        client.get(reverse("org:dashboard"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "working", "queries"),
    [
        pytest.param(datetime.datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI), True, 6, id="tuesday"),
        pytest.param(datetime.datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI), True, 6, id="make-up-saturday"),
        pytest.param(datetime.datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI), False, 5, id="national-day"),
        pytest.param(datetime.datetime(2026, 12, 6, 20, 0, tzinfo=SHANGHAI), False, 5, id="sunday-evening"),
    ],
)
def test_check_in_exact_query_count(
    client_for, staff, django_assert_num_queries, time_machine, moment, working, queries
):
    """On a working day the lateness check reads the department: one query more than on a rest day.

    The working calendar comes from its per-year cache (filled by the page read before).
    """
    time_machine.move_to(moment, tick=False)
    client = client_for(staff)
    client.get(reverse("attendance:today"))

    with django_assert_num_queries(queries):
        client.post(reverse("attendance:checkin"))

    assert CheckIn.objects.get(user=staff).on_working_day is working


@pytest.mark.django_db
def test_approval_queue_and_approve_exact_query_counts(client_for, manager, django_assert_num_queries):
    _make_pending_leave(manager, 3)
    leave = LeaveRequest.objects.first()
    client = client_for(manager)
    client.get(reverse("leave:queue"))

    # Issue 8: session, user; what the queue shows whatever its filters in one UNION ALL (the departments
    # decided for, the filters' people and leave types, the comp-time requests with their balances); the
    # page of requests with their number (COUNT(*) OVER (), no COUNT of its own); the rows' details:
    # colleagues on leave or field work and important periods in one UNION ALL (comp-time balances only
    # with comp leave).
    with django_assert_num_queries(5):
        client.get(reverse("leave:queue"))
    # One UPDATE resolves the approval-request notifications (issue 7), one SELECT looks for open
    # "requests wait" reminders to resolve once a queue is empty; neither the session nor the
    # permissions are read or written again (issue 8).
    with django_assert_num_queries(20):
        client.post(reverse("leave:approve", args=[leave.pk]))
