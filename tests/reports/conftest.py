import datetime

import pytest

from apps.attendance.services import checkin_record, field_notice_file
from apps.core.roles import RoleName
from apps.leave.models import LeaveRequest
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import at, make_leave

from .helpers import clear_storage


@pytest.fixture(autouse=True)
def empty_report_storage():
    """The in-memory report storage lives as long as the process: start and end every test empty."""
    clear_storage()
    yield
    clear_storage()


@pytest.fixture
def other_department(db):
    return DepartmentFactory(code="ADM", name="行政部", name_en="Administration")


@pytest.fixture
def administration(other_department):
    """An Administration officer, outside marketing (so never a row of its attendance report)."""
    return UserFactory(
        username="adm1", full_name="周行政", department=other_department, roles=[RoleName.ADMINISTRATION]
    )


@pytest.fixture
def september(manager, staff, other_staff):
    """Marketing's September 2026 (Mid-autumn Festival on Friday 25th, make-up Sunday 20th; 22 working days).

    王经理 checks in every working day, late on the 30th. 陈员工: on time on the 1st, late on the 2nd,
    field work on the 3rd and 4th, a morning then personal leave in the afternoon of the 7th, sick on the
    14th and 15th, a rejected request on the 10th, Saturday overtime on the 19th, make-up Sunday the 20th,
    within the grace on the 21st. 李员工: late on the 1st, annual leave the morning of the 29th.
    """
    for name, user in (("M001", manager), ("S001", staff), ("S002", other_staff)):
        user.employee_no = name
        user.save(update_fields=["employee_no"])
    working = [*range(1, 5), *range(7, 12), *range(14, 19), *range(20, 25), *range(28, 31)]
    assert len(working) == 22
    for day in working:
        checkin_record(user=manager, now=at(2026, 9, day, 9, 30) if day == 30 else at(2026, 9, day, 8, 45))

    checkin_record(user=staff, now=at(2026, 9, 1, 8, 58))
    checkin_record(user=staff, now=at(2026, 9, 2, 9, 20))  # late
    checkin_record(user=staff, now=at(2026, 9, 7, 8, 50))  # morning, then afternoon leave
    checkin_record(user=staff, now=at(2026, 9, 19, 10, 0))  # Saturday: not a working day
    checkin_record(user=staff, now=at(2026, 9, 20, 9, 0))  # make-up Sunday
    checkin_record(user=staff, now=at(2026, 9, 21, 9, 5))  # within the 5-minute grace
    field_notice_file(
        user=staff,
        start_date=datetime.date(2026, 9, 3),
        end_date=datetime.date(2026, 9, 4),
        destination="市疾控中心",
        purpose="招标答疑",
        now=at(2026, 9, 2, 17, 0),
    )
    make_leave(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 9, 7), start_half="pm")
    make_leave(
        staff,
        handover_to=other_staff,
        approver=manager,
        code="sick",
        start=datetime.date(2026, 9, 14),
        end=datetime.date(2026, 9, 15),
    )
    make_leave(
        staff,
        handover_to=other_staff,
        approver=manager,
        start=datetime.date(2026, 9, 10),
        status=LeaveRequest.Status.REJECTED,
    )

    checkin_record(user=other_staff, now=at(2026, 9, 1, 9, 10))  # late
    make_leave(
        other_staff,
        handover_to=staff,
        approver=manager,
        code="annual",
        start=datetime.date(2026, 9, 29),
        end_half="am",
    )
    return manager, staff, other_staff
