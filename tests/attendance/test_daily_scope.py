"""Field work by day and the attendance menu follow the attendance scope (issue 7): the assistant
sees Marketing's field work, not the General Manager's Office; Administration sees every
department; a head without the department permission still finds the summary in the menu."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.attendance.models import FieldWorkNotice
from apps.core.roles import RoleName
from tests.attendance.test_scope import clerk, gm_office  # noqa: F401 (fixtures)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 17)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _notice(user, destination):
    return FieldWorkNotice.objects.create(
        user=user,
        start_date=DAY,
        end_date=DAY,
        destination=destination,
        purpose="拜访",
        filed_at=datetime.datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI),
        deadline=datetime.datetime(2026, 11, 16, 17, 30, tzinfo=SHANGHAI),
    )


@pytest.fixture
def notices(gm_office, staff):  # noqa: F811
    secretary = User.objects.get(username="secretary")
    _notice(staff, "市场部目的地")
    _notice(secretary, "总办目的地")


def _daily(client):
    return client.get(reverse("attendance:notices_daily"), {"date": DAY.isoformat()})


def test_assistant_sees_field_work_of_their_own_department_only(client_for, assistant, notices):
    body = _daily(client_for(assistant)).content.decode()
    assert "市场部目的地" in body
    assert "总办目的地" not in body


def test_administration_sees_field_work_of_every_department(client_for, clerk, notices):  # noqa: F811
    body = _daily(client_for(clerk)).content.decode()
    assert "市场部目的地" in body
    assert "总办目的地" in body


def test_staff_cannot_open_field_work_by_day(client_for, staff, notices):
    assert _daily(client_for(staff)).status_code == 403


def test_head_without_the_department_permission_finds_the_summary_in_the_menu(client_for, gm_office):  # noqa: F811
    gm = gm_office.head
    assert not gm.has_perm("attendance.view_department_attendance")
    page = client_for(gm).get(reverse("org:dashboard"))
    assert reverse("attendance:summary") in page.content.decode()
    staff_page = client_for(UserFactory(username="plain", roles=[RoleName.STAFF])).get(reverse("org:dashboard"))
    assert reverse("attendance:summary") not in staff_page.content.decode()
