"""The leave calendar: colleagues' leave read-only, pending shown apart, query parameters read by a form (issue 7)."""

import datetime

import pytest
from django.urls import reverse

from apps.core.roles import RoleName
from apps.leave.models import LeaveRequest
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import SHANGHAI, make_leave

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
NOVEMBER = {"month": "2026-11"}
Status = LeaveRequest.Status


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def colleagues_leave(staff, other_staff, assistant, manager):
    """李员工 approved sick leave on the 5th; the assistant's personal leave on the afternoon of the 12th, pending."""
    approved = make_leave(
        other_staff, handover_to=assistant, approver=manager, start=datetime.date(2026, 11, 5), code="sick"
    )
    pending = make_leave(
        assistant,
        handover_to=other_staff,
        approver=manager,
        start=datetime.date(2026, 11, 12),
        start_half="pm",
        status=Status.PENDING,
    )
    own = make_leave(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 19))
    return approved, pending, own


def _cells(body: str, status: str) -> int:
    return body.count(f'data-testid="calendar-cell" data-status="{status}"')


def test_colleagues_leave_is_shown_read_only_without_links_the_viewer_cannot_open(client_for, staff, colleagues_leave):
    approved, pending, own = colleagues_leave

    response = client_for(staff).get(reverse("leave:calendar"), NOVEMBER)

    body = response.content.decode()
    assert response.status_code == 200
    assert {row["user"].username for row in response.context["grid"]} == {"asst", "staff2", "staff1"}
    # Nothing on the page sends a colleague to a request page that would answer 404.
    assert reverse("leave:detail", args=[approved.pk]) not in body
    assert reverse("leave:detail", args=[pending.pk]) not in body
    assert reverse("leave:detail", args=[own.pk]) in body
    for page in (approved, pending):
        assert client_for(staff).get(reverse("leave:detail", args=[page.pk])).status_code == 404
    # Read-only: the type, the dates and the half day, never the reason.
    assert "病假" in body
    assert "测试" not in body  # make_leave's reason


def test_pending_leave_is_shown_apart_from_approved_leave_with_a_legend(client_for, staff, colleagues_leave):
    body = client_for(staff).get(reverse("leave:calendar"), NOVEMBER).content.decode()

    assert _cells(body, "approved") == 2  # 李员工 on the 5th, 陈员工 on the 19th
    assert _cells(body, "pending") == 1
    assert 'class="p-0 leave-pending"' in body
    assert 'data-testid="calendar-legend"' in body
    assert "○½" in body  # pending, afternoon only


def test_head_sees_and_opens_every_request_of_the_department(client_for, manager, colleagues_leave):
    body = client_for(manager).get(reverse("leave:calendar"), NOVEMBER).content.decode()

    for leave in colleagues_leave:
        assert reverse("leave:detail", args=[leave.pk]) in body


@pytest.fixture
def administration_leave(manager):
    department = DepartmentFactory(code="ADM", name="行政部", name_en="Administration")
    clerk = UserFactory(username="adm1", full_name="周行政", department=department, roles=[RoleName.ADMINISTRATION])
    colleague = UserFactory(username="adm2", full_name="吴行政", department=department, roles=[RoleName.STAFF])
    return make_leave(clerk, handover_to=colleague, approver=manager, start=datetime.date(2026, 11, 6))


def test_a_department_is_chosen_through_the_form_by_those_who_see_all_leave(
    client_for, manager, staff, administration_leave
):
    chosen = client_for(manager).get(reverse("leave:calendar"), {**NOVEMBER, "department": "ADM"})
    refused = client_for(staff).get(reverse("leave:calendar"), {**NOVEMBER, "department": "ADM"})

    assert [row["user"].username for row in chosen.context["grid"]] == ["adm1"]
    assert 'data-testid="calendar-filter"' in chosen.content.decode()
    assert "department=ADM" in chosen.context["next"]
    assert refused.context["department"].code == "MKT"
    assert refused.context["grid"] == []
    assert 'data-testid="calendar-filter"' not in refused.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"department": "a\x00b"}, "department"),
        ({"department": "NOPE"}, "department"),
        ({"department": "x" * 5000}, "department"),
        ({"month": "2026-11\x00"}, "month"),
        ({"month": "9999-99"}, "month"),
        ({"month": "junk", "department": "a\x00b"}, "both"),
    ],
)
def test_bad_calendar_parameters_fall_back_with_a_message_never_a_500(client_for, manager, params, field):
    response = client_for(manager).get(reverse("leave:calendar"), params)

    assert response.status_code == 200
    assert response.context["department"].code == "MKT"
    assert response.context["month_start"] == datetime.date(2026, 11, 1)
    warnings = [m.message for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == (2 if field == "both" else 1)


def test_a_bad_month_keeps_the_chosen_department(client_for, manager, administration_leave):
    response = client_for(manager).get(reverse("leave:calendar"), {"month": "junk", "department": "ADM"})

    assert response.status_code == 200
    assert response.context["department"].code == "ADM"
