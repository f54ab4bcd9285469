"""Real threads on PostgreSQL: locks keep decisions single and balances non-negative (R-ATT-03, R-ATT-08).

Each test forces the worst interleaving: a rendezvous between a service's check and its write
makes both threads pass the check first, unless the service's lock keeps the second one out.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.leave import services as leave_services
from apps.leave.models import CompTimeEntry, LeaveEvent, LeaveRequest
from apps.leave.selectors import comp_time_balance
from apps.leave.services import acting_approver_name, leave_request_approve
from tests.clock import at_working_morning
from tests.leave.helpers import (
    at,
    error_codes,
    make_leave,
    rendezvous,
    run_together,
    submit,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real threads"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    at_working_morning,  # acting approvers are named from today
]

Status = LeaveRequest.Status
MONDAY = date(2026, 11, 2)


def _outcomes(results) -> list[str]:
    """Return "ok" or the error code of each thread; re-raise anything that is not a ValidationError."""
    outcomes = []
    for kind, value in results:
        if kind == "ok":
            outcomes.append("ok")
        elif isinstance(value, ValidationError):
            outcomes.extend(error_codes(value))
        else:
            raise value
    return sorted(outcomes)


def test_r_att_03_two_approvers_at_once_approve_once(manager, marketing, assistant, staff, other_staff, monkeypatch):
    today = timezone.localdate()
    acting_approver_name(actor=manager, department=marketing, user=assistant, start_date=today, end_date=today)
    leave = make_leave(staff, handover_to=other_staff, approver=manager, start=MONDAY, status=Status.PENDING)
    monkeypatch.setattr(leave_services, "_check_important_periods", rendezvous(leave_services._check_important_periods))

    results = run_together(
        lambda: leave_request_approve(actor=manager, leave=LeaveRequest.objects.get(pk=leave.pk)),
        lambda: leave_request_approve(actor=assistant, leave=LeaveRequest.objects.get(pk=leave.pk)),
    )

    assert _outcomes(results) == ["already_decided", "ok"]
    leave.refresh_from_db()
    assert leave.status == Status.APPROVED
    assert LeaveEvent.objects.filter(request=leave, to_status=Status.APPROVED).count() == 1


def test_r_att_08_two_comp_approvals_at_once_never_overdraw(manager, staff, other_staff, monkeypatch):
    CompTimeEntry.objects.create(user=staff, kind=CompTimeEntry.Kind.GRANT, days=Decimal("1"), created_by=manager)
    first, second = (
        make_leave(staff, handover_to=other_staff, approver=manager, start=day, code="comp", status=Status.PENDING)
        for day in (MONDAY, date(2026, 11, 3))
    )
    monkeypatch.setattr(leave_services, "comp_time_balance", rendezvous(leave_services.comp_time_balance))

    results = run_together(
        lambda: leave_request_approve(actor=manager, leave=LeaveRequest.objects.get(pk=first.pk)),
        lambda: leave_request_approve(actor=manager, leave=LeaveRequest.objects.get(pk=second.pk)),
    )

    assert _outcomes(results) == ["insufficient_comp_time", "ok"]
    assert comp_time_balance(user=staff) == Decimal("0")
    assert LeaveRequest.objects.filter(status=Status.APPROVED).count() == 1
    assert CompTimeEntry.objects.filter(kind=CompTimeEntry.Kind.SPEND).count() == 1


def test_r_att_03_two_overlapping_submissions_at_once_make_one_request(manager, staff, other_staff, monkeypatch):
    monkeypatch.setattr(leave_services, "leave_approver_for", rendezvous(leave_services.leave_approver_for))
    now = at(2026, 10, 26, 10, 0)

    results = run_together(
        lambda: submit(staff, handover_to=other_staff, start=MONDAY, now=now),
        lambda: submit(staff, handover_to=other_staff, start=MONDAY, end_half="am", now=now),
    )

    assert _outcomes(results) == ["ok", "overlap"]
    assert LeaveRequest.objects.filter(user=staff).count() == 1


def test_r_att_08_two_comp_submissions_at_once_do_not_promise_the_same_days(manager, staff, other_staff, monkeypatch):
    CompTimeEntry.objects.create(user=staff, kind=CompTimeEntry.Kind.GRANT, days=Decimal("1"), created_by=manager)
    monkeypatch.setattr(leave_services, "leave_approver_for", rendezvous(leave_services.leave_approver_for))
    now = at(2026, 10, 26, 10, 0)

    results = run_together(
        lambda: submit(staff, handover_to=other_staff, start=MONDAY, code="comp", now=now),
        lambda: submit(staff, handover_to=other_staff, start=date(2026, 11, 3), code="comp", now=now),
    )

    assert _outcomes(results) == ["insufficient_comp_time", "ok"]
    assert LeaveRequest.objects.filter(user=staff).count() == 1
