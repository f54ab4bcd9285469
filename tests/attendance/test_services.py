"""R-ATT-01 check-in and R-ATT-02 field-work notices."""

import datetime
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.attendance.services import (
    checkin_record,
    field_notice_deadline,
    field_notice_file,
    field_notice_receive,
    field_notice_withdraw,
)
from apps.core.roles import RoleName
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import at, error_codes

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# R-ATT-01 check-in


def test_r_att_01_check_in_records_the_servers_time_and_the_local_date(staff):
    # 01:05 UTC is 09:05 in Shanghai: the check-in belongs to the Shanghai day.
    now = datetime.datetime(2026, 11, 2, 1, 5, tzinfo=datetime.UTC)
    request = RequestFactory().post("/attendance/check-in/", REMOTE_ADDR="10.1.2.3")

    check_in = checkin_record(user=staff, request=request, now=now)

    check_in.refresh_from_db()
    assert check_in.checked_in_at == now
    assert check_in.date == date(2026, 11, 2)
    assert check_in.ip_address == "10.1.2.3"
    assert (check_in.on_working_day, check_in.is_late) == (True, False)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "late"),
    [
        (8, 40, 0, False),
        (9, 0, 0, False),
        (9, 5, 0, False),  # the last minute of the 5-minute grace
        (9, 6, 0, True),
        (11, 30, 0, True),
    ],
)
def test_r_att_01_late_against_office_start_plus_grace(staff, hour, minute, second, late):
    assert (staff.department.office_start, staff.department.late_grace_minutes) == (datetime.time(9, 0), 5)

    check_in = checkin_record(user=staff, now=at(2026, 11, 2, hour, minute, second))

    assert check_in.is_late is late


def test_r_att_01_late_uses_the_departments_own_start_and_grace():
    department = DepartmentFactory(office_start=datetime.time(8, 30), late_grace_minutes=0)
    early_bird, late_comer = UserFactory(department=department), UserFactory(department=department)

    assert checkin_record(user=early_bird, now=at(2026, 11, 2, 8, 30)).is_late is False
    assert checkin_record(user=late_comer, now=at(2026, 11, 2, 8, 31)).is_late is True


def test_r_att_01_one_check_in_per_day(staff):
    first = checkin_record(user=staff, now=at(2026, 11, 2, 8, 50))

    with pytest.raises(ValidationError) as exc:
        checkin_record(user=staff, now=at(2026, 11, 2, 14, 0))

    assert error_codes(exc.value) == ["already_checked_in"]
    assert list(CheckIn.objects.filter(user=staff)) == [first]
    # The next day is a new day.
    assert checkin_record(user=staff, now=at(2026, 11, 3, 8, 50)).date == date(2026, 11, 3)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 1), False),  # an ordinary Sunday
        (date(2026, 10, 5), False),  # National Day holiday, a Monday
        (date(2026, 10, 10), True),  # make-up Saturday
        (date(2026, 9, 20), True),  # make-up Sunday
    ],
)
def test_r_att_01_check_in_on_a_non_working_day_is_never_late(staff, day, working):
    check_in = checkin_record(user=staff, now=at(day.year, day.month, day.day, 11, 0))

    assert (check_in.on_working_day, check_in.is_late) == (working, working)


# ---------------------------------------------------------------------------------------------
# R-ATT-02 deadline by the working calendar


@pytest.mark.parametrize(
    ("first_day", "deadline"),
    [
        (date(2026, 11, 4), at(2026, 11, 3, 18, 0)),  # Wednesday: Tuesday evening
        (date(2026, 11, 2), at(2026, 10, 30, 18, 0)),  # Monday: Friday evening
        (date(2026, 10, 8), at(2026, 9, 30, 18, 0)),  # after National Day: before the holiday
        (date(2026, 10, 5), at(2026, 9, 30, 18, 0)),  # field work during the holiday
        (date(2026, 10, 10), at(2026, 10, 9, 18, 0)),  # make-up Saturday: Friday
        (date(2026, 10, 12), at(2026, 10, 10, 18, 0)),  # Monday after the make-up Saturday
        (date(2026, 2, 24), at(2026, 2, 14, 18, 0)),  # after Spring Festival: the make-up Saturday
    ],
)
def test_r_att_02_deadline_is_end_of_previous_working_day(marketing, first_day, deadline):
    assert field_notice_deadline(department=marketing, first_day=first_day) == deadline


def test_r_att_02_deadline_uses_the_departments_end_of_day():
    department = DepartmentFactory(office_end=datetime.time(17, 30))

    assert field_notice_deadline(department=department, first_day=date(2026, 10, 8)) == at(2026, 9, 30, 17, 30)
    assert field_notice_deadline(department=None, first_day=date(2026, 10, 8)) == at(2026, 9, 30, 18, 0)


def _file(user, *, start, end=None, now):
    return field_notice_file(
        user=user,
        start_date=start,
        end_date=end or start,
        destination="省人民医院检验科",
        purpose="仪器培训",
        customer_name="省人民医院",
        now=now,
    )


def test_r_att_02_notice_one_second_before_the_deadline_is_accepted(staff):
    notice = _file(staff, start=date(2026, 10, 8), now=at(2026, 9, 30, 17, 59, 59))

    notice.refresh_from_db()
    assert notice.deadline == at(2026, 9, 30, 18, 0)
    assert notice.filed_at == at(2026, 9, 30, 17, 59, 59)
    assert (notice.status, notice.destination) == (FieldWorkNotice.Status.ACTIVE, "省人民医院检验科")


