"""Who sees which leave (R-ATT-03, R-ATT-05, R-ATT-09): approval queue and visibility."""

import datetime
from datetime import date

import pytest
from django.utils import timezone

from apps.core.roles import RoleName
from apps.leave.models import LeaveRequest
from apps.leave.selectors import leave_approval_queue, leave_request_visible_to
from apps.leave.services import acting_approver_name
from tests.clock import at_working_morning
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import make_leave

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.django_db, at_working_morning]

Status = LeaveRequest.Status


@pytest.fixture
def requests(manager, marketing, staff, other_staff, assistant):
    director = UserFactory(username="director")
    marketing.leave_approver = director
    marketing.save()
    return {
        "staff": make_leave(
            staff, handover_to=other_staff, approver=manager, start=date(2026, 11, 9), status=Status.PENDING
        ),
        "decided": make_leave(other_staff, handover_to=staff, approver=manager, start=date(2026, 11, 9)),
        "head": make_leave(
            manager, handover_to=assistant, approver=director, start=date(2026, 11, 9), status=Status.PENDING
        ),
        "director": director,
    }


def test_r_att_09_head_queue_has_members_pending_requests_not_their_own(requests, manager):
    assert list(leave_approval_queue(user=manager, on_date=date(2026, 11, 2))) == [requests["staff"]]


def test_r_att_09_heads_own_request_waits_in_the_designated_approvers_queue(requests):
    assert list(leave_approval_queue(user=requests["director"], on_date=date(2026, 11, 2))) == [requests["head"]]


def test_r_att_09_acting_approver_queue_during_the_period_only(requests, manager, marketing, assistant):
    acting_approver_name(
        actor=manager, department=marketing, user=assistant, start_date=date(2026, 11, 2), end_date=date(2026, 11, 6)
    )

    assert list(leave_approval_queue(user=assistant, on_date=date(2026, 11, 3))) == [requests["staff"]]
    assert list(leave_approval_queue(user=assistant, on_date=date(2026, 11, 9))) == []


def test_r_att_05_visibility_of_leave(requests, manager, staff, other_staff, assistant, marketing):
    clerk = UserFactory(username="admin-clerk", roles=[RoleName.ADMINISTRATION])
    outsider = UserFactory(department=DepartmentFactory())
    everything = {requests["staff"], requests["decided"], requests["head"]}

    assert set(leave_request_visible_to(user=staff)) == {requests["staff"], requests["decided"]}  # own + handover
    assert set(leave_request_visible_to(user=assistant)) == {requests["head"]}  # handed over to them
    assert set(leave_request_visible_to(user=requests["director"])) == {requests["head"]}
    assert set(leave_request_visible_to(user=manager)) == everything
    assert set(leave_request_visible_to(user=clerk)) == everything
    assert set(leave_request_visible_to(user=outsider)) == set()
    outsider.is_active = False
    assert set(leave_request_visible_to(user=outsider)) == set()


def test_r_att_09_acting_approver_sees_members_leave_while_acting(requests, manager, marketing, assistant):
    assert requests["decided"] not in leave_request_visible_to(user=assistant)
    today = timezone.localdate()
    acting_approver_name(
        actor=manager,
        department=marketing,
        user=assistant,
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=1),
    )

    assert {requests["staff"], requests["decided"]} <= set(leave_request_visible_to(user=assistant))


def test_r_att_09_acting_approver_does_not_see_the_heads_own_leave(requests, manager, marketing, staff):
    """Acting for the head opens the members' leave (and their sick notes), not the head's own."""
    today = timezone.localdate()
    acting_approver_name(actor=manager, department=marketing, user=staff, start_date=today, end_date=today)

    visible = set(leave_request_visible_to(user=staff))
    assert requests["decided"] in visible
    assert requests["head"] not in visible
