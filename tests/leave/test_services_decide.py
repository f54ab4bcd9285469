"""Deciding leave: R-ATT-03 (the head approves), R-ATT-09 (never one's own; the head's goes up),
acting approvers, withdrawal and cancellation with comp-time refund (R-ATT-08)."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.roles import RoleName
from apps.leave.models import ActingApprover, CompTimeEntry, LeaveEvent, LeaveRequest
from apps.leave.selectors import comp_time_balance
from apps.leave.services import (
    acting_approver_name,
    leave_approver_for,
    leave_request_approve,
    leave_request_cancel,
    leave_request_reject,
    leave_request_withdraw,
)
from apps.notifications.models import Notification
from tests.clock import at_working_morning
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import at, error_codes, make_leave

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.django_db, at_working_morning]

Status = LeaveRequest.Status
MONDAY = date(2026, 11, 2)


def _pending(user, *, handover_to, start=MONDAY, code="personal", **kwargs) -> LeaveRequest:
    """A pending request routed the way leave_request_submit routes it."""
    approver = leave_approver_for(user=user, on_date=timezone.localdate())
    leave = make_leave(
        user, handover_to=handover_to, approver=approver, start=start, code=code, status=Status.PENDING, **kwargs
    )
    LeaveEvent.objects.create(request=leave, actor=user, from_status="", to_status=Status.PENDING)
    return leave


@pytest.fixture
def director(marketing):
    """Approves the head's own leave."""
    user = UserFactory(username="director")
    marketing.leave_approver = user
    marketing.save()
    return user


def _status(leave) -> str:
    leave.refresh_from_db()
    return leave.status


# ---------------------------------------------------------------------------------------------
# Routing (R-ATT-09)


def test_r_att_09_member_goes_to_head(manager, staff):
    assert leave_approver_for(user=staff, on_date=MONDAY) == manager


def test_r_att_09_head_goes_to_designated_approver_before_parent_head(manager, marketing, director):
    marketing.parent = DepartmentFactory(head=UserFactory(username="gm"))
    marketing.save()

    assert leave_approver_for(user=manager, on_date=MONDAY) == director


def test_r_att_09_head_goes_to_parent_head_without_designated_approver(manager, marketing):
    gm = UserFactory(username="gm")
    marketing.parent = DepartmentFactory(head=gm)
    marketing.save()

    assert leave_approver_for(user=manager, on_date=MONDAY) == gm


@pytest.mark.parametrize("setup", ["nothing", "head_is_own_approver", "head_heads_parent_too"])
def test_r_att_09_no_approver_is_refused(manager, marketing, setup):
    if setup == "head_is_own_approver":
        marketing.leave_approver = manager
    elif setup == "head_heads_parent_too":
        marketing.parent = DepartmentFactory(head=manager)
    marketing.save()

    with pytest.raises(ValidationError) as exc:
        leave_approver_for(user=manager, on_date=MONDAY)

    assert error_codes(exc.value) == ["no_approver"]


def test_r_att_09_no_department_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        leave_approver_for(user=UserFactory(department=None), on_date=MONDAY)

    assert error_codes(exc.value) == ["no_department"]


def test_r_att_09_acting_approver_takes_members_leave_for_the_period(manager, marketing, assistant, staff):
    acting_approver_name(
        actor=manager, department=marketing, user=assistant, start_date=date(2026, 11, 2), end_date=date(2026, 11, 6)
    )

    assert leave_approver_for(user=staff, on_date=date(2026, 10, 30)) == manager
    assert leave_approver_for(user=staff, on_date=date(2026, 11, 2)) == assistant
    assert leave_approver_for(user=staff, on_date=date(2026, 11, 6)) == assistant
    assert leave_approver_for(user=staff, on_date=date(2026, 11, 7)) == manager
    # The acting approver's own leave still goes to the head; the head's own is not theirs.
    assert leave_approver_for(user=assistant, on_date=date(2026, 11, 3)) == manager
    with pytest.raises(ValidationError):
        leave_approver_for(user=manager, on_date=date(2026, 11, 3))


def test_r_att_09_only_the_head_names_an_acting_approver(manager, marketing, assistant, staff, other_staff):
    with pytest.raises(PermissionDenied):
        acting_approver_name(actor=staff, department=marketing, user=other_staff, start_date=MONDAY, end_date=MONDAY)
    for user, start, end, code in [
        (manager, MONDAY, MONDAY, "invalid_acting_approver"),
        (UserFactory(department=marketing, is_active=False), MONDAY, MONDAY, "invalid_acting_approver"),
        (assistant, MONDAY, MONDAY - datetime.timedelta(days=1), "end_before_start"),
    ]:
        with pytest.raises(ValidationError) as exc:
            acting_approver_name(actor=manager, department=marketing, user=user, start_date=start, end_date=end)
        assert error_codes(exc.value) == [code]
    assert not ActingApprover.objects.exists()


# ---------------------------------------------------------------------------------------------
# Approve and reject


