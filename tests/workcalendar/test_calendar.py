"""R-ATT-07: working days follow the state calendar (holidays and 调休), then company overrides."""

import datetime
from datetime import date
from decimal import Decimal

import pytest
from chinese_calendar import constants as statutory
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.workcalendar.calendar import calendar_for, count_working_days, is_working_day, previous_working_day
from apps.workcalendar.models import CalendarOverride, StatutoryDay
from tests.leave.helpers import error_codes

pytestmark = pytest.mark.django_db


def _days(start: date, end: date) -> list[date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def test_r_att_07_seeded_2026_matches_the_package():
    seeded = {(d.date, d.is_working, d.name) for d in StatutoryDay.objects.filter(date__year=2026)}

    expected = {(d, False, name) for d, name in statutory.holidays.items() if d.year == 2026}
    expected |= {(d, True, name) for d, name in statutory.workdays.items() if d.year == 2026}
    assert seeded == expected


def test_r_att_07_package_constants_for_2026_are_what_these_tests_assume():
    # If a package upgrade moves a holiday, fail here first rather than in a dozen tests below.
    assert all(statutory.holidays.get(d) == "National Day" for d in _days(date(2026, 10, 1), date(2026, 10, 7)))
    assert all(statutory.holidays.get(d) == "Spring Festival" for d in _days(date(2026, 2, 15), date(2026, 2, 23)))
    assert all(statutory.holidays.get(d) == "Mid-autumn Festival" for d in _days(date(2026, 9, 25), date(2026, 9, 27)))
    assert {d: statutory.workdays[d] for d in statutory.workdays if d.year == 2026 and d.month in (2, 9, 10)} == {
        date(2026, 2, 14): "Spring Festival",  # Saturday
        date(2026, 2, 28): "Spring Festival",  # Saturday
        date(2026, 9, 20): "National Day",  # Sunday
        date(2026, 10, 10): "National Day",  # Saturday
    }


def test_r_att_07_national_day_2026_holidays_and_make_up_days():
    calendar = calendar_for(date(2026, 9, 19), date(2026, 10, 12))

    assert [calendar.is_working_day(d) for d in _days(date(2026, 10, 1), date(2026, 10, 7))] == [False] * 7
    assert calendar.is_working_day(date(2026, 9, 30))  # Wednesday before
    assert calendar.is_working_day(date(2026, 10, 8))  # Thursday after
    # Make-up days on a weekend work; the ordinary weekend next to them does not.
    assert (calendar.is_working_day(date(2026, 9, 20)), calendar.is_working_day(date(2026, 9, 19))) == (True, False)
    assert (calendar.is_working_day(date(2026, 10, 10)), calendar.is_working_day(date(2026, 10, 11))) == (True, False)
    assert calendar.holiday_name(date(2026, 10, 3)) == "国庆节"  # in the active language (zh-hans)
    with translation.override("en"):
        assert calendar.holiday_name(date(2026, 10, 3)) == "National Day"
    assert calendar.holiday_name(date(2026, 10, 10)) == ""


def test_r_att_07_spring_festival_2026_holidays_and_make_up_saturdays():
    calendar = calendar_for(date(2026, 2, 13), date(2026, 3, 1))

    assert [calendar.is_working_day(d) for d in _days(date(2026, 2, 15), date(2026, 2, 23))] == [False] * 9
    assert calendar.is_working_day(date(2026, 2, 14))  # Saturday make-up day
    assert calendar.is_working_day(date(2026, 2, 28))  # Saturday make-up day
    assert not calendar.is_working_day(date(2026, 3, 1))  # ordinary Sunday
    assert calendar.is_working_day(date(2026, 2, 24))  # Tuesday, back at work


def test_r_att_07_mid_autumn_friday_is_a_holiday_and_weekdays_are_the_default():
    assert not is_working_day(date(2026, 9, 25))  # Friday, Mid-autumn Festival
    assert is_working_day(date(2026, 9, 24))  # ordinary Thursday
    assert not is_working_day(date(2026, 11, 28))  # ordinary Saturday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 8), date(2026, 9, 30)),  # across the National Day holiday
        (date(2026, 10, 12), date(2026, 10, 10)),  # Monday after a make-up Saturday
        (date(2026, 10, 10), date(2026, 10, 9)),  # the make-up Saturday itself
        (date(2026, 9, 21), date(2026, 9, 20)),  # Monday after a make-up Sunday
        (date(2026, 9, 28), date(2026, 9, 24)),  # across Mid-autumn (Fri–Sun)
        (date(2026, 2, 24), date(2026, 2, 14)),  # across Spring Festival to the make-up Saturday
        (date(2026, 3, 2), date(2026, 2, 28)),  # Monday after the second make-up Saturday
        (date(2026, 11, 2), date(2026, 10, 30)),  # an ordinary Monday: Friday
        (date(2026, 11, 4), date(2026, 11, 3)),  # an ordinary Wednesday: Tuesday
    ],
)
def test_r_att_07_previous_working_day(day, expected):
    assert previous_working_day(day) == expected


