"""A leave type inside an English sentence is written in lower case ("Your personal leave … was approved");
a label that starts with it keeps the capital ("Personal leave must be requested …"), and Chinese is unchanged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.leave.models import LeaveType
from apps.leave.services import leave_request_approve
from apps.leave.views import _leave_label
from apps.notifications.models import Notification
from tests.clock import WORKING_MORNING
from tests.leave.helpers import at, submit

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def _languages(manager, staff, *, approver: str, requester: str) -> None:
    manager.language = approver
    manager.save(update_fields=["language"])
    staff.language = requester
    staff.save(update_fields=["language"])


def test_an_english_notification_writes_the_type_in_lower_case_mid_sentence(manager, staff, other_staff):
    _languages(manager, staff, approver="en", requester="en")
    leave = submit(staff, handover_to=other_staff, start=datetime.date(2026, 12, 3), now=at(2026, 12, 1))
    leave_request_approve(actor=manager, leave=leave)

    approved = Notification.objects.get(recipient=staff).title
    to_approve = Notification.objects.get(recipient=manager).title
    assert approved.startswith("Your personal leave ")
    assert "Personal leave" not in approved
    assert ", personal leave " in to_approve


def test_a_chinese_notification_keeps_the_types_name(manager, staff, other_staff):
    _languages(manager, staff, approver="zh-hans", requester="zh-hans")
    leave = submit(staff, handover_to=other_staff, start=datetime.date(2026, 12, 3), now=at(2026, 12, 1))
    leave_request_approve(actor=manager, leave=leave)

    assert "事假" in Notification.objects.get(recipient=staff).title


def test_a_sentence_that_starts_with_the_type_keeps_its_capital(staff, other_staff):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        # Personal leave must be approved before it starts: a request for today, at 10:00, is too late.
        submit(staff, handover_to=other_staff, start=datetime.date(2026, 12, 1), now=at(2026, 12, 1))

    assert caught.value.error_dict["start_date"][0].code == "already_started"
    with translation.override("en"):
        message = caught.value.error_dict["start_date"][0].messages[0]
    assert message.startswith("Personal leave must be requested")


@pytest.mark.parametrize(
    ("language", "name_en", "expected"),
    [
        ("en", "Personal leave", "personal leave"),
        ("en", "COVID leave", "COVID leave"),
        ("en", "", "事假"),
        ("zh-hans", "Personal leave", "事假"),
    ],
)
def test_name_in_sentence(language, name_en, expected):
    leave_type = LeaveType(code="x", name="事假", name_en=name_en)
    with translation.override(language):
        assert leave_type.name_in_sentence == expected
        assert leave_type.display_name == (name_en if language == "en" and name_en else "事假")


def test_the_batch_failure_label_writes_the_type_in_lower_case(manager, staff, other_staff):
    """The queue's batch report names each request mid-sentence: "Not approved: 陈员工’s personal leave from …"."""
    leave = submit(staff, handover_to=other_staff, start=datetime.date(2026, 12, 3))
    with translation.override("en"):
        assert "’s personal leave from" in _leave_label(leave)
    with translation.override("zh-hans"):
        assert "事假" in _leave_label(leave)
