"""Attendance counts only the days a person was employed, and never people exempt from check-in (issue 7)."""

import datetime
import importlib
from datetime import date

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.attendance.reminders import remind_missing_checkins
from apps.attendance.selectors import attendance_month, attendance_people, attendance_summary, month_bounds
from apps.core.dashboard import dashboard_panels
from apps.notifications.models import Notification
from apps.workcalendar.calendar import calendar_for
from tests.factories import UserFactory
from tests.leave.helpers import at

pytestmark = pytest.mark.django_db

NOVEMBER = month_bounds(2026, 11)
DECEMBER_FIRST = date(2026, 12, 1)


def _working_days(start: date, end: date) -> int:
    return len(calendar_for(start, end).working_days(start, end))


def test_joiner_mid_month_is_expected_only_from_the_start_date(marketing):
    joiner = UserFactory(department=marketing, employment_start=date(2026, 11, 16))

    month = attendance_month(user=joiner, year=2026, month=11, today=DECEMBER_FIRST)

    expected = _working_days(date(2026, 11, 16), date(2026, 11, 30))
    assert expected < _working_days(*NOVEMBER)
    assert month.working_days == expected
    assert month.unexcused == expected
    before = [day for day in month.days if day.date < date(2026, 11, 16)]
    assert before and not any(day.is_unexcused or day.is_employed for day in before)


def test_person_created_later_has_no_absence_in_earlier_months(marketing):
    newcomer = UserFactory(department=marketing, employment_start=DECEMBER_FIRST)

    month = attendance_month(user=newcomer, year=2026, month=11, today=DECEMBER_FIRST)

    assert (month.working_days, month.unexcused) == (0, 0)
    start, end = NOVEMBER
    assert newcomer not in attendance_people(department=marketing, start=start, end=end)


def test_leaver_is_expected_up_to_the_leaving_date_and_not_after(marketing):
    leaver = UserFactory(department=marketing, employment_end=date(2026, 11, 10), is_active=False)

    start, end = NOVEMBER
    month = attendance_month(user=leaver, year=2026, month=11, today=DECEMBER_FIRST)
    assert month.working_days == _working_days(start, date(2026, 11, 10))
    assert month.unexcused == month.working_days
    # The leaver's last month still lists them, although the account is closed; the next one does not.
    assert leaver in attendance_people(department=marketing, start=start, end=end)
    december = month_bounds(2026, 12)
    assert leaver not in attendance_people(department=marketing, start=december[0], end=december[1])


def test_summary_totals_count_only_days_of_employment(marketing):
    UserFactory(department=marketing, employment_start=date(2026, 11, 23))
    UserFactory(department=marketing, employment_end=date(2026, 11, 4))
    start, end = NOVEMBER

    rows, totals = attendance_summary(
        users=attendance_people(department=marketing, start=start, end=end), year=2026, month=11, today=DECEMBER_FIRST
    )

    assert totals["unexcused"] == _working_days(date(2026, 11, 23), end) + _working_days(start, date(2026, 11, 4))


def test_leaving_date_before_start_is_refused():
    user = UserFactory.build(username="x", employment_start=date(2026, 11, 10), employment_end=date(2026, 11, 9))
    with pytest.raises(ValidationError) as exc:
        user.full_clean(exclude=["password"])
    assert exc.value.error_dict["employment_end"][0].code == "employment_end_before_start"

    user.employment_end = date(2026, 11, 10)
    user.full_clean(exclude=["password"])


def test_leaving_date_before_start_is_refused_by_the_database():
    user = UserFactory(employment_start=date(2026, 11, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(employment_end=date(2026, 11, 1))


def test_admin_edits_the_employment_period_and_refuses_a_reversed_one(client_for, marketing):
    admin = UserFactory(is_staff=True, is_superuser=True)
    person = UserFactory(department=marketing, username="zhao")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    client = client_for(admin)
    page = client.get(url)
    for name in ("employment_start", "employment_end", "attendance_exempt"):
        assert f'name="{name}"' in page.content.decode()
    assert 'name="employment_start"' in client.get(reverse("admin:accounts_user_add")).content.decode()

    form = {
        "username": "zhao",
        "full_name": person.full_name,
        "email": person.email,
        "language": "zh-hans",
        "clearance": person.clearance,
        "department": marketing.pk,
        "employment_start": "2026-11-10",
        "employment_end": "2026-11-01",
        "is_active": "on",
        "date_joined_0": "2026-11-01",
        "date_joined_1": "09:00:00",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "employment_end" in response.context["adminform"].form.errors

    response = client.post(url, {**form, "employment_end": "", "attendance_exempt": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.employment_start == date(2026, 11, 10)
    assert person.attendance_exempt


def test_exempt_people_are_not_in_the_summary(marketing, manager, client_for):
    exempt = UserFactory(department=marketing, full_name="免打卡人", attendance_exempt=True)

    assert exempt not in attendance_people(department=marketing)
    response = client_for(manager).get(reverse("attendance:summary"), {"month": "2026-11", "department": "MKT"})
    assert response.status_code == 200
    assert exempt not in [row.user for row in response.context["rows"]]
    assert "免打卡人" not in response.content.decode()


def test_reminders_skip_people_not_yet_employed_already_gone_or_exempt(marketing):
    monday = date(2026, 11, 2)
    UserFactory(username="present", department=marketing)
    UserFactory(username="joins-later", department=marketing, employment_start=monday + datetime.timedelta(days=1))
    UserFactory(username="has-left", department=marketing, employment_end=monday - datetime.timedelta(days=1))
    UserFactory(username="exempt", department=marketing, attendance_exempt=True)
    UserFactory(username="last-day", department=marketing, employment_end=monday)

    remind_missing_checkins(now=at(2026, 11, 2, 9, 45))

    reminded = set(
        Notification.objects.filter(dedupe_key__startswith="checkin-missing:").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"present", "last-day"}


def test_exempt_people_get_no_check_in_panel(rf, marketing):
    person = UserFactory(department=marketing)
    request = rf.get("/")
    request.user = person
    assert "attendance.today" in [panel.key for panel, _context in dashboard_panels(request)]

    person.attendance_exempt = True
    assert "attendance.today" not in [panel.key for panel, _context in dashboard_panels(request)]


def test_my_month_marks_days_before_the_start_as_not_employed(client_for, marketing, time_machine):
    time_machine.move_to("2026-12-01T08:30:00+08:00", tick=False)
    joiner = UserFactory(department=marketing, employment_start=date(2026, 11, 16))

    response = client_for(joiner).get(reverse("attendance:month"), {"month": "2026-11"})

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="not-employed"') == 15
    assert response.context["person_month"].unexcused == _working_days(date(2026, 11, 16), date(2026, 11, 30))


def test_data_migration_takes_the_start_from_the_local_date_joined():
    migration = importlib.import_module("apps.accounts.migrations.0005_employment_start_from_date_joined")
    # 17:00 UTC on 30 June is already 1 July in Shanghai.
    user = UserFactory(date_joined=datetime.datetime(2026, 6, 30, 17, 0, tzinfo=datetime.UTC))
    User.objects.filter(pk=user.pk).update(employment_start=DECEMBER_FIRST)

    migration.employment_start_from_date_joined(global_apps, None)

    user.refresh_from_db()
    assert user.employment_start == date(2026, 7, 1)
