"""Issue 7: from 1 November, while next year's calendar is missing, admins see a warning and a weekly reminder."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from apps.notifications.models import Notification
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.tasks import remind_next_year_calendar
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PANEL = 'data-testid="panel-calendar-missing"'


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def holder(db):
    user = UserFactory(username="calendar-keeper")
    user.user_permissions.add(Permission.objects.get(codename="import_calendar"))
    return user


def dashboard(client) -> str:
    response = client.get(reverse("org:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (at(2026, 6, 1, 9, 0), False),
        (at(2026, 10, 31, 23, 59), False),
        (at(2026, 11, 1, 0, 0), True),
        (at(2026, 12, 31, 23, 50), True),
        # This year missing is shown all year; 2028 is not due before November.
        (at(2027, 1, 4, 9, 0), True),
    ],
)
def test_warning_panel_from_1_november_while_next_year_is_missing(client_for, superuser, time_machine, moment, shown):
    time_machine.move_to(moment, tick=False)

    page = dashboard(client_for(superuser))

    assert (PANEL in page) is shown
    if shown:
        assert "2027" in page


def test_warning_panel_for_next_year_only_when_this_year_is_loaded(client_for, superuser, time_machine):
    CalendarYear.objects.create(year=2027, source_kind="file", source="2027.ics")
    time_machine.move_to(at(2027, 11, 1, 9, 0), tick=False)
    assert "2028" in dashboard(client_for(superuser))
    time_machine.move_to(at(2027, 10, 29, 9, 0), tick=False)
    assert PANEL not in dashboard(client_for(superuser))


def test_warning_panel_links_to_the_import_page_and_goes_once_the_year_is_loaded(
    client_for, superuser, holder, staff, time_machine
):
    time_machine.move_to(at(2026, 11, 16, 9, 0), tick=False)

    page = dashboard(client_for(superuser))
    assert PANEL in page
    assert reverse("admin:workcalendar_calendaryear_import") in page
    assert PANEL in dashboard(client_for(holder))
    assert PANEL not in dashboard(client_for(staff))

    CalendarYear.objects.create(year=2027, source_kind="file", source="2027.ics")

    assert PANEL not in dashboard(client_for(superuser))


def test_weekly_reminder_goes_to_calendar_admins_once_a_week_from_november(superuser, holder, staff, time_machine):
    UserFactory(username="old-root", is_superuser=True, is_active=False)

    time_machine.move_to(at(2026, 10, 26, 9, 0), tick=False)
    assert remind_next_year_calendar.delay().get() is None
    assert not Notification.objects.exists()

    time_machine.move_to(at(2026, 11, 2, 9, 0), tick=False)
    assert remind_next_year_calendar.delay().get() == 2027
    remind_next_year_calendar.delay()  # safe to run twice in a week
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["calendar-keeper", "root"]
    note = Notification.objects.filter(recipient=superuser).get()
    assert "2027" in note.title
    assert note.url == reverse("admin:workcalendar_calendaryear_import")

    time_machine.move_to(at(2026, 11, 9, 9, 0), tick=False)
    remind_next_year_calendar.delay()
    assert Notification.objects.filter(recipient=superuser).count() == 2

    CalendarYear.objects.create(year=2027, source_kind="file", source="2027.csv")
    time_machine.move_to(at(2026, 11, 16, 9, 0), tick=False)
    assert remind_next_year_calendar.delay().get() is None
    assert Notification.objects.filter(recipient=superuser).count() == 2


def test_weekly_reminder_is_scheduled_on_monday_mornings():
    task = PeriodicTask.objects.get(task="apps.workcalendar.tasks.remind_next_year_calendar")

    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "9", "1")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    # The daily coverage check is still there, on its own daily crontab.
    daily = PeriodicTask.objects.get(task="apps.workcalendar.tasks.check_calendar_coverage")
    assert daily.crontab.day_of_week == "*"
