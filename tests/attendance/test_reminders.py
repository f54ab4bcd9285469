"""R-JOB-01 / R-ATT-01: remind people who have not checked in by their department's start + delay."""

import datetime
from datetime import date

import pytest

from apps.attendance.models import CheckIn
from apps.attendance.reminders import remind_missing_checkins
from apps.attendance.services import checkin_record, field_notice_file
from apps.leave.models import LeaveRequest
from apps.notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import at, make_leave

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def _reminded() -> set[str]:
    return set(
        Notification.objects.filter(dedupe_key__startswith="checkin-missing:").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def morning(manager, assistant, staff, other_staff):
    """Monday morning: staff checked in, other_staff is on a field notice, assistant on approved leave."""
    checkin_record(user=staff, now=at(2026, 11, 2, 8, 55))
    field_notice_file(
        user=other_staff,
        start_date=MONDAY,
        end_date=MONDAY,
        destination="医院",
        purpose="培训",
        now=at(2026, 10, 30, 17, 0),
    )
    make_leave(assistant, handover_to=staff, approver=manager, start=MONDAY)
    return {"manager": manager, "assistant": assistant, "staff": staff, "other_staff": other_staff}


def test_r_job_01_no_reminder_before_start_plus_delay(morning):
    assert morning["manager"].department.checkin_reminder_minutes == 30

    assert remind_missing_checkins(now=at(2026, 11, 2, 9, 29, 59)) == 0
    assert _reminded() == set()


def test_r_job_01_only_people_without_check_in_notice_or_leave_are_reminded(morning, marketing):
    waiting = UserFactory(username="pending-leave", department=marketing)
    make_leave(
        waiting,
        handover_to=morning["staff"],
        approver=morning["manager"],
        start=MONDAY,
        status=LeaveRequest.Status.PENDING,
    )
    UserFactory(username="gone", department=marketing, is_active=False)

    sent = remind_missing_checkins(now=at(2026, 11, 2, 9, 30))

    # Pending leave is no excuse; approved leave, a notice or a check-in are.
    assert _reminded() == {"mgr", "pending-leave"}
    assert sent == 2
    note = Notification.objects.get(recipient=morning["manager"])
    assert note.dedupe_key == "checkin-missing:2026-11-02"


def test_r_job_01_check_in_reminder_once_per_day(morning):
    assert remind_missing_checkins(now=at(2026, 11, 2, 9, 30)) == 1
    assert remind_missing_checkins(now=at(2026, 11, 2, 9, 45)) == 0
    assert Notification.objects.filter(recipient=morning["manager"]).count() == 1

    # A new day is a new reminder.
    assert remind_missing_checkins(now=at(2026, 11, 3, 9, 45)) == 4
    assert Notification.objects.filter(recipient=morning["manager"]).count() == 2


def test_r_job_01_a_later_check_in_stops_the_reminder(morning):
    checkin_record(user=morning["manager"], now=at(2026, 11, 2, 9, 20))

    assert remind_missing_checkins(now=at(2026, 11, 2, 9, 30)) == 0


def test_r_job_01_each_department_by_its_own_start_time(morning):
    sales = DepartmentFactory(office_start=datetime.time(10, 0), checkin_reminder_minutes=15)
    UserFactory(username="sales1", department=sales)

    remind_missing_checkins(now=at(2026, 11, 2, 10, 14))
    assert _reminded() == {"mgr"}

    remind_missing_checkins(now=at(2026, 11, 2, 10, 15))
    assert _reminded() == {"mgr", "sales1"}


@pytest.mark.parametrize(
    "now",
    [
        at(2026, 11, 1, 9, 45),  # Sunday
        at(2026, 10, 5, 9, 45),  # National Day holiday (a Monday)
    ],
)
def test_r_job_01_no_check_in_reminders_on_non_working_days(manager, now):
    assert remind_missing_checkins(now=now) == 0
    assert not Notification.objects.exists()


def test_r_job_01_check_in_reminders_on_a_make_up_saturday(manager):
    assert remind_missing_checkins(now=at(2026, 10, 10, 9, 45)) == 1
    assert _reminded() == {"mgr"}


def test_r_job_01_afternoon_leave_does_not_excuse_the_morning_check_in(manager, staff, other_staff):
    make_leave(staff, handover_to=other_staff, approver=manager, start=MONDAY, start_half="pm")
    checkin_record(user=manager, now=at(2026, 11, 2, 8, 55))
    checkin_record(user=other_staff, now=at(2026, 11, 2, 8, 55))
    assert not CheckIn.objects.filter(user=staff).exists()

    remind_missing_checkins(now=at(2026, 11, 2, 9, 30))

    assert _reminded() == {"staff1"}