@pytest.mark.parametrize(
    ("start", "start_half", "end", "end_half", "expected"),
    [
        (date(2026, 11, 2), "am", date(2026, 11, 2), "pm", Decimal("1")),
        (date(2026, 11, 2), "am", date(2026, 11, 2), "am", Decimal("0.5")),
        (date(2026, 11, 2), "pm", date(2026, 11, 2), "pm", Decimal("0.5")),
        (date(2026, 11, 2), "pm", date(2026, 11, 3), "am", Decimal("1")),
        (date(2026, 11, 2), "am", date(2026, 11, 8), "pm", Decimal("5")),  # Mon–Sun
        (date(2026, 10, 1), "am", date(2026, 10, 7), "pm", Decimal("0")),  # the whole holiday
        (date(2026, 10, 5), "am", date(2026, 10, 5), "am", Decimal("0")),  # half of a holiday
        (date(2026, 9, 30), "pm", date(2026, 10, 8), "am", Decimal("1")),  # halves either side of it
        (date(2026, 9, 28), "am", date(2026, 10, 12), "pm", Decimal("7")),  # 28, 29, 30, 8, 9, 10 (Sat), 12
        (date(2026, 2, 13), "am", date(2026, 2, 28), "pm", Decimal("7")),  # 13, 14 (Sat), 24–27, 28 (Sat)
    ],
)
def test_r_att_07_count_working_days_with_halves(start, start_half, end, end_half, expected):
    assert count_working_days(start, end, start_half, end_half) == expected


@pytest.mark.parametrize(
    ("start", "start_half", "end", "end_half", "code"),
    [
        (date(2026, 11, 2), "pm", date(2026, 11, 2), "am", "impossible_halves"),
        (date(2026, 11, 3), "am", date(2026, 11, 2), "pm", "end_before_start"),
        (date(2026, 11, 2), "evening", date(2026, 11, 2), "pm", "invalid_half"),
    ],
)
def test_r_att_07_impossible_periods_are_refused(start, start_half, end, end_half, code):
    with pytest.raises(ValidationError) as exc:
        count_working_days(start, end, start_half, end_half)

    assert error_codes(exc.value) == [code]


def test_r_att_07_pm_to_am_across_two_days_is_allowed_but_not_on_one_day():
    assert count_working_days(date(2026, 11, 2), date(2026, 11, 3), "pm", "am") == Decimal("1")
    with pytest.raises(ValidationError) as exc:
        count_working_days(date(2026, 11, 3), date(2026, 11, 3), "pm", "am")
    assert error_codes(exc.value) == ["impossible_halves"]


@pytest.mark.parametrize(
    ("day", "override", "state_says"),
    [
        (date(2026, 10, 5), True, False),  # a National Day holiday the company works
        (date(2026, 10, 10), False, True),  # a state make-up Saturday the company gives off
        (date(2026, 11, 6), False, True),  # an ordinary Friday off (company outing)
        (date(2026, 11, 8), True, False),  # an ordinary Sunday worked (trade fair)
    ],
)
def test_r_att_07_company_override_beats_the_state_calendar(day, override, state_says):
    assert is_working_day(day) is state_says

    CalendarOverride.objects.create(date=day, is_working=override, reason="公司安排")

    assert is_working_day(day) is override


def test_r_att_07_override_changes_counts_and_previous_working_day():
    CalendarOverride.objects.create(date=date(2026, 10, 9), is_working=False, reason="公司团建")

    assert previous_working_day(date(2026, 10, 10)) == date(2026, 10, 8)
    assert count_working_days(date(2026, 10, 8), date(2026, 10, 12)) == Decimal("3")  # 8, 10, 12


def test_r_att_07_uncovered_year_follows_monday_to_friday_plus_overrides():
    assert not StatutoryDay.objects.filter(date__year=2027).exists()
    # 2027-01-01 is a Friday: without the state calendar it is an ordinary working day …
    assert is_working_day(date(2027, 1, 1))
    assert not is_working_day(date(2027, 1, 2))  # Saturday
    assert count_working_days(date(2027, 1, 1), date(2027, 1, 8)) == Decimal("6")

    # … until the company enters the holiday as an override.
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_working=False, reason="元旦")

    assert not is_working_day(date(2027, 1, 1))
    assert previous_working_day(date(2027, 1, 4)) == date(2026, 12, 31)
    assert count_working_days(date(2027, 1, 1), date(2027, 1, 8)) == Decimal("5")


def test_r_att_07_holiday_name_follows_company_overrides():
    CalendarOverride.objects.create(date=date(2026, 11, 6), is_working=False, reason="公司团建")
    CalendarOverride.objects.create(date=date(2026, 10, 2), is_working=True, reason="展会值班")
    calendar = calendar_for(date(2026, 10, 1), date(2026, 11, 9))

    assert calendar.holiday_name(date(2026, 11, 6)) == "公司团建"  # a company day off is named
    assert calendar.holiday_name(date(2026, 10, 2)) == ""  # a worked holiday is not a day off
    assert calendar.holiday_name(date(2026, 10, 3)) == "国庆节"
