"""R-ATT-08: comp time is earned on non-working days (approved by the head) and spent by comp
leave; the balance never goes negative."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.leave.models import CompTimeEntry, CompTimeGrantRequest, LeaveRequest
from apps.leave.selectors import comp_time_balance, comp_time_pending_spend
from apps.leave.services import (
    comp_grant_request_decide,
    comp_grant_request_submit,
    comp_time_grant_direct,
    leave_request_approve,
    leave_request_reject,
)
from apps.notifications.models import Notification
from apps.workcalendar.models import CalendarOverride
from tests.clock import at_working_morning
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import error_codes, last_day_on_or_before, make_leave

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.django_db, at_working_morning]

Status = LeaveRequest.Status
GrantStatus = CompTimeGrantRequest.Status


def _today() -> datetime.date:
    return timezone.localdate()


def _ask(user, work_date, days="1", reason="周末参加学术会议布展"):
    return comp_grant_request_submit(user=user, work_date=work_date, days=Decimal(days), reason=reason)


def _codes_of(call) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    return error_codes(exc.value)


# ---------------------------------------------------------------------------------------------
# Earning: grant requests


def test_r_att_08_comp_time_is_earned_on_a_non_working_day_not_a_working_day(manager, staff):
    rest_day = last_day_on_or_before(_today(), working=False)
    work_day = last_day_on_or_before(_today(), working=True)

    assert _codes_of(lambda: _ask(staff, work_day)) == ["working_day"]
    grant = _ask(staff, rest_day)

    assert (grant.status, grant.approver, grant.days) == (GrantStatus.PENDING, manager, Decimal("1"))
    assert Notification.objects.filter(recipient=manager).count() == 1
    assert comp_time_balance(user=staff) == 0  # nothing until the head approves


def test_r_att_08_grant_request_follows_company_overrides(manager, staff):
    rest_day = last_day_on_or_before(_today(), working=False)
    work_day = last_day_on_or_before(_today(), working=True)
    CalendarOverride.objects.create(date=rest_day, is_working=True, reason="展会加班日")
    CalendarOverride.objects.create(date=work_day, is_working=False, reason="公司放假")

    assert _codes_of(lambda: _ask(staff, rest_day)) == ["working_day"]
    assert _ask(staff, work_day).status == GrantStatus.PENDING


@pytest.mark.parametrize(
    ("offset_days", "days", "reason", "code"),
    [
        (1, "1", "加班", "work_date_future"),
        (None, "0.3", "加班", "invalid_comp_days"),
        (None, "1.5", "加班", "invalid_comp_days"),
        (None, "1", "  ", "reason_required"),
        (-400, "1", "加班", "date_out_of_range"),
    ],
)
def test_r_att_08_grant_request_input_rules(manager, staff, offset_days, days, reason, code):
    if offset_days is None:
        work_date = last_day_on_or_before(_today(), working=False)
    else:
        work_date = _today() + datetime.timedelta(days=offset_days)

    assert _codes_of(lambda: _ask(staff, work_date, days=days, reason=reason)) == [code]


def test_r_att_08_one_grant_request_per_day_unless_rejected(manager, staff):
    rest_day = last_day_on_or_before(_today(), working=False)
    first = _ask(staff, rest_day)

    assert _codes_of(lambda: _ask(staff, rest_day, days="0.5")) == ["duplicate_grant"]
    comp_grant_request_decide(actor=manager, grant=first, approve=False, comment="当天未安排加班")
    assert _ask(staff, rest_day, days="0.5").days == Decimal("0.5")


def test_r_att_08_head_approval_adds_to_the_balance(manager, staff):
    grant = _ask(staff, last_day_on_or_before(_today(), working=False), days="0.5")

    comp_grant_request_decide(actor=manager, grant=grant, approve=True)

    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.APPROVED, manager)
    entry = CompTimeEntry.objects.get(user=staff)
    assert (entry.kind, entry.days, entry.grant_request, entry.created_by) == (
        CompTimeEntry.Kind.GRANT,
        Decimal("0.5"),
        grant,
        manager,
    )
    assert comp_time_balance(user=staff) == Decimal("0.5")


def test_r_att_08_grant_decisions_need_the_head_a_comment_to_reject_and_happen_once(
    manager, staff, other_staff, assistant
):
    grant = _ask(staff, last_day_on_or_before(_today(), working=False))
    outsider = UserFactory(department=DepartmentFactory(head=UserFactory()))

    for actor in (staff, other_staff, assistant, outsider, outsider.department.head):
        with pytest.raises(PermissionDenied):
            comp_grant_request_decide(actor=actor, grant=grant, approve=True)
    assert _codes_of(lambda: comp_grant_request_decide(actor=manager, grant=grant, approve=False)) == [
        "comment_required"
    ]
    comp_grant_request_decide(actor=manager, grant=grant, approve=True)
    assert _codes_of(lambda: comp_grant_request_decide(actor=manager, grant=grant, approve=True)) == ["already_decided"]

    assert comp_time_balance(user=staff) == Decimal("1")


def test_r_att_09_heads_own_grant_goes_up(manager, marketing, staff):
    director = UserFactory(username="director")
    marketing.leave_approver = director
    marketing.save()
    grant = _ask(manager, last_day_on_or_before(_today(), working=False))
    assert grant.approver == director

    with pytest.raises(PermissionDenied):
        comp_grant_request_decide(actor=manager, grant=grant, approve=True)
    comp_grant_request_decide(actor=director, grant=grant, approve=True)

    assert comp_time_balance(user=manager) == Decimal("1")


# ---------------------------------------------------------------------------------------------
# Earning: direct grants


def test_r_att_08_head_grants_comp_time_directly(manager, staff):
    entry = comp_time_grant_direct(actor=manager, user=staff, days=Decimal("1.5"), reason=" 国庆值班 ")

    assert (entry.kind, entry.days, entry.reason, entry.created_by) == (
        CompTimeEntry.Kind.GRANT,
        Decimal("1.5"),
        "国庆值班",
        manager,
    )
    assert comp_time_balance(user=staff) == Decimal("1.5")
    assert Notification.objects.filter(recipient=staff).count() == 1


def test_r_att_08_direct_grant_is_for_the_head_and_not_for_oneself(manager, staff, other_staff, assistant):
    for actor, user in [(staff, other_staff), (assistant, staff), (manager, manager), (staff, staff)]:
        with pytest.raises(PermissionDenied):
            comp_time_grant_direct(actor=actor, user=user, days=Decimal("1"), reason="加班")

    assert not CompTimeEntry.objects.exists()


def test_r_att_08_grant_permission_does_not_reach_other_departments_or_ones_superior(manager, marketing):
    """The manager role's grant permission covers only people whose leave the manager decides."""
    gmo = DepartmentFactory()
    gm = UserFactory(department=gmo)
    gmo.head = gm
    gmo.save()
    marketing.parent = gmo
    marketing.save()
    clerk = UserFactory(department=DepartmentFactory())
    assert manager.has_perm("leave.grant_comp_time")

    for user in (gm, clerk):
        with pytest.raises(PermissionDenied):
            comp_time_grant_direct(actor=manager, user=user, days=Decimal("1"), reason="加班")
    # The head of the parent department decides the manager's leave, so may grant them comp time.
    comp_time_grant_direct(actor=gm, user=manager, days=Decimal("1"), reason="国庆值班")

    assert list(CompTimeEntry.objects.values_list("user__username", flat=True)) == ["mgr"]


