"""Dates read the same in notifications as in the UI (issue 8): formatted in the recipient's language
with the locale's DATE_FORMAT, the format the pages' ``date`` filter shows, never ISO text."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy

from apps.leave.services import comp_grant_request_submit, leave_request_approve
from apps.notifications.models import Notification
from apps.notifications.services import localize_param, notification_send
from apps.org.services import task_assign
from apps.workcalendar.selectors import AffectedRequest, CalendarPreview
from apps.workcalendar.services import _notify_affected
from tests.clock import at_working_morning
from tests.factories import UserFactory
from tests.leave.helpers import at, submit

pytestmark = [pytest.mark.django_db, at_working_morning]

DAY = datetime.date(2026, 12, 10)


def _ui_date(day: datetime.date, language: str) -> str:
    with translation.override(language):
        return Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": day}))


def test_the_ui_shows_dates_this_way():
    assert _ui_date(DAY, "zh-hans") == "2026年12月10日"
    assert _ui_date(DAY, "en") == "10 Dec 2026"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_param_is_formatted_in_the_recipients_language(language):
    person = UserFactory(language=language)

    note = notification_send(recipient=person, title=gettext_lazy("Work on %(date)s"), params={"date": DAY})

    assert _ui_date(DAY, language) in note.title
    assert "2026-12-10" not in note.title


def test_chinese_has_no_space_around_the_date():
    person = UserFactory(language="zh-hans")

    note = notification_send(recipient=person, title=gettext_lazy("Work on %(date)s"), params={"date": DAY})

    assert note.title == "2026年12月10日加班"


def test_other_params_are_left_alone():
    assert localize_param("2026-12-10") == "2026-12-10"
    assert localize_param(3) == 3
    assert localize_param(Decimal("1.5")) == Decimal("1.5")


def test_an_aware_datetime_is_shown_in_shanghai_time():
    moment = datetime.datetime(2026, 12, 10, 1, 30, tzinfo=datetime.UTC)
    with translation.override("zh-hans"):
        assert localize_param(moment) == "2026年12月10日 09:30"


def test_leave_notifications_carry_localized_dates(manager, staff, other_staff):
    """R-ATT-03: the approver (Chinese) and the requester (English) each read the dates as their UI shows them."""
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    staff.language = "en"
    staff.save(update_fields=["language"])
    start = datetime.date(2026, 12, 3)

    leave = submit(staff, handover_to=other_staff, start=start, now=at(2026, 12, 1))
    leave_request_approve(actor=manager, leave=leave)

    to_approve = Notification.objects.get(recipient=manager)
    approved = Notification.objects.get(recipient=staff)
    assert to_approve.title == f"待审批请假：{staff.get_full_name()}，事假，2026年12月3日至2026年12月3日"
    assert approved.title == "Your personal leave 3 Dec 2026 – 3 Dec 2026 was approved"


def test_task_and_comp_time_notifications_carry_localized_dates(manager, staff):
    staff.language = "zh-hans"
    staff.save(update_fields=["language"])
    manager.language = "en"
    manager.save(update_fields=["language"])

    task_assign(
        title="回访医院", description="", owner=staff, assigned_by=manager, due_date=datetime.date(2026, 12, 10)
    )
    comp_grant_request_submit(user=staff, work_date=datetime.date(2026, 11, 28), days=Decimal("1"), reason="展会布展")

    task_note = Notification.objects.get(recipient=staff)
    grant_note = Notification.objects.get(recipient=manager)
    assert task_note.body == f"{manager.get_full_name()}向您交办了一项工作，截止日期为2026年12月10日。"
    assert grant_note.title.endswith("worked on 28 Nov 2026")


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", "2026年10月1日"), ("en", "1 Oct 2026")])
def test_the_calendar_admins_read_the_changed_requests_dates_in_their_language(language, shown):
    admin = UserFactory(is_superuser=True, is_staff=True, language=language)
    row = AffectedRequest(
        kind="Leave request",
        pk=7,
        person="陈晨",
        what="事假",
        start_date=datetime.date(2026, 10, 1),
        end_date=datetime.date(2026, 10, 1),
        status="approved",
        old_days=Decimal("1"),
        new_days=Decimal("0"),
        url="",
    )
    preview = CalendarPreview(year=2026, days=[], current=None, changes=[], unchanged=0, affected=[row], fingerprint="")

    _notify_affected(preview=preview)

    body = Notification.objects.get(recipient=admin).body
    assert shown in body
    assert "2026-10-01" not in body
    assert "1.0 → 0.0" in body
