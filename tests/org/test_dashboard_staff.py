"""A staff member's dashboard (issue 8): comp-time balance, this year's annual leave (no entitlement is
recorded, so no remaining balance is invented), the next leave, open tasks and handovers."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.leave.models import CompTimeEntry, LeaveRequest, LeaveType
from apps.org.models import AssignedTask
from tests.clock import SHANGHAI
from tests.factories import AssignedTaskFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI), tick=False),
]
TODAY = datetime.date(2026, 12, 1)


def leave(user, start, *, code="personal", status="approved", days=1, handover_to=None, end=None):
    colleague = handover_to or UserFactory()
    return LeaveRequest.objects.create(
        user=user,
        leave_type=LeaveType.objects.get(code=code),
        start_date=start,
        end_date=end or start,
        days=days,
        reason="r",
        handover_to=colleague,
        handover_notes="n",
        approver=UserFactory(),
        status=status,
    )


def part(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</li>", start)]


def dashboard(client) -> str:
    response = client.get(reverse("org:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_comp_time_balance_is_the_ledger_sum(client_for, staff):
    clerk = UserFactory()
    CompTimeEntry.objects.create(user=staff, kind="grant", days=2, created_by=clerk)
    CompTimeEntry.objects.create(user=staff, kind="grant", days="1.5", created_by=clerk)
    CompTimeEntry.objects.create(user=staff, kind="spend", days=-1, created_by=clerk)
    CompTimeEntry.objects.create(user=UserFactory(), kind="grant", days=5, created_by=clerk)

    balance = part(dashboard(client_for(staff)), "panel-comp-balance")

    assert re.search(r">\s*2\.5\s*(天|days)", balance)


def test_annual_leave_counts_approved_days_of_this_year_only_and_says_there_is_no_entitlement(client_for, staff):
    leave(staff, datetime.date(2026, 3, 2), code="annual", days=3, end=datetime.date(2026, 3, 4))
    leave(staff, datetime.date(2026, 12, 21), code="annual", days=2, end=datetime.date(2026, 12, 22))
    leave(staff, datetime.date(2026, 12, 28), code="annual", days=1, status="pending")
    leave(staff, datetime.date(2026, 5, 6), code="annual", days=4, status="rejected")
    leave(staff, datetime.date(2025, 7, 1), code="annual", days=5)  # last year
    leave(staff, datetime.date(2026, 6, 1), code="personal", days=1)  # another type

    annual = part(dashboard(client_for(staff)), "panel-annual")

    assert re.search(r">\s*5\s*(天|days)", annual)
    assert "2026" in annual
    assert re.search(r"(?<!\d)1(?!\d)", annual.split("</span>")[-2] + annual)  # one day still pending
    assert "entitlement" in annual or "额度" in annual


def test_next_leave_is_the_earliest_not_yet_ended(client_for, staff):
    leave(staff, datetime.date(2026, 11, 20))  # over
    leave(staff, datetime.date(2026, 12, 15), code="sick")
    leave(staff, datetime.date(2026, 12, 8), code="annual", status="pending")
    leave(staff, datetime.date(2026, 12, 3), status="withdrawn")

    next_leave = part(dashboard(client_for(staff)), "panel-next-leave")

    assert "年假" in next_leave and "12月8日" in next_leave
    assert "病假" not in next_leave and "事假" not in next_leave


def test_handovers_list_colleagues_leave_i_take_over(client_for, staff, other_staff):
    leave(other_staff, datetime.date(2026, 12, 9), handover_to=staff)
    leave(UserFactory(full_name="旧同事"), datetime.date(2026, 11, 2), handover_to=staff)  # over
    leave(UserFactory(full_name="被拒同事"), datetime.date(2026, 12, 10), handover_to=staff, status="rejected")

    html = dashboard(client_for(staff))

    handovers = [
        part(html[i:], "panel-handover") for i in [m.start() for m in re.finditer('data-testid="panel-handover"', html)]
    ]
    assert len(handovers) == 1
    assert "李员工" in handovers[0]


def test_open_tasks_are_listed(client_for, staff):
    AssignedTaskFactory(title="写竞品报告", owner=staff, due_date=TODAY + datetime.timedelta(days=3))
    AssignedTaskFactory(title="已完成的", owner=staff, status=AssignedTask.Status.DONE)

    html = dashboard(client_for(staff))

    assert "写竞品报告" in html and "已完成的" not in html


def test_staff_panel_in_english(client_for, staff):
    staff.language = "en"
    staff.save()
    leave(staff, datetime.date(2026, 12, 8), code="annual", status="pending")

    html = dashboard(client_for(staff))

    assert "Annual leave" in part(html, "panel-next-leave")
    assert "Comp-time balance" in part(html, "panel-comp-balance")


def _make_history(user, n):
    colleague = UserFactory()
    for i in range(n):
        CompTimeEntry.objects.create(user=user, kind="grant", days=1, created_by=colleague)
        leave(user, datetime.date(2026, 1, 5) + datetime.timedelta(days=i), code="annual")
        leave(user, TODAY + datetime.timedelta(days=10 + i), status="pending")
        leave(UserFactory(), TODAY + datetime.timedelta(days=i), handover_to=user)
        AssignedTaskFactory(owner=user, due_date=TODAY + datetime.timedelta(days=i))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("org:dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_staff_dashboard_query_count_does_not_grow_with_history(client_for, staff):
    client = client_for(staff)
    _make_history(staff, 2)
    client.get(reverse("org:dashboard"))
    with_two = _queries(client)

    _make_history(staff, 28)
    client.get(reverse("org:dashboard"))  # the new rows replaced the dashboard cache's stamp: warm it again
    with_thirty = _queries(client)

    assert with_two == with_thirty
    assert re.search(r">\s*30\s*(天|days)", part(dashboard(client), "panel-comp-balance"))
