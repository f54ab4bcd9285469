"""seed_demo: three months of history for the demo department, safe to run twice."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from apps.accounts.models import User
from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.attendance.selectors import attendance_people, attendance_summary, month_bounds
from apps.conduct.models import Acknowledgement
from apps.leave.models import CompTimeEntry, CompTimeGrantRequest, LeaveEvent, LeaveRequest, LeaveType
from apps.leave.selectors import comp_time_balance
from apps.org.models import AssignedTask, Department
from apps.workcalendar.calendar import calendar_for

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday: the history runs from 1 September to 30 November.
NOW = datetime.datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI)

MODELS = [
    User,
    CheckIn,
    FieldWorkNotice,
    LeaveRequest,
    LeaveEvent,
    CompTimeEntry,
    CompTimeGrantRequest,
    AssignedTask,
    Acknowledgement,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded():
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", verbosity=0)
        yield


@pytest.mark.parametrize(
    "moment",
    [
        NOW,
        datetime.datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI),  # a holiday, the first of a month
        datetime.datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI),  # year end
        datetime.datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI),  # a year the holiday package may not cover
    ],
)
def test_seed_demo_twice_adds_nothing(moment):
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", verbosity=0)
        first = _counts()
        call_command("seed_demo", verbosity=0)
    assert _counts() == first
    assert first["CheckIn"] > 300
    assert first["LeaveRequest"] == 20


def test_seed_demo_previous_month_has_check_ins_and_no_absence_before_start(seeded):
    staff = User.objects.get(username="staff")
    assert staff.employment_start < datetime.date(2026, 9, 1)
    assert staff.position is not None and staff.position.title == "员工"
    marketing = Department.objects.get(code="MKT")
    start, end = month_bounds(2026, 11)
    with time_machine.travel(NOW, tick=False):
        rows, totals = attendance_summary(
            users=attendance_people(department=marketing, start=start, end=end), year=2026, month=11, today=NOW.date()
        )
    row = next(r for r in rows if r.user.username == "staff")
    working = len(calendar_for(start, end).working_days(start, end))
    assert row.working_days == working
    assert row.present >= working - 6
    # Absences are the few days without check-in, notice or leave: never all of them.
    assert row.unexcused <= 3
    assert all(day.is_employed for day in row.days)
    assert totals["late"] > 0
    assert totals["field_work"] > 0


def test_seed_demo_has_leave_of_each_type_in_each_state(seeded):
    states = set(LeaveRequest.Status.values)
    for leave_type in LeaveType.objects.filter(is_active=True):
        seen = set(LeaveRequest.objects.filter(leave_type=leave_type).values_list("status", flat=True))
        assert seen == states, leave_type.code


def test_seed_demo_leave_lengths_follow_the_calendar_and_comp_time_stays_covered(seeded):
    for leave in LeaveRequest.objects.all():
        calendar = calendar_for(leave.start_date, leave.end_date)
        assert leave.days == calendar.count(leave.start_date, leave.end_date, leave.start_half, leave.end_half)
        assert leave.days > 0
        assert leave.approver_id != leave.user_id
    for user in User.objects.filter(comp_time__isnull=False).distinct():
        assert comp_time_balance(user=user) >= 0
    assert not CheckIn.objects.filter(date__gte=NOW.date()).exists()


def test_seed_demo_tasks_are_done_open_and_overdue(seeded):
    today = NOW.date()
    tasks = AssignedTask.objects.all()
    assert tasks.filter(status=AssignedTask.Status.DONE).exists()
    assert tasks.filter(status__in=AssignedTask.OPEN_STATUSES, due_date__gte=today).exists()
    assert tasks.filter(status__in=AssignedTask.OPEN_STATUSES, due_date__lt=today).exists()
    assert Acknowledgement.objects.exists()


def test_seed_demo_admin_is_exempt_from_check_in(seeded):
    admin = User.objects.get(username="admin")
    assert admin.attendance_exempt
    assert not User.objects.get(username="staff").attendance_exempt
    assert admin not in attendance_people(department=None)
    assert not CheckIn.objects.filter(user=admin).exists()