@pytest.mark.parametrize(
    ("days", "reason", "code"),
    [
        (Decimal("0"), "加班", "invalid_comp_days"),
        (Decimal("-1"), "加班", "invalid_comp_days"),
        (Decimal("0.3"), "加班", "invalid_comp_days"),
        (Decimal("10.5"), "加班", "invalid_comp_days"),
        (Decimal("1"), " ", "reason_required"),
    ],
)
def test_r_att_08_direct_grant_input_rules(manager, staff, days, reason, code):
    assert _codes_of(lambda: comp_time_grant_direct(actor=manager, user=staff, days=days, reason=reason)) == [code]


# ---------------------------------------------------------------------------------------------
# Spending


def _comp_pending(user, *, handover_to, approver, start, days="1", **kwargs) -> LeaveRequest:
    return make_leave(
        user,
        handover_to=handover_to,
        approver=approver,
        start=start,
        code="comp",
        status=Status.PENDING,
        days=Decimal(days),
        **kwargs,
    )


def test_r_att_08_approval_spends_the_balance(manager, staff, other_staff):
    comp_time_grant_direct(actor=manager, user=staff, days=Decimal("2"), reason="加班")
    leave = _comp_pending(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 2))
    assert comp_time_pending_spend(user=staff) == Decimal("1")

    leave_request_approve(actor=manager, leave=leave)

    spend = CompTimeEntry.objects.get(kind=CompTimeEntry.Kind.SPEND)
    assert (spend.user, spend.days, spend.leave_request) == (staff, Decimal("-1"), leave)
    assert comp_time_balance(user=staff) == Decimal("1")
    assert comp_time_pending_spend(user=staff) == 0


def test_r_att_08_rejected_comp_leave_spends_nothing(manager, staff, other_staff):
    comp_time_grant_direct(actor=manager, user=staff, days=Decimal("1"), reason="加班")
    leave = _comp_pending(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 2))

    leave_request_reject(actor=manager, leave=leave, comment="活动期间")

    assert comp_time_balance(user=staff) == Decimal("1")
    assert not CompTimeEntry.objects.filter(kind=CompTimeEntry.Kind.SPEND).exists()


def test_r_att_08_balance_never_goes_negative(manager, staff, other_staff):
    comp_time_grant_direct(actor=manager, user=staff, days=Decimal("1.5"), reason="加班")
    # Two requests that fit separately but not together (e.g. filed before a grant was corrected).
    first = _comp_pending(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 2))
    second = _comp_pending(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 3))

    leave_request_approve(actor=manager, leave=first)
    assert _codes_of(lambda: leave_request_approve(actor=manager, leave=second)) == ["insufficient_comp_time"]

    second.refresh_from_db()
    assert second.status == Status.PENDING
    assert comp_time_balance(user=staff) == Decimal("0.5")
    assert not CompTimeEntry.objects.filter(leave_request=second).exists()


def test_r_att_08_half_a_day_left_pays_for_half_a_day(manager, staff, other_staff):
    comp_time_grant_direct(actor=manager, user=staff, days=Decimal("0.5"), reason="加班")
    half = _comp_pending(
        staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 2), end_half="am", days="0.5"
    )

    leave_request_approve(actor=manager, leave=half)

    assert comp_time_balance(user=staff) == 0
