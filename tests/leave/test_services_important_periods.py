"""R-ATT-06: no comp leave during declared important-activity periods (重要活动期间不许补休)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.leave.models import CompTimeEntry, ImportantPeriod, LeaveRequest
from apps.leave.selectors import comp_time_balance
from apps.leave.services import important_period_declare, leave_request_approve
from tests.clock import at_working_morning
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import error_codes, make_leave, working_days_from

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.django_db, at_working_morning]

Status = LeaveRequest.Status


@pytest.fixture
def days():
    """Five working days from a week ahead of today (declaring checks dates against it)."""
    return working_days_from(timezone.localdate() + datetime.timedelta(days=7), 5)


def _leave(user, *, day, code="comp", status=Status.APPROVED, colleague, approver):
    return make_leave(user, handover_to=colleague, approver=approver, start=day, code=code, status=status)


def test_r_att_06_declaring_returns_the_approved_comp_leave_it_conflicts_with(
    manager, staff, other_staff, assistant, days
):
    inside = _leave(staff, day=days[2], colleague=other_staff, approver=manager)
    _leave(staff, day=days[0], colleague=other_staff, approver=manager)  # before the period
    _leave(other_staff, day=days[2], code="personal", colleague=staff, approver=manager)
    _leave(assistant, day=days[3], status=Status.PENDING, colleague=staff, approver=manager)
    _leave(assistant, day=days[2], status=Status.CANCELLED, colleague=staff, approver=manager)
    straddling = make_leave(other_staff, handover_to=staff, approver=manager, start=days[0], end=days[1], code="comp")

    period, conflicts = important_period_declare(
        actor=manager, name=" 新品上市发布会 ", start_date=days[1], end_date=days[3]
    )

    assert (period.name, period.start_date, period.end_date, period.department, period.declared_by) == (
        "新品上市发布会",
        days[1],
        days[3],
        None,
        manager,
    )
    assert set(conflicts) == {inside, straddling}


def test_r_att_06_department_period_returns_only_that_departments_leave(manager, marketing, staff, other_staff, days):
    sales_head = UserFactory()
    sales = DepartmentFactory(head=sales_head)
    salesman, sales_colleague = UserFactory(department=sales), UserFactory(department=sales)
    ours = _leave(staff, day=days[1], colleague=other_staff, approver=manager)
    _leave(salesman, day=days[1], colleague=sales_colleague, approver=sales_head)

    _period, conflicts = important_period_declare(
        actor=manager, name="科室会", start_date=days[1], end_date=days[1], department=marketing
    )

    assert conflicts == [ours]


def test_r_att_06_declaring_needs_permission_a_name_and_a_valid_range(manager, staff, days):
    with pytest.raises(PermissionDenied):
        important_period_declare(actor=staff, name="年会", start_date=days[0], end_date=days[1])
    for name, start, end, code in [
        ("  ", days[0], days[1], "name_required"),
        ("年会", days[1], days[0], "end_before_start"),
        ("年会", days[0], days[0] + datetime.timedelta(days=800), "date_out_of_range"),
    ]:
        with pytest.raises(ValidationError) as exc:
            important_period_declare(actor=manager, name=name, start_date=start, end_date=end)
        assert error_codes(exc.value) == [code]

    assert not ImportantPeriod.objects.exists()


def test_r_att_06_pending_comp_leave_cannot_be_approved_once_a_period_is_declared(manager, staff, other_staff, days):
    CompTimeEntry.objects.create(user=staff, kind=CompTimeEntry.Kind.GRANT, days=Decimal("2"), created_by=manager)
    comp = _leave(staff, day=days[2], status=Status.PENDING, colleague=other_staff, approver=manager)
    personal = _leave(
        other_staff, day=days[2], code="personal", status=Status.PENDING, colleague=staff, approver=manager
    )
    important_period_declare(actor=manager, name="省级集采开标", start_date=days[2], end_date=days[2])

    with pytest.raises(ValidationError) as exc:
        leave_request_approve(actor=manager, leave=comp)
    leave_request_approve(actor=manager, leave=personal)

    assert error_codes(exc.value) == ["important_period"]
    assert "省级集采开标" in exc.value.messages[0]
    comp.refresh_from_db()
    personal.refresh_from_db()
    assert (comp.status, personal.status) == (Status.PENDING, Status.APPROVED)
    assert comp_time_balance(user=staff) == Decimal("2")