def test_r_att_03_head_approves_members_leave(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)

    leave_request_approve(actor=manager, leave=leave, comment=" 同意 ")

    leave.refresh_from_db()
    assert (leave.status, leave.decided_by) == (Status.APPROVED, manager)
    assert leave.decided_at is not None
    assert list(leave.events.values_list("actor__username", "from_status", "to_status", "comment")) == [
        ("staff1", "", Status.PENDING, ""),
        ("mgr", Status.PENDING, Status.APPROVED, "同意"),
    ]
    # The requester hears of it, and the colleague learns the handover is on.
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"staff1", "staff2"}


def test_r_att_09_nobody_approves_their_own_request(manager, staff, other_staff, director):
    own = _pending(staff, handover_to=other_staff)
    heads_own = _pending(manager, handover_to=staff)
    assert heads_own.approver == director

    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=staff, leave=own)
    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=manager, leave=heads_own)
    # Even a superuser who is the routed approver does not decide their own leave.
    heads_own.approver = manager
    heads_own.save()
    manager.is_superuser = True
    manager.save()
    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=manager, leave=heads_own)

    assert (_status(own), _status(heads_own)) == (Status.PENDING, Status.PENDING)
    heads_own.approver = director
    heads_own.save()
    leave_request_approve(actor=director, leave=heads_own)
    assert _status(heads_own) == Status.APPROVED


@pytest.mark.parametrize("who", ["colleague", "assistant", "other_department_staff", "other_department_head"])
def test_r_att_09_only_the_routed_approver_or_head_decides(manager, staff, other_staff, assistant, who):
    other_department = DepartmentFactory(head=UserFactory(username="sales-head"))
    deciders = {
        "colleague": other_staff,
        "assistant": assistant,
        "other_department_staff": UserFactory(department=other_department),
        "other_department_head": other_department.head,
    }
    leave = _pending(staff, handover_to=other_staff)

    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=deciders[who], leave=leave)
    with pytest.raises(PermissionDenied):
        leave_request_reject(actor=deciders[who], leave=leave, comment="不行")

    assert _status(leave) == Status.PENDING
    leave_request_approve(actor=manager, leave=leave)
    assert _status(leave) == Status.APPROVED


def test_r_att_09_an_inactive_head_cannot_decide(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)
    manager.is_active = False
    manager.save()

    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=manager, leave=leave)


def test_r_att_09_member_approvers_do_not_decide_the_heads_leave(manager, marketing, assistant, staff, director):
    today = timezone.localdate()
    acting_approver_name(actor=manager, department=marketing, user=assistant, start_date=today, end_date=today)
    heads_own = _pending(manager, handover_to=staff)

    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=assistant, leave=heads_own)

    leave_request_approve(actor=director, leave=heads_own)
    assert _status(heads_own) == Status.APPROVED


def test_r_att_03_approve_twice_is_refused(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)
    leave_request_approve(actor=manager, leave=leave)

    with pytest.raises(ValidationError) as exc:
        leave_request_approve(actor=manager, leave=leave)

    assert error_codes(exc.value) == ["already_decided"]
    assert leave.events.filter(to_status=Status.APPROVED).count() == 1


def test_r_att_03_a_stale_copy_cannot_approve_a_rejected_request(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)
    stale = LeaveRequest.objects.get(pk=leave.pk)
    leave_request_reject(actor=manager, leave=leave, comment="人手不足")

    with pytest.raises(ValidationError) as exc:
        leave_request_approve(actor=manager, leave=stale)

    assert error_codes(exc.value) == ["already_decided"]
    assert _status(leave) == Status.REJECTED


def test_r_att_03_reject_requires_a_comment(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)

    with pytest.raises(ValidationError) as exc:
        leave_request_reject(actor=manager, leave=leave, comment="  ")
    assert error_codes(exc.value) == ["comment_required"]
    assert _status(leave) == Status.PENDING

    leave_request_reject(actor=manager, leave=leave, comment="月底结账，人手不足")
    assert _status(leave) == Status.REJECTED
    assert leave.events.get(to_status=Status.REJECTED).comment == "月底结账，人手不足"


# ---------------------------------------------------------------------------------------------
# Acting approvers decide instead of, or as well as, the head


@pytest.fixture
def acting_today(manager, marketing, assistant):
    today = timezone.localdate()
    return acting_approver_name(
        actor=manager,
        department=marketing,
        user=assistant,
        start_date=today,
        end_date=today + datetime.timedelta(days=7),
    )


def test_r_att_09_acting_approver_decides_requests_routed_to_them(acting_today, assistant, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)
    assert leave.approver == assistant

    leave_request_approve(actor=assistant, leave=leave)

    assert (_status(leave), leave.decided_by) == (Status.APPROVED, assistant)


def test_r_att_09_head_still_decides_while_an_acting_approver_is_named(acting_today, manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)

    leave_request_reject(actor=manager, leave=leave, comment="改期")

    assert _status(leave) == Status.REJECTED


