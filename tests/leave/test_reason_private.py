"""The handover colleague sees the dates and the notes of sick leave, not the medical reason (issue 7).

Whether a reason is private is decided per leave type (``LeaveType.reason_private``); sick leave is
private from the start. The requester and whoever decides still see everything.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, translation

from apps.leave.models import LeaveType
from apps.leave.services import leave_request_reject
from tests.leave.helpers import SHANGHAI, doctors_note, submit

pytestmark = pytest.mark.django_db

# Tuesday 3 November 2026, 10:00: sick leave from yesterday, filed within its late-filing days.
NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
MONDAY = datetime.date(2026, 11, 2)
THURSDAY = datetime.date(2026, 11, 5)

REASON = "急性胃炎，医院诊断需卧床休息"
NOTES = "周三医院回访改到周五"


@pytest.fixture
def sick(time_machine, staff, other_staff, manager):
    time_machine.move_to(NOW, tick=False)
    return submit(
        staff,
        handover_to=other_staff,
        start=MONDAY,
        end=MONDAY,
        code="sick",
        attachment=doctors_note("胃镜报告.pdf"),
        reason=REASON,
        handover_notes=NOTES,
    )


def test_sick_leave_keeps_its_reason_private_from_the_start():
    flags = dict(LeaveType.objects.values_list("code", "reason_private"))

    assert flags == {"comp": False, "personal": False, "sick": True, "annual": False}


def test_handover_colleague_sees_dates_and_notes_of_sick_leave_but_not_reason_or_attachment(
    client_for, sick, other_staff, manager
):
    leave_request_reject(actor=manager, leave=sick, comment="胃炎请补充诊断书")
    client = client_for(other_staff)

    page = client.get(reverse("leave:detail", args=[sick.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert NOTES in body
    with translation.override("zh-hans"):
        assert formats.date_format(MONDAY, "SHORT_DATE_FORMAT") in body
    assert 'data-testid="reason-private"' in body
    for secret in (REASON, "胃镜报告", reverse("leave:attachment", args=[sick.pk]), "胃炎请补充诊断书"):
        assert secret not in body
    assert client.get(reverse("leave:attachment", args=[sick.pk])).status_code == 404


@pytest.mark.parametrize("who", ["staff", "manager"])
def test_requester_and_approver_still_see_reason_attachment_and_comments(client_for, sick, who, request):
    leave_request_reject(actor=request.getfixturevalue("manager"), leave=sick, comment="胃炎请补充诊断书")

    body = client_for(request.getfixturevalue(who)).get(reverse("leave:detail", args=[sick.pk])).content.decode()

    for shown in (REASON, "胃镜报告", reverse("leave:attachment", args=[sick.pk]), "胃炎请补充诊断书", NOTES):
        assert shown in body
    assert 'data-testid="reason-private"' not in body


def test_handover_colleague_sees_the_reason_of_a_type_that_does_not_keep_it_private(
    client_for, time_machine, staff, other_staff, manager
):
    time_machine.move_to(NOW, tick=False)
    leave = submit(staff, handover_to=other_staff, start=THURSDAY, reason="孩子开家长会", handover_notes=NOTES)

    body = client_for(other_staff).get(reverse("leave:detail", args=[leave.pk])).content.decode()

    assert "孩子开家长会" in body
    assert 'data-testid="reason-private"' not in body


def test_the_flag_is_data_an_admin_can_turn_on_for_another_type(client_for, time_machine, staff, other_staff, manager):
    LeaveType.objects.filter(code="personal").update(reason_private=True)
    time_machine.move_to(NOW, tick=False)
    leave = submit(staff, handover_to=other_staff, start=THURSDAY, reason="孩子开家长会", handover_notes=NOTES)

    body = client_for(other_staff).get(reverse("leave:detail", args=[leave.pk])).content.decode()

    assert "孩子开家长会" not in body
    assert NOTES in body
