"""Who reads whose attendance: the departments one heads (and below), one's own with the department
permission, every department only with ``view_all_attendance`` (Administration). Bad query input
never gives a 500 (issue 7)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from apps.attendance.reports import MonthlyAttendanceForm
from apps.attendance.selectors import attendance_departments_visible_to
from apps.core.roles import RoleName
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gm_office(marketing):
    """The General Manager's Office above Marketing, headed by the GM, with one secretary."""
    gm = UserFactory(username="gm", full_name="周总")
    office = DepartmentFactory(code="GMO", name="总经理办公室", head=gm)
    gm.department = office
    gm.save()
    UserFactory(username="secretary", full_name="总办秘书", department=office)
    marketing.parent = office
    marketing.save()
    return office


@pytest.fixture
def clerk(gm_office):
    administration = DepartmentFactory(code="ADM", name="行政部", parent=gm_office)
    return UserFactory(username="clerk", department=administration, roles=[RoleName.ADMINISTRATION, RoleName.STAFF])


def _codes(user) -> list[str]:
    return [d.code for d in attendance_departments_visible_to(user=user)]


def test_assistant_sees_only_their_own_department(assistant, gm_office):
    assert _codes(assistant) == ["MKT"]


def test_administration_sees_every_department_through_the_permission(clerk, gm_office):
    assert Group.objects.get(name=RoleName.ADMINISTRATION).permissions.filter(codename="view_all_attendance").exists()
    assert _codes(clerk) == ["ADM", "GMO", "MKT"]


def test_head_sees_the_departments_below(gm_office, manager):
    assert _codes(gm_office.head) == ["GMO", "MKT"]
    assert _codes(manager) == ["MKT"]


def test_staff_see_nothing(staff, gm_office):
    assert _codes(staff) == []


def test_assistant_cannot_open_the_gm_office_summary_or_csv(client_for, assistant, gm_office):
    client = client_for(assistant)

    page = client.get(reverse("attendance:summary"), {"month": "2026-11", "department": "GMO"})
    assert page.status_code == 200
    assert page.context["department"].code == "MKT"
    assert [d.code for d in page.context["departments"]] == ["MKT"]
    assert [m.level_tag for m in page.context["messages"]] == ["warning"]
    assert "总办秘书" not in page.content.decode()

    csv = client.get(reverse("attendance:summary_export"), {"month": "2026-11", "department": "GMO"})
    assert csv.status_code == 200
    assert "总办秘书" not in csv.content.decode("utf-8")
    assert "attendance-MKT-2026-11.csv" in csv["Content-Disposition"]


def test_clerk_with_the_permission_opens_the_gm_office_summary(client_for, clerk, gm_office):
    page = client_for(clerk).get(reverse("attendance:summary"), {"month": "2026-11", "department": "GMO"})

    assert page.status_code == 200
    assert page.context["department"].code == "GMO"
    assert "总办秘书" in page.content.decode()

    clerk.groups.clear()
    clerk.user_permissions.add(Permission.objects.get(codename="view_department_attendance"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    page = client_for(clerk).get(reverse("attendance:summary"), {"month": "2026-11", "department": "GMO"})
    assert page.context["department"].code == "ADM"


def test_a_person_without_departments_to_see_is_refused(client_for, staff):
    assert client_for(staff).get(reverse("attendance:summary")).status_code == 403
    assert client_for(staff).get(reverse("attendance:summary_export")).status_code == 403


@pytest.mark.parametrize("view", ["attendance:summary", "attendance:summary_export"])
@pytest.mark.parametrize(
    "query",
    [
        {"department": "a\x00b"},
        {"month": "2026-1\x001"},
        {"department": "MKT\x00", "month": "\x00"},
        {"department": "x" * 5000, "month": "junk"},
        {"department": ["MKT", "GMO"]},
    ],
)
def test_junk_or_nul_in_the_query_gives_a_fallback_not_a_500(client_for, manager, view, query):
    response = client_for(manager).get(reverse(view), query)

    assert response.status_code == 200


def test_nul_in_the_department_shows_a_message_and_the_own_department(client_for, manager):
    page = client_for(manager).get(reverse("attendance:summary"), {"department": "a\x00b"})

    assert page.context["department"].code == "MKT"
    assert [m.level_tag for m in page.context["messages"]] == ["warning"]


def test_report_form_offers_only_the_departments_one_may_see(assistant, clerk, gm_office):
    assistant_form = MonthlyAttendanceForm({"department": "GMO", "month": "2026-11"}, user=assistant)
    assert not assistant_form.is_valid()
    assert "department" in assistant_form.errors
    assert [d.code for d in assistant_form.fields["department"].queryset] == ["MKT"]

    assert MonthlyAttendanceForm({"department": "GMO", "month": "2026-11"}, user=clerk).is_valid()
