"""Issue 8: calendar years are cached behind a stamp; any saved, deleted or imported day shows at once."""

from datetime import date

import pytest
from django.urls import reverse

from apps.workcalendar.calendar import calendar_for
from apps.workcalendar.models import CalendarOverride, StatutoryDay
from apps.workcalendar.services import calendar_load_year
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 12, 2)
SATURDAY = date(2026, 12, 5)


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(username="root", is_superuser=True, is_staff=True, language="en"))


def test_calendar_years_are_read_once_then_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(2):
        assert calendar_for(WEDNESDAY).is_working_day(WEDNESDAY)
    with django_assert_num_queries(0):
        assert calendar_for(WEDNESDAY).is_working_day(WEDNESDAY)
        assert calendar_for(date(2026, 10, 1)).holiday_name(date(2026, 10, 1))


def test_an_override_saved_in_admin_takes_effect_at_once(admin_client):
    assert calendar_for(WEDNESDAY).is_working_day(WEDNESDAY)  # cached as a working day

    response = admin_client.post(
        reverse("admin:workcalendar_calendaroverride_add"),
        {"date": WEDNESDAY.isoformat(), "is_working": "", "reason": "Team outing"},
    )

    assert response.status_code == 302
    assert not calendar_for(WEDNESDAY).is_working_day(WEDNESDAY)
    assert calendar_for(WEDNESDAY).holiday_name(WEDNESDAY) == "Team outing"


def test_an_override_deleted_in_admin_takes_effect_at_once(admin_client):
    override = CalendarOverride.objects.create(date=SATURDAY, is_working=True, reason="Make-up day")
    assert calendar_for(SATURDAY).is_working_day(SATURDAY)

    response = admin_client.post(
        reverse("admin:workcalendar_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not calendar_for(SATURDAY).is_working_day(SATURDAY)


def test_a_reloaded_year_takes_effect_at_once():
    national_day = date(2026, 10, 1)
    StatutoryDay.objects.filter(date__year=2026).delete()
    assert calendar_for(national_day).is_working_day(national_day)  # cached without the holidays

    calendar_load_year(year=2026)

    assert not calendar_for(national_day).is_working_day(national_day)
