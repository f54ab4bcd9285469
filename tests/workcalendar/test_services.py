"""R-ATT-07 and R-JOB-01: loading the state calendar, company overrides, coverage warnings."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.notifications.models import Notification
from apps.workcalendar.calendar import is_working_day
from apps.workcalendar.models import CalendarOverride, CalendarYear, StatutoryDay
from apps.workcalendar.services import calendar_check_coverage, calendar_load_year, calendar_override_set
from tests.factories import UserFactory
from tests.leave.helpers import error_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_r_att_07_load_covered_year_is_idempotent():
    before = set(StatutoryDay.objects.filter(date__year=2026).values_list("date", "is_working", "name"))

    loaded = calendar_load_year(year=2026)
    again = calendar_load_year(year=2026)

    after = set(StatutoryDay.objects.filter(date__year=2026).values_list("date", "is_working", "name"))
    assert loaded == again == len(before) == len(after)
    assert after == before
    assert CalendarYear.objects.filter(year=2026).count() == 1


def test_r_att_07_load_uncovered_year_is_refused_with_a_reason():
    with pytest.raises(ValidationError) as exc:
        calendar_load_year(year=2027)

    assert error_codes(exc.value) == ["year_not_covered"]
    assert "2027" in exc.value.messages[0]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_r_att_07_override_needs_permission_and_a_reason(superuser, staff):
    with pytest.raises(PermissionDenied):
        calendar_override_set(actor=staff, date=date(2026, 12, 31), is_working=False, reason="年终")
    with pytest.raises(ValidationError) as exc:
        calendar_override_set(actor=superuser, date=date(2026, 12, 31), is_working=False, reason="   ")
    assert error_codes(exc.value) == ["reason_required"]
    assert not CalendarOverride.objects.exists()

    calendar_override_set(actor=superuser, date=date(2026, 12, 31), is_working=False, reason=" 年终盘点 ")

    override = CalendarOverride.objects.get()
    assert (override.date, override.is_working, override.reason, override.created_by) == (
        date(2026, 12, 31),
        False,
        "年终盘点",
        superuser,
    )
    assert not is_working_day(date(2026, 12, 31))


def test_r_att_07_setting_an_override_twice_replaces_it(superuser):
    calendar_override_set(actor=superuser, date=date(2026, 10, 5), is_working=True, reason="展会")
    calendar_override_set(actor=superuser, date=date(2026, 10, 5), is_working=False, reason="展会取消")

    assert list(CalendarOverride.objects.values_list("is_working", "reason")) == [(False, "展会取消")]
    assert not is_working_day(date(2026, 10, 5))


def test_r_job_01_missing_year_notifies_active_superusers_once(superuser, staff):
    UserFactory(username="old-root", is_superuser=True, is_active=False)

    first = calendar_check_coverage(today=date(2026, 11, 28))
    second = calendar_check_coverage(today=date(2026, 11, 28))

    assert first == second == [2027]
    note = Notification.objects.get()
    assert note.recipient == superuser
    assert note.dedupe_key == "calendar-missing:2027"
    assert "2027" in note.title


def test_r_job_01_coverage_check_reloads_a_covered_year_that_is_missing(superuser):
    CalendarYear.objects.filter(year=2026).delete()
    StatutoryDay.objects.filter(date__year=2026).delete()
    assert is_working_day(date(2026, 10, 1))  # without the state calendar: an ordinary Thursday

    missing = calendar_check_coverage(today=date(2026, 1, 5))

    assert missing == [2027]
    assert CalendarYear.objects.filter(year=2026).exists()
    assert not is_working_day(date(2026, 10, 1))


def test_r_job_01_nothing_to_report_when_both_years_are_covered(superuser):
    assert calendar_check_coverage(today=date(2025, 6, 1)) == []
    assert not Notification.objects.exists()
