"""The attendance pages: check-in, notices, Administration's daily view, summary and CSV (R-ATT-01, 02, 10)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.core.roles import RoleName
from apps.leave.models import LeaveRequest, LeaveType
from tests.clock import at_working_morning
from tests.factories import UserFactory

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = at_working_morning


def _future_working_day(offset=7):
    from apps.workcalendar.calendar import calendar_for

    start = timezone.localdate() + datetime.timedelta(days=offset)
    days = calendar_for(start, start + datetime.timedelta(days=20)).working_days(
        start, start + datetime.timedelta(days=20)
    )
    return days[0]


@pytest.mark.django_db
def test_r_att_01_check_in_through_the_page_once(client_for, staff):
    client = client_for(staff)

    first = client.post(reverse("attendance:checkin"), follow=True)
    second = client.post(reverse("attendance:checkin"), follow=True)

    assert CheckIn.objects.filter(user=staff).count() == 1
    assert [m.level_tag for m in first.context["messages"]] == ["warning"]  # 10:00 on a working day: late
    assert [m.level_tag for m in second.context["messages"]] == ["warning"]
    assert 'data-testid="checked-in"' in second.content.decode()


@pytest.mark.django_db
def test_r_att_01_check_in_ignores_a_time_sent_by_the_browser(client_for, staff):
    client_for(staff).post(reverse("attendance:checkin"), {"checked_in_at": "2020-01-01T08:00:00"})

    check_in = CheckIn.objects.get(user=staff)
    assert abs((check_in.checked_in_at - timezone.now()).total_seconds()) < 60


@pytest.mark.django_db
def test_check_in_is_post_only(client_for, staff):
    assert client_for(staff).get(reverse("attendance:checkin")).status_code == 405


@pytest.mark.django_db
def test_r_att_02_late_notice_is_refused_with_the_deadline_and_input_kept(client_for, staff):
    today = timezone.localdate()

    response = client_for(staff).post(
        reverse("attendance:notice_create"),
        {
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "destination": "省人民医院",
            "purpose": "培训",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["start_date"]
    assert 'value="省人民医院"' in response.content.decode()
    assert not FieldWorkNotice.objects.exists()


@pytest.mark.django_db
def test_r_att_02_notice_in_time_is_filed_and_administration_sees_it(client_for, staff, marketing):
    day = _future_working_day()
    clerk = UserFactory(roles=[RoleName.ADMINISTRATION], department=marketing)

    response = client_for(staff).post(
        reverse("attendance:notice_create"),
        {"start_date": day.isoformat(), "end_date": day.isoformat(), "destination": "省人民医院", "purpose": "培训"},
    )
    daily = client_for(clerk).get(reverse("attendance:notices_daily"), {"date": day.isoformat()})

    assert response.status_code == 302
    assert [n.user for n in daily.context["page_obj"]] == [staff]
    notice = FieldWorkNotice.objects.get()
    client_for(clerk).post(reverse("attendance:notice_receive", args=[notice.pk]), {"date": day.isoformat()})
    notice.refresh_from_db()
    assert notice.received_by == clerk


@pytest.mark.django_db
def test_daily_notices_need_permission_and_bad_date_is_not_a_500(client_for, staff, manager):
    assert client_for(staff).get(reverse("attendance:notices_daily")).status_code == 403
    response = client_for(manager).get(reverse("attendance:notices_daily"), {"date": "2026-13-45"})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


@pytest.mark.django_db
def test_staff_cannot_receive_notices(client_for, staff, other_staff):
    day = _future_working_day()
    notice = FieldWorkNotice.objects.create(
        user=other_staff,
        start_date=day,
        end_date=day,
        destination="x",
        purpose="y",
        filed_at=timezone.now(),
        deadline=timezone.now() + datetime.timedelta(days=1),
    )

    assert client_for(staff).post(reverse("attendance:notice_receive", args=[notice.pk])).status_code == 403


@pytest.mark.django_db
def test_withdraw_someone_elses_notice_is_404(client_for, staff, other_staff):
    day = _future_working_day()
    notice = FieldWorkNotice.objects.create(
        user=other_staff,
        start_date=day,
        end_date=day,
        destination="x",
        purpose="y",
        filed_at=timezone.now(),
        deadline=timezone.now() + datetime.timedelta(days=1),
    )

    assert client_for(staff).post(reverse("attendance:notice_withdraw", args=[notice.pk])).status_code == 404


@pytest.mark.django_db
def test_r_att_10_summary_csv_has_bom_and_neutralised_cells(client_for, manager, marketing):
    UserFactory(full_name='=HYPERLINK("http://x")', department=marketing)
    day = datetime.date(2026, 9, 1)
    CheckIn.objects.create(user=manager, date=day, checked_in_at=timezone.now(), is_late=True)
    sick = LeaveType.objects.get(code="sick")
    LeaveRequest.objects.create(
        user=manager,
        leave_type=sick,
        start_date=datetime.date(2026, 9, 2),
        end_date=datetime.date(2026, 9, 2),
        days=1,
        reason="r",
        handover_to=UserFactory(),
        handover_notes="n",
        approver=UserFactory(),
        status=LeaveRequest.Status.APPROVED,
    )

    response = client_for(manager).get(reverse("attendance:summary_export"), {"month": "2026-09"})

    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff")
    assert "'=HYPERLINK" in body
    manager_row = next(line for line in body.splitlines() if "王经理" in line).split(",")
    # working days, present, late, field work, comp, personal, sick, annual, unexcused
    assert manager_row[3:] == ["22", "1", "1", "0", "0", "0", "1", "0", "20"]


@pytest.mark.django_db
def test_summary_needs_permission_and_survives_a_bad_month(client_for, staff, manager):
    assert client_for(staff).get(reverse("attendance:summary")).status_code == 403
    response = client_for(manager).get(reverse("attendance:summary"), {"month": "9999-99"})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


@pytest.mark.django_db
def test_my_month_marks_unexcused_days(client_for, staff):
    response = client_for(staff).get(reverse("attendance:month"), {"month": "2026-09"})

    person_month = response.context["person_month"]
    assert person_month.working_days == 22
    assert person_month.unexcused == 22


def test_summary_links_to_the_report_center_for_the_same_month(client_for, manager, assistant, marketing):
    link = reverse("reports:type", args=["attendance_monthly"]) + "?month=2026-09&department=MKT"

    page = client_for(manager).get(reverse("attendance:summary"), {"month": "2026-09", "department": "MKT"})
    assert link in page.content.decode()

    # Without the report permission the summary is still there, the link is not.
    assistant.groups.clear()
    assistant.user_permissions.add(*Permission.objects.filter(codename="view_department_attendance"))
    page = client_for(assistant).get(reverse("attendance:summary"), {"month": "2026-09", "department": "MKT"})
    assert page.status_code == 200
    assert link not in page.content.decode()
