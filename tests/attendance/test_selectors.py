"""R-ATT-10: the monthly attendance summary per person and for the department."""

from datetime import date
from decimal import Decimal

import pytest

from apps.attendance.models import FieldWorkNotice
from apps.attendance.selectors import attendance_month, attendance_summary
from apps.attendance.services import checkin_record, field_notice_file, field_notice_withdraw
from apps.leave.models import LeaveRequest
from tests.factories import UserFactory
from tests.leave.helpers import at, leave_type, make_leave

pytestmark = pytest.mark.django_db

# September 2026: Mid-autumn Festival on Friday 25th (with the weekend), make-up Sunday 20th.
# Working days: 1–4, 7–11, 14–18, 20 (Sun), 21–24, 28–30 = 22.
# A Saturday, so whether "today" itself counts as unexcused does not matter here: 14 working days before it.
TODAY = date(2026, 9, 19)


@pytest.fixture
def september(manager, staff, other_staff):
    """Build staff's September: check-ins (one late), a field notice, half-day and sick leave."""
    checkin_record(user=staff, now=at(2026, 9, 1, 8, 58))
    checkin_record(user=staff, now=at(2026, 9, 2, 9, 20))  # late
    checkin_record(user=staff, now=at(2026, 9, 7, 8, 50))  # morning, then afternoon leave
    checkin_record(user=staff, now=at(2026, 9, 19, 10, 0))  # Saturday overtime: not a working day
    checkin_record(user=staff, now=at(2026, 9, 20, 9, 0))  # make-up Sunday
    checkin_record(user=staff, now=at(2026, 9, 21, 9, 5))  # on time within the grace
    field_notice_file(
        user=staff,
        start_date=date(2026, 9, 3),
        end_date=date(2026, 9, 4),
        destination="市疾控中心",
        purpose="招标答疑",
        now=at(2026, 9, 2, 17, 0),
    )
    withdrawn = field_notice_file(
        user=staff,
        start_date=date(2026, 9, 9),
        end_date=date(2026, 9, 9),
        destination="医院",
        purpose="回访",
        now=at(2026, 9, 7, 17, 0),
    )
    field_notice_withdraw(user=staff, notice=withdrawn, now=at(2026, 9, 8, 9, 0))
    # Services refuse periods this far back from the real today, so the history is written directly.
    make_leave(staff, handover_to=other_staff, approver=manager, start=date(2026, 9, 7), start_half="pm")
    make_leave(
        staff, handover_to=other_staff, approver=manager, code="sick", start=date(2026, 9, 14), end=date(2026, 9, 15)
    )
    make_leave(
        staff,
        handover_to=other_staff,
        approver=manager,
        start=date(2026, 9, 10),
        status=LeaveRequest.Status.REJECTED,
    )
    make_leave(
        staff,
        handover_to=other_staff,
        approver=manager,
        start=date(2026, 9, 11),
        status=LeaveRequest.Status.CANCELLED,
    )
    checkin_record(user=other_staff, now=at(2026, 9, 1, 9, 10))  # late
    return staff, other_staff


def test_r_att_10_person_month_counts_exactly(september):
    staff, _other = september

    month = attendance_month(user=staff, year=2026, month=9, today=TODAY)

    assert month.working_days == 22
    assert month.present == 5  # 1, 2, 7, 20, 21 — not Saturday the 19th
    assert month.late == 1
    assert month.field_work == 2  # 3 and 4; the withdrawn notice on the 9th does not count
    assert month.leave_days == {leave_type("personal").pk: Decimal("0.5"), leave_type("sick").pk: Decimal("2")}
    # Working days up to today with nothing: 8, 9, 10, 11 (rejected/cancelled leave), 16, 17, 18.
    unexcused = [d.date.day for d in month.days if d.is_unexcused and d.date <= TODAY]
    assert unexcused == [8, 9, 10, 11, 16, 17, 18]
    assert month.unexcused == 7


def test_r_att_10_days_carry_holidays_and_make_up_days(september):
    staff, _other = september

    days = {d.date: d for d in attendance_month(user=staff, year=2026, month=9, today=TODAY).days}

    assert len(days) == 30
    assert (days[date(2026, 9, 25)].is_working, days[date(2026, 9, 25)].holiday) == (False, "中秋节")
    assert (days[date(2026, 9, 20)].is_working, days[date(2026, 9, 20)].holiday) == (True, "")
    assert days[date(2026, 9, 19)].check_in is not None
    assert not days[date(2026, 9, 19)].is_unexcused


def test_r_att_10_department_summary_rows_and_totals(september):
    staff, other = september

    rows, totals = attendance_summary(users=[staff, other], year=2026, month=9, today=TODAY)

    assert [r.user for r in rows] == [staff, other]
    assert [(r.present, r.late, r.field_work, r.unexcused) for r in rows] == [(5, 1, 2, 7), (1, 1, 0, 13)]
    assert (totals["present"], totals["late"], totals["field_work"], totals["unexcused"]) == (6, 2, 2, 20)
    assert dict(totals["leave_days"]) == {
        leave_type("personal").pk: Decimal("0.5"),
        leave_type("sick").pk: Decimal("2"),
    }


def test_r_att_10_whole_past_month_counts_every_working_day(september):
    staff, _other = september

    month = attendance_month(user=staff, year=2026, month=9, today=date(2026, 11, 28))

    # 22 working days; covered: 1, 2, 3, 4, 7, 14, 15, 20, 21.
    assert month.unexcused == 13


def test_r_att_10_field_notice_over_a_holiday_counts_only_working_days(staff):
    field_notice_file(
        user=staff,
        start_date=date(2026, 9, 24),
        end_date=date(2026, 9, 28),
        destination="外地展会",
        purpose="布展",
        now=at(2026, 9, 23, 17, 0),
    )
    assert FieldWorkNotice.objects.count() == 1

    month = attendance_month(user=staff, year=2026, month=9, today=date(2026, 9, 30))

    assert month.field_work == 2  # 24 and 28; 25–27 are the Mid-autumn holiday


def test_r_att_10_summary_queries_do_not_grow_with_people(september, marketing, django_assert_num_queries):
    few = list(september)
    many = few + [UserFactory(department=marketing) for _ in range(28)]

    attendance_summary(users=few, year=2026, month=9, today=TODAY)  # caches the working calendar's year

    # Check-ins, notices and leave in one query, whatever the head count (the calendar from its cache).
    with django_assert_num_queries(1):
        rows, _totals = attendance_summary(users=few, year=2026, month=9, today=TODAY)
    with django_assert_num_queries(1):
        rows, _totals = attendance_summary(users=many, year=2026, month=9, today=TODAY)
    assert len(rows) == 30


def test_r_att_10_today_is_not_counted_unexcused_before_it_ends(staff):
    """Tuesday 22 September: Monday with nothing is unexcused, today with nothing yet is not."""
    month = attendance_month(user=staff, year=2026, month=9, today=date(2026, 9, 22))
    days = {d.date: d for d in month.days}

    assert days[date(2026, 9, 21)].is_unexcused
    assert not days[date(2026, 9, 22)].is_unexcused
    assert month.unexcused == 16  # 1–4, 7–11, 14–18, Sunday 20 (make-up) and 21; today left out
