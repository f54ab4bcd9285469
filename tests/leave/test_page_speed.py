"""Issue 8: the leave pages' reads stay few and flat in history; what they compute in one query equals the long way."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.leave.models import ActingApprover, CompTimeEntry, LeaveRequest
from apps.leave.selectors import comp_time_balance, comp_time_pending_spend, comp_time_summary, departments_approved_by
from apps.leave.services import acting_approver_name
from tests.clock import WORKING_MORNING
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import make_leave

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

DECEMBER = datetime.date(2026, 12, 1)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_comp_time_summary_equals_the_balance_and_the_pending_spend(manager, staff, other_staff):
    assert comp_time_summary(user=staff) == (Decimal("0"), Decimal("0"))

    CompTimeEntry.objects.create(user=staff, kind="grant", days=Decimal("2"), created_by=manager)
    CompTimeEntry.objects.create(user=other_staff, kind="grant", days=Decimal("5"), created_by=manager)
    make_leave(
        staff,
        handover_to=other_staff,
        approver=manager,
        start=datetime.date(2026, 12, 8),
        code="comp",
        status=LeaveRequest.Status.PENDING,
    )

    assert comp_time_summary(user=staff) == (comp_time_balance(user=staff), comp_time_pending_spend(user=staff))
    assert comp_time_summary(user=staff) == (Decimal("2"), Decimal("1"))


def test_departments_approved_by_counts_the_headed_and_todays_acting_in_one_query(
    manager, staff, django_assert_num_queries
):
    other = DepartmentFactory(head=UserFactory())
    acting_approver_name(actor=other.head, department=other, user=manager, start_date=DECEMBER, end_date=DECEMBER)
    later = DepartmentFactory(head=UserFactory())
    acting_approver_name(
        actor=later.head,
        department=later,
        user=manager,
        start_date=DECEMBER + datetime.timedelta(days=7),
        end_date=DECEMBER + datetime.timedelta(days=8),
    )

    # Not today's: withdrawn, or ended the day before.
    withdrawn = DepartmentFactory(head=UserFactory())
    ActingApprover.objects.create(
        department=withdrawn, user=manager, start_date=DECEMBER, end_date=DECEMBER, created_by=manager, is_active=False
    )
    ended = DepartmentFactory(head=UserFactory())
    ActingApprover.objects.create(
        department=ended, user=manager, start_date=DECEMBER - datetime.timedelta(days=3),
        end_date=DECEMBER - datetime.timedelta(days=1), created_by=manager,
    )  # fmt: skip

    with django_assert_num_queries(1):
        decided = departments_approved_by(user=manager, on_date=DECEMBER)

    assert decided == sorted([manager.department_id, other.pk])
    assert departments_approved_by(user=manager, on_date=DECEMBER - datetime.timedelta(days=1)) == sorted(
        [manager.department_id, ended.pk]
    )
    assert departments_approved_by(user=staff, on_date=DECEMBER) == []


def test_the_leave_calendar_reads_as_much_with_years_of_history_as_with_none(client_for, manager, staff, other_staff):
    client = client_for(manager)
    url = reverse("leave:calendar")
    client.get(url)
    empty = _queries(client, url)

    for month in range(1, 12):
        make_leave(staff, handover_to=other_staff, approver=manager, start=datetime.date(2025, month, 10))
    make_leave(staff, handover_to=other_staff, approver=manager, start=DECEMBER)  # out today
    make_leave(other_staff, handover_to=staff, approver=manager, start=datetime.date(2026, 12, 9))
    with_history = _queries(client, url)

    assert with_history == empty
    response = client.get(url)
    assert [leave.user for leave in response.context["out_today"]] == [staff]
    assert len(response.context["leaves"]) == 2
    assert all(item["can_open"] for item in response.context["leaves"])


def test_a_colleague_sees_the_calendar_without_links_to_requests_they_cannot_open(
    client_for, manager, staff, other_staff
):
    theirs = make_leave(other_staff, handover_to=manager, approver=manager, start=datetime.date(2026, 12, 9))
    mine = make_leave(staff, handover_to=manager, approver=manager, start=datetime.date(2026, 12, 10))

    response = client_for(staff).get(reverse("leave:calendar"))

    can_open = {item["leave"].pk: item["can_open"] for item in response.context["leaves"]}
    assert can_open == {theirs.pk: False, mine.pk: True}
    body = response.content.decode()
    assert reverse("leave:detail", args=[mine.pk]) in body
    assert reverse("leave:detail", args=[theirs.pk]) not in body
