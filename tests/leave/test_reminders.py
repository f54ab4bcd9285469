"""R-JOB-01: reminders of pending approvals and of handovers, on working days, once."""

import datetime
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from apps.leave.models import LeaveRequest
from apps.leave.reminders import leave_remind_approvers, leave_remind_handovers
from apps.notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import make_leave

pytestmark = pytest.mark.django_db

Status = LeaveRequest.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _recipients(prefix: str) -> list[str]:
    return sorted(
        Notification.objects.filter(dedupe_key__startswith=prefix).values_list("recipient__username", flat=True)
    )


@pytest.fixture
def waiting(manager, marketing, staff, other_staff, assistant):
    """Two members' requests wait for the head; the head's own waits for the director."""
    director = UserFactory(username="director")
    marketing.leave_approver = director
    marketing.save()
    DepartmentFactory(head=UserFactory(username="idle-head"))  # a head with nothing waiting
    make_leave(staff, handover_to=other_staff, approver=manager, start=date(2026, 11, 9), status=Status.PENDING)
    make_leave(assistant, handover_to=staff, approver=manager, start=date(2026, 11, 10), status=Status.PENDING)
    make_leave(other_staff, handover_to=staff, approver=manager, start=date(2026, 11, 11))  # approved already
    make_leave(manager, handover_to=staff, approver=director, start=date(2026, 11, 12), status=Status.PENDING)
    return director


def test_r_job_01_approvers_with_pending_requests_are_reminded_once_a_day(waiting, manager):
    assert leave_remind_approvers(today=date(2026, 11, 2)) == 2
    assert leave_remind_approvers(today=date(2026, 11, 2)) == 0

    assert _recipients("leave-queue:") == ["director", "mgr"]
    assert "2" in Notification.objects.get(recipient=manager).title
    # The next working day reminds again.
    assert leave_remind_approvers(today=date(2026, 11, 3)) == 2


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 1), 0),  # Sunday
        (date(2026, 10, 6), 0),  # National Day holiday (Tuesday)
        (date(2026, 10, 10), 2),  # make-up Saturday
    ],
)
def test_r_job_01_approver_reminders_only_on_working_days(waiting, today, expected):
    assert leave_remind_approvers(today=today) == expected


def test_r_job_01_nothing_pending_nothing_sent(manager, staff, other_staff):
    make_leave(staff, handover_to=other_staff, approver=manager, start=date(2026, 11, 9), status=Status.WITHDRAWN)

    assert leave_remind_approvers(today=date(2026, 11, 2)) == 0
    assert not Notification.objects.exists()


@pytest.fixture
def approved_monday(manager, staff, other_staff):
    return make_leave(staff, handover_to=other_staff, approver=manager, start=date(2026, 11, 2), end=date(2026, 11, 3))


@pytest.mark.parametrize(
    ("today", "reminded"),
    [
        (date(2026, 10, 29), False),  # Thursday: too early
        (date(2026, 10, 30), True),  # Friday: the working day before a Monday start
        (date(2026, 10, 31), False),  # Saturday: not a working day
        (date(2026, 11, 2), False),  # the first day itself
    ],
)
def test_r_job_01_handover_reminder_on_the_working_day_before(approved_monday, today, reminded):
    assert leave_remind_handovers(today=today) == int(reminded)
    assert _recipients("handover:") == (["staff2"] if reminded else [])


def test_r_job_01_handover_reminder_is_sent_once(approved_monday, other_staff):
    assert leave_remind_handovers(today=date(2026, 10, 30)) == 1
    assert leave_remind_handovers(today=date(2026, 10, 30)) == 0

    note = Notification.objects.get(recipient=other_staff)
    assert "交接" in note.body
    assert note.dedupe_key == f"handover:{approved_monday.pk}"


def test_r_job_01_no_handover_reminder_for_pending_or_cancelled_leave(manager, staff, other_staff, assistant):
    make_leave(staff, handover_to=other_staff, approver=manager, start=date(2026, 11, 2), status=Status.PENDING)
    make_leave(assistant, handover_to=other_staff, approver=manager, start=date(2026, 11, 2), status=Status.CANCELLED)

    assert leave_remind_handovers(today=date(2026, 10, 30)) == 0


@pytest.mark.parametrize(
    ("start", "today", "reminded"),
    [
        (date(2026, 10, 8), date(2026, 9, 30), True),  # before National Day for the first day after it
        (date(2026, 10, 12), date(2026, 10, 9), False),  # Friday: Saturday 10th is a working day …
        (date(2026, 10, 12), date(2026, 10, 10), True),  # … so the make-up Saturday reminds
        (date(2026, 10, 10), date(2026, 10, 9), True),
    ],
)
def test_r_job_01_handover_reminder_follows_the_working_calendar(manager, staff, other_staff, start, today, reminded):
    make_leave(staff, handover_to=other_staff, approver=manager, start=start)

    assert leave_remind_handovers(today=today) == int(reminded)


@pytest.mark.time_machine(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
def test_r_job_01_a_queue_reminder_is_resolved_once_nothing_waits(waiting, manager, staff, assistant):
    """The morning's "N requests wait" asks its recipient to empty the queue: it leaves their unread
    count when the last request is decided (or withdrawn), not before, and nobody else's goes with it."""
    from apps.leave.services import leave_request_approve, leave_request_withdraw

    leave_remind_approvers(today=date(2026, 11, 2))
    reminder = Notification.objects.get(recipient=manager, dedupe_key__startswith="leave-queue:")
    director_reminder = Notification.objects.get(recipient__username="director")
    first, second = LeaveRequest.objects.filter(approver=manager, status=Status.PENDING).order_by("start_date")

    leave_request_approve(actor=manager, leave=first)
    reminder.refresh_from_db()
    assert reminder.resolved_at is None  # one still waits

    leave_request_withdraw(actor=second.user, leave=second)
    reminder.refresh_from_db()
    director_reminder.refresh_from_db()
    assert reminder.resolved_at is not None
    assert director_reminder.resolved_at is None


def test_r_job_01_deciding_with_no_reminder_open_costs_one_query(
    manager, staff, other_staff, django_assert_num_queries
):
    from apps.leave.reminders import leave_queue_reminders_resolve

    make_leave(staff, handover_to=other_staff, approver=manager, start=date(2026, 11, 9), status=Status.PENDING)
    with django_assert_num_queries(1):
        assert leave_queue_reminders_resolve(on_date=date(2026, 11, 2)) == 0