@pytest.mark.parametrize(
    "now",
    [
        at(2026, 9, 30, 18, 0, 0),  # exactly at the deadline
        at(2026, 10, 3, 9, 0),  # during the holiday
        at(2026, 10, 8, 8, 0),  # the morning of the day itself
    ],
)
def test_r_att_02_notice_after_deadline_is_refused(staff, now):
    with pytest.raises(ValidationError) as exc:
        _file(staff, start=date(2026, 10, 8), now=now)

    assert error_codes(exc.value) == ["past_deadline"]
    assert not FieldWorkNotice.objects.exists()


def test_r_att_02_make_up_saturday_deadline_is_friday_not_thursday(staff):
    assert _file(staff, start=date(2026, 10, 10), now=at(2026, 10, 9, 17, 0)).deadline == at(2026, 10, 9, 18, 0)
    with pytest.raises(ValidationError) as exc:
        _file(staff, start=date(2026, 10, 12), now=at(2026, 10, 10, 18, 30))
    assert error_codes(exc.value) == ["past_deadline"]


def test_r_att_02_overlapping_notices_are_refused(staff, other_staff):
    _file(staff, start=date(2026, 11, 4), end=date(2026, 11, 6), now=at(2026, 11, 2))

    with pytest.raises(ValidationError) as exc:
        _file(staff, start=date(2026, 11, 6), end=date(2026, 11, 9), now=at(2026, 11, 2))
    assert error_codes(exc.value) == ["overlap"]

    # The next day, or somebody else on the same days, is fine.
    _file(staff, start=date(2026, 11, 9), now=at(2026, 11, 2))
    _file(other_staff, start=date(2026, 11, 4), end=date(2026, 11, 6), now=at(2026, 11, 2))
    assert FieldWorkNotice.objects.count() == 3


def test_r_att_02_a_withdrawn_notice_does_not_block_a_new_one(staff):
    notice = _file(staff, start=date(2026, 11, 4), now=at(2026, 11, 2))
    field_notice_withdraw(user=staff, notice=notice, now=at(2026, 11, 2, 11, 0))

    assert _file(staff, start=date(2026, 11, 4), now=at(2026, 11, 2, 12, 0)).status == FieldWorkNotice.Status.ACTIVE


@pytest.mark.parametrize(
    ("start", "end", "destination", "purpose", "code"),
    [
        (date(2026, 11, 5), date(2026, 11, 4), "医院", "培训", "end_before_start"),
        (date(2026, 11, 4), date(2026, 11, 4), "  ", "培训", "destination_required"),
        (date(2026, 11, 4), date(2026, 11, 4), "医院", "", "purpose_required"),
        (date(2028, 11, 4), date(2028, 11, 4), "医院", "培训", "date_out_of_range"),
    ],
)
def test_r_att_02_notice_input_rules(staff, start, end, destination, purpose, code):
    with pytest.raises(ValidationError) as exc:
        field_notice_file(
            user=staff, start_date=start, end_date=end, destination=destination, purpose=purpose, now=at(2026, 11, 2)
        )

    assert error_codes(exc.value) == [code]


def test_r_att_02_withdraw_before_the_first_day_only(staff):
    early = _file(staff, start=date(2026, 11, 4), now=at(2026, 11, 2))
    late = _file(staff, start=date(2026, 11, 6), now=at(2026, 11, 2))

    field_notice_withdraw(user=staff, notice=early, now=at(2026, 11, 3, 23, 59))
    with pytest.raises(ValidationError) as exc:
        field_notice_withdraw(user=staff, notice=late, now=at(2026, 11, 6, 0, 1))

    assert error_codes(exc.value) == ["already_started"]
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, early.withdrawn_at) == (FieldWorkNotice.Status.WITHDRAWN, at(2026, 11, 3, 23, 59))
    assert (late.status, late.withdrawn_at) == (FieldWorkNotice.Status.ACTIVE, None)


def test_r_att_02_withdraw_twice_is_refused(staff):
    notice = _file(staff, start=date(2026, 11, 4), now=at(2026, 11, 2))
    field_notice_withdraw(user=staff, notice=notice, now=at(2026, 11, 2, 11, 0))

    with pytest.raises(ValidationError) as exc:
        field_notice_withdraw(user=staff, notice=notice, now=at(2026, 11, 2, 12, 0))

    assert error_codes(exc.value) == ["not_active"]


def test_r_att_02_only_the_filer_withdraws(staff, manager):
    notice = _file(staff, start=date(2026, 11, 4), now=at(2026, 11, 2))

    with pytest.raises(PermissionDenied):
        field_notice_withdraw(user=manager, notice=notice, now=at(2026, 11, 2, 11, 0))

    notice.refresh_from_db()
    assert notice.status == FieldWorkNotice.Status.ACTIVE


def test_r_att_02_administration_receives_notices(staff, manager):
    clerk = UserFactory(username="admin-clerk", roles=[RoleName.ADMINISTRATION])
    notice = _file(staff, start=date(2026, 11, 4), now=at(2026, 11, 2))

    with pytest.raises(PermissionDenied):
        field_notice_receive(user=manager, notice=notice)
    with pytest.raises(PermissionDenied):
        field_notice_receive(user=staff, notice=notice)
    notice.refresh_from_db()
    assert notice.received_at is None

    first = field_notice_receive(user=clerk, notice=notice).received_at
    again = field_notice_receive(user=clerk, notice=notice).received_at

    notice.refresh_from_db()
    assert notice.received_by == clerk
    assert notice.received_at == first == again
    assert first is not None


def test_r_att_01_check_in_is_a_fixed_handful_of_queries(staff, django_assert_num_queries):
    staff = type(staff).objects.select_related("department").get(pk=staff.pk)

    # Calendar overrides and statutory days, then the insert inside a savepoint.
    with django_assert_num_queries(5):
        checkin_record(user=staff, now=at(2026, 11, 2, 8, 55))
