"""Issue 7: a notification that asks for an action stops counting as unread once anyone takes it."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.leave.models import CompTimeGrantRequest, LeaveRequest
from apps.leave.services import (
    acting_approver_name,
    comp_grant_request_submit,
    leave_request_reject,
    leave_request_withdraw,
)
from apps.notifications.models import Notification
from apps.notifications.selectors import notification_list, notification_unread_count
from apps.notifications.services import notification_resolve, notification_send
from tests.leave.helpers import submit

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEXT_TUESDAY = datetime.date(2026, 12, 8)


@pytest.fixture(autouse=True)
def tuesday_morning(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False)


def badge(client) -> int:
    """The unread count the navigation bar shows."""
    return client.get(reverse("notifications:list")).context["unread_notification_count"]


def test_managers_badge_drops_when_the_acting_approver_decides(client_for, manager, assistant, staff, other_staff):
    leave = submit(staff, handover_to=other_staff, start=NEXT_TUESDAY)
    manager_client = client_for(manager)
    assert leave.approver == manager
    assert badge(manager_client) == 1
    assert badge(client_for(other_staff)) == 1  # the handover notice
    # The manager goes on a trip and names the assistant to decide in the meantime.
    acting_approver_name(
        actor=manager,
        department=manager.department,
        user=assistant,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 5),
    )

    response = client_for(assistant).post(reverse("leave:approve", args=[leave.pk]), {"comment": "同意"})

    assert response.status_code == 302
    leave.refresh_from_db()
    assert (leave.status, leave.decided_by) == (LeaveRequest.Status.APPROVED, assistant)
    assert badge(manager_client) == 0
    request_notice = Notification.objects.get(recipient=manager)
    assert request_notice.read_at is None  # not read: dealt with by someone else
    assert request_notice.resolved_at is not None
    assert list(notification_list(user=manager, unread_only=True)) == []
    page = manager_client.get(reverse("notifications:list")).content.decode()
    assert page.count("notification-resolved") == 1  # marked "dealt with"
    # A notification that asks for nothing stays unread: the colleague still has the handover and its confirmation.
    assert badge(client_for(other_staff)) == 2


@pytest.mark.parametrize("how", ["reject", "withdraw"])
def test_rejecting_or_withdrawing_also_resolves_the_approval_request(manager, staff, other_staff, how):
    leave = submit(staff, handover_to=other_staff, start=NEXT_TUESDAY)
    assert notification_unread_count(user=manager) == 1

    if how == "reject":
        leave_request_reject(actor=manager, leave=leave, comment="时间冲突")
    else:
        leave_request_withdraw(actor=staff, leave=leave)

    request_notice = Notification.objects.get(recipient=manager, action_key=f"leave-decide:{leave.pk}")
    assert request_notice.resolved_at is not None
    # Only the news of the withdrawal is left to read.
    assert notification_unread_count(user=manager) == (0 if how == "reject" else 1)


def test_deciding_a_comp_time_request_resolves_its_notification(client_for, manager, staff):
    grant = comp_grant_request_submit(
        user=staff, work_date=datetime.date(2026, 11, 28), days=Decimal("1"), reason="周六参加学术会议布展"
    )
    assert notification_unread_count(user=manager) == 1

    client_for(manager).post(reverse("leave:comp_decide", args=[grant.pk]), {"decision": "approve"})

    grant.refresh_from_db()
    assert grant.status == CompTimeGrantRequest.Status.APPROVED
    assert notification_unread_count(user=manager) == 0
    assert notification_unread_count(user=staff) == 1  # the decision itself


def test_resolve_touches_only_its_own_key(staff, other_staff):
    asked = notification_send(recipient=staff, title="请审批", action_key="leave-decide:1", email=False)
    also_asked = notification_send(recipient=other_staff, title="请审批", action_key="leave-decide:1", email=False)
    other = notification_send(recipient=staff, title="请审批", action_key="leave-decide:2", email=False)
    plain = notification_send(recipient=staff, title="通知", email=False)

    assert notification_resolve(action_key="leave-decide:1") == 2
    assert notification_resolve(action_key="leave-decide:1") == 0  # already resolved
    assert notification_resolve(action_key="") == 0

    resolved = {n.pk for n in Notification.objects.filter(resolved_at__isnull=False)}
    assert resolved == {asked.pk, also_asked.pk}
    assert {other.pk, plain.pk}.isdisjoint(resolved)
    assert notification_unread_count(user=staff) == 2
