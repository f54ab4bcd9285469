"""Issue 8: the check-in page and the field-work notice list, read in a fixed number of queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.attendance import views
from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.leave.models import CompTimeEntry
from tests.clock import at_working_morning
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, at_working_morning]
TODAY = datetime.date(2026, 12, 1)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def _notice(user, day, destination="医院"):
    return FieldWorkNotice.objects.create(
        user=user,
        start_date=day,
        end_date=day,
        destination=destination,
        purpose="p",
        filed_at=timezone.now() - datetime.timedelta(days=400),
        deadline=timezone.now(),
    )


# --- the check-in page -------------------------------------------------------------------------


def test_check_in_page_reads_the_calendar_once_and_no_row_twice(client_for, staff, django_assert_num_queries):
    client = client_for(staff)
    client.get(reverse("attendance:today"))

    # Session, user; department, today's check-in and comp-time balance (1); today's field work (1).
    # The calendar (today and tomorrow's deadline) comes from its per-year cache, filled by the first read.
    with django_assert_num_queries(4):
        html = client.get(reverse("attendance:today")).content.decode()

    assert 'data-testid="checkin-button"' in html


def test_check_in_page_shows_the_check_in_balance_field_work_and_deadline(client_for, staff, other_staff):
    CheckIn.objects.create(
        user=staff, date=TODAY, checked_in_at=timezone.now() - datetime.timedelta(minutes=50), is_late=True
    )
    CheckIn.objects.create(user=other_staff, date=TODAY, checked_in_at=timezone.now(), is_late=False)
    CompTimeEntry.objects.create(user=staff, kind="grant", days=1.5, created_by=other_staff)
    CompTimeEntry.objects.create(user=other_staff, kind="grant", days=4, created_by=staff)
    _notice(staff, TODAY, destination="第一医院")
    _notice(other_staff, TODAY, destination="第二医院")

    html, sql = _get(client_for(staff), reverse("attendance:today"))

    assert 'data-testid="checked-in"' in html and "09:10" in html  # 10:00 less 50 minutes
    assert "<strong>1.5</strong>" in html  # not the other person's 4
    assert "第一医院" in html and "第二医院" not in html
    assert "18:00" in html  # tomorrow's notice is due by the end of today's office hours
    assert sum('"workcalendar_statutoryday"' in q for q in sql) == 1


def test_check_in_page_of_someone_without_a_check_in_or_department(client_for):
    html, _sql = _get(client_for(UserFactory(department=None)), reverse("attendance:today"))

    assert 'data-testid="checkin-button"' in html
    assert "<strong>0</strong>" in html


# --- the field-work notice list ----------------------------------------------------------------


def test_notice_list_reads_as_many_queries_with_no_notice_as_with_thirty(client_for, staff):
    client = client_for(staff)
    url = reverse("attendance:notice_list")
    client.get(url)
    _html, empty = _get(client, url)

    for i in range(30):
        _notice(staff, TODAY - datetime.timedelta(days=i))
    client.get(url)
    html, full = _get(client, url)

    assert len(empty) == len(full)
    assert not any("COUNT(*)" in q for q in full)
    assert html.count("医院") == 25 and "1 / 2" not in html


def test_notice_list_pages_count_from_the_page_query(client_for, staff):
    for i in range(30):
        _notice(staff, TODAY - datetime.timedelta(days=i), destination=f"地点{i:02d}")
    client = client_for(staff)

    second, _sql = _get(client, reverse("attendance:notice_list") + "?page=2")
    beyond, _sql = _get(client, reverse("attendance:notice_list") + "?page=9")
    unreadable, _sql = _get(client, reverse("attendance:notice_list") + "?page=x")

    # Newest first: the second page holds the five oldest; a page past the end shows the last page.
    assert [f"地点{i}" in second for i in (24, 25, 29)] == [False, True, True]
    assert "地点29" in beyond and "地点24" not in beyond
    assert "地点00" in unreadable and "地点25" not in unreadable
    assert "第2页，共2页" in second


def test_notice_list_shows_only_my_notices(client_for, staff, other_staff):
    _notice(staff, TODAY, destination="我的地点")
    _notice(other_staff, TODAY, destination="别人的地点")

    html, _sql = _get(client_for(staff), reverse("attendance:notice_list"))

    assert "我的地点" in html and "别人的地点" not in html


# --- messages joined as the language writes them -----------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "第一句。第二句。"), ("en", "First sentence. Second sentence.")],
)
def test_check_in_refusals_are_joined_as_the_language_writes_them(client_for, staff, monkeypatch, language, expected):
    staff.language = language
    staff.save()
    sentences = {"zh-hans": ["第一句。", "第二句。"], "en": ["First sentence.", "Second sentence."]}[language]

    def refuse(**kwargs):
        raise ValidationError([ValidationError(s, code="refused") for s in sentences])

    monkeypatch.setattr(views, "checkin_record", refuse)
    response = client_for(staff).post(reverse("attendance:checkin"), follow=True)

    assert [str(m) for m in response.context["messages"]] == [expected]