def test_r_att_09_acting_approver_decides_earlier_requests_during_the_period(
    acting_today, manager, assistant, staff, other_staff
):
    earlier = make_leave(staff, handover_to=other_staff, approver=manager, start=MONDAY, status=Status.PENDING)

    leave_request_approve(actor=assistant, leave=earlier)

    assert _status(earlier) == Status.APPROVED


def test_r_att_09_acting_approver_outside_the_period_does_not_decide(manager, marketing, assistant, staff, other_staff):
    today = timezone.localdate()
    acting_approver_name(
        actor=manager,
        department=marketing,
        user=assistant,
        start_date=today - datetime.timedelta(days=10),
        end_date=today - datetime.timedelta(days=1),
    )
    leave = _pending(staff, handover_to=other_staff)
    assert leave.approver == manager

    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=assistant, leave=leave)


# ---------------------------------------------------------------------------------------------
# Withdraw and cancel


def test_r_att_03_only_the_requester_withdraws_a_pending_request(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)

    with pytest.raises(PermissionDenied):
        leave_request_withdraw(actor=manager, leave=leave)
    assert _status(leave) == Status.PENDING

    leave_request_withdraw(actor=staff, leave=leave, comment="不去了")
    assert _status(leave) == Status.WITHDRAWN
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"mgr", "staff2"}


def test_r_att_03_approved_request_cannot_be_withdrawn(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)
    leave_request_approve(actor=manager, leave=leave)

    with pytest.raises(ValidationError) as exc:
        leave_request_withdraw(actor=staff, leave=leave)

    assert error_codes(exc.value) == ["not_pending"]
    assert _status(leave) == Status.APPROVED


def _grant(user, head, days) -> None:
    CompTimeEntry.objects.create(user=user, kind=CompTimeEntry.Kind.GRANT, days=days, created_by=head, reason="加班")


@pytest.mark.parametrize(
    ("start_half", "now", "allowed"),
    [
        ("am", at(2026, 11, 2, 8, 59, 59), True),
        ("am", at(2026, 11, 2, 9, 0), False),
        ("pm", at(2026, 11, 2, 12, 59, 59), True),
        ("pm", at(2026, 11, 2, 13, 0), False),
        ("am", at(2026, 11, 5, 9, 0), False),
    ],
)
def test_r_att_08_cancel_before_start_refunds_comp_time(manager, staff, other_staff, start_half, now, allowed):
    _grant(staff, manager, Decimal("1"))
    leave = _pending(staff, handover_to=other_staff, code="comp", start_half=start_half)
    leave_request_approve(actor=manager, leave=leave)
    spent = comp_time_balance(user=staff)

    if allowed:
        leave_request_cancel(actor=staff, leave=leave, now=now)
        assert _status(leave) == Status.CANCELLED
        assert comp_time_balance(user=staff) == Decimal("1")
    else:
        with pytest.raises(ValidationError) as exc:
            leave_request_cancel(actor=staff, leave=leave, now=now)
        assert error_codes(exc.value) == ["already_started"]
        assert _status(leave) == Status.APPROVED
        assert comp_time_balance(user=staff) == spent
    assert spent == Decimal(1) - leave.days


def test_r_att_08_cancel_is_for_the_requester_and_approved_leave_only(manager, staff, other_staff):
    leave = _pending(staff, handover_to=other_staff)
    before = at(2026, 11, 1, 10, 0)

    with pytest.raises(ValidationError) as exc:
        leave_request_cancel(actor=staff, leave=leave, now=before)
    assert error_codes(exc.value) == ["not_approved"]

    leave_request_approve(actor=manager, leave=leave)
    with pytest.raises(PermissionDenied):
        leave_request_cancel(actor=manager, leave=leave, now=before)

    leave_request_cancel(actor=staff, leave=leave, now=before)
    with pytest.raises(ValidationError) as exc:
        leave_request_cancel(actor=staff, leave=leave, now=before)
    assert error_codes(exc.value) == ["not_approved"]
    # Cancelling personal leave books nothing on the comp-time ledger.
    assert not CompTimeEntry.objects.exists()


def test_r_att_09_administration_sees_everything_but_decides_nothing(manager, staff, other_staff):
    clerk = UserFactory(username="admin-clerk", roles=[RoleName.ADMINISTRATION])
    leave = _pending(staff, handover_to=other_staff)

    with pytest.raises(PermissionDenied):
        leave_request_approve(actor=clerk, leave=leave)


def test_r_att_09_an_inactive_heads_members_go_to_the_designated_approver(manager, director, staff):
    manager.is_active = False
    manager.save()

    assert leave_approver_for(user=staff, on_date=MONDAY) == director


def test_r_att_09_an_inactive_parent_head_is_skipped(manager, marketing):
    parent = DepartmentFactory()
    parent.head = UserFactory(department=parent, is_active=False)
    parent.save()
    marketing.parent = parent
    marketing.save()

    with pytest.raises(ValidationError) as exc:
        leave_approver_for(user=manager, on_date=MONDAY)
    assert error_codes(exc.value) == ["no_approver"]
