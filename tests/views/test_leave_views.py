"""The leave pages: request form, decisions by POST only, visibility, attachment download (R-ATT-03..09)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.leave.models import LeaveRequest, LeaveType
from apps.leave.services import leave_request_submit
from apps.workcalendar.calendar import calendar_for
from tests.clock import at_working_morning
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = at_working_morning


def _working_day(offset=5):
    start = timezone.localdate() + datetime.timedelta(days=offset)
    return calendar_for(start, start + datetime.timedelta(days=20)).working_days(
        start, start + datetime.timedelta(days=20)
    )[0]


def _form(leave_type, colleague, day, **extra):
    data = {
        "leave_type": leave_type.pk,
        "start_date": day.isoformat(),
        "start_half": "am",
        "end_date": day.isoformat(),
        "end_half": "pm",
        "reason": "家中有事",
        "handover_to": colleague.pk,
        "handover_notes": "跟进医院试剂补货",
    }
    data.update(extra)
    return data


@pytest.fixture
def personal(db):
    return LeaveType.objects.get(code="personal")


@pytest.fixture
def pending(staff, other_staff, manager, personal):
    return leave_request_submit(
        user=staff,
        leave_type=personal,
        start_date=_working_day(),
        start_half="am",
        end_date=_working_day(),
        end_half="pm",
        reason="r",
        handover_to=other_staff,
        handover_notes="n",
    )


@pytest.mark.django_db
def test_r_att_03_request_through_the_form_goes_to_the_head(client_for, staff, other_staff, manager, personal):
    response = client_for(staff).post(reverse("leave:create"), _form(personal, other_staff, _working_day()))

    leave = LeaveRequest.objects.get()
    assert response.url == reverse("leave:detail", args=[leave.pk])
    assert (leave.approver, leave.status, leave.days) == (manager, "pending", 1)


@pytest.mark.django_db
def test_r_att_03_started_leave_refused_and_form_keeps_input(client_for, staff, other_staff, manager, personal):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client_for(staff).post(
        reverse("leave:create"), _form(personal, other_staff, yesterday, reason="看病之后补报")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["start_date"]
    assert "看病之后补报" in response.content.decode()
    assert not LeaveRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"start_half": "pm", "end_half": "am"}, "end_date"),
        ({"start_date": "9999-01-01", "end_date": "9999-01-02"}, "start_date"),
        ({"start_date": "not a date"}, "start_date"),
        ({"handover_to": "999999"}, "handover_to"),
        ({"start_half": "evening"}, "start_half"),
    ],
)
def test_bad_input_gets_a_message_not_a_500(client_for, staff, other_staff, manager, personal, changes, field):
    data = _form(personal, other_staff, _working_day())
    data.update(changes)

    response = client_for(staff).post(reverse("leave:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not LeaveRequest.objects.exists()


@pytest.mark.django_db
def test_r_att_05_handover_to_oneself_or_inactive_is_refused(client_for, staff, manager, personal):
    inactive = UserFactory(is_active=False)
    client = client_for(staff)

    to_self = client.post(reverse("leave:create"), _form(personal, staff, _working_day()))
    to_inactive = client.post(reverse("leave:create"), _form(personal, inactive, _working_day()))

    assert to_self.context["form"].errors["handover_to"]
    assert to_inactive.context["form"].errors["handover_to"]


@pytest.mark.django_db
def test_r_att_04_sick_leave_needs_a_real_document(client_for, staff, other_staff, manager):
    sick = LeaveType.objects.get(code="sick")
    client = client_for(staff)
    fake = SimpleUploadedFile("note.pdf", b"just text, not a pdf", content_type="application/pdf")
    real = SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")

    missing = client.post(reverse("leave:create"), _form(sick, other_staff, _working_day()))
    wrong = client.post(reverse("leave:create"), {**_form(sick, other_staff, _working_day()), "attachment": fake})
    ok = client.post(reverse("leave:create"), {**_form(sick, other_staff, _working_day()), "attachment": real})

    assert missing.context["form"].errors["attachment"]
    assert wrong.context["form"].errors["attachment"]
    assert ok.status_code == 302
    assert LeaveRequest.objects.get().attachment_name == "note.pdf"


@pytest.mark.django_db
def test_attachment_download_is_for_requester_and_approver_only(client_for, staff, other_staff, manager):
    sick = LeaveType.objects.get(code="sick")
    client_for(staff).post(
        reverse("leave:create"),
        {**_form(sick, other_staff, _working_day()), "attachment": SimpleUploadedFile("n.pdf", PDF)},
    )
    leave = LeaveRequest.objects.get()
    url = reverse("leave:attachment", args=[leave.pk])
    stranger = UserFactory()

    assert client_for(staff).get(url).status_code == 200
    assert b"".join(client_for(manager).get(url).streaming_content).startswith(b"%PDF")
    assert client_for(stranger).get(url).status_code == 404
    # The colleague sees the handover, not the medical note.
    assert client_for(other_staff).get(url).status_code == 404


@pytest.mark.django_db
def test_r_att_09_approve_only_by_post_and_only_by_the_approver(client_for, pending, staff, other_staff, manager):
    url = reverse("leave:approve", args=[pending.pk])

    assert client_for(manager).get(url).status_code == 405
    assert client_for(staff).post(url).status_code == 403  # one's own request
    assert client_for(other_staff).post(url).status_code == 403  # the colleague sees it but cannot decide
    client_for(manager).post(url, {"comment": "同意"})

    pending.refresh_from_db()
    assert pending.status == "approved"
    assert list(pending.events.values_list("to_status", "comment")) == [("pending", ""), ("approved", "同意")]


@pytest.mark.django_db
def test_approving_twice_gives_a_message(client_for, pending, manager):
    client = client_for(manager)
    client.post(reverse("leave:approve", args=[pending.pk]), follow=True)

    response = client.post(reverse("leave:approve", args=[pending.pk]), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert pending.events.count() == 2


@pytest.mark.django_db
def test_another_departments_request_is_404_for_a_head_elsewhere(client_for, pending):
    from tests.factories import DepartmentFactory

    other_head = UserFactory()
    DepartmentFactory(head=other_head)

    assert client_for(other_head).get(reverse("leave:detail", args=[pending.pk])).status_code == 404
    assert client_for(other_head).post(reverse("leave:approve", args=[pending.pk])).status_code == 404


@pytest.mark.django_db
def test_reject_without_comment_is_refused_with_a_message(client_for, pending, manager):
    response = client_for(manager).post(reverse("leave:reject", args=[pending.pk]), follow=True)

    pending.refresh_from_db()
    assert pending.status == "pending"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_queue_and_handovers_show_the_right_requests(client_for, pending, manager, other_staff, staff):
    queue = client_for(manager).get(reverse("leave:queue"))
    handovers = client_for(other_staff).get(reverse("leave:handovers"))

    assert list(queue.context["page_obj"]) == [pending]
    assert list(handovers.context["page_obj"]) == [pending]
    assert list(client_for(staff).get(reverse("leave:queue")).context["page_obj"]) == []


@pytest.mark.django_db
def test_withdraw_from_the_page(client_for, pending, staff):
    client_for(staff).post(reverse("leave:withdraw", args=[pending.pk]))

    pending.refresh_from_db()
    assert pending.status == "withdrawn"


@pytest.mark.django_db
def test_preview_shows_working_days_and_errors(client_for, staff):
    client = client_for(staff)
    day = _working_day()

    ok = client.get(reverse("leave:preview"), {"start_date": day, "end_date": day, "start_half": "pm"})
    bad = client.get(reverse("leave:preview"), {"start_date": day, "end_date": day - datetime.timedelta(days=3)})
    empty = client.get(reverse("leave:preview"), {})

    assert ok.context["days"] == 0.5
    assert "error" in bad.context
    assert "error" in empty.context


@pytest.mark.django_db
def test_r_att_06_declaring_a_period_lists_conflicting_comp_leave(client_for, manager, staff, other_staff):
    from apps.leave.models import CompTimeEntry

    CompTimeEntry.objects.create(user=staff, kind="grant", days=2, created_by=manager)
    comp = LeaveType.objects.get(code="comp")
    day = _working_day()
    leave = leave_request_submit(
        user=staff,
        leave_type=comp,
        start_date=day,
        start_half="am",
        end_date=day,
        end_half="pm",
        reason="r",
        handover_to=other_staff,
        handover_notes="n",
    )
    client_for(manager).post(reverse("leave:approve", args=[leave.pk]))

    response = client_for(manager).post(
        reverse("leave:periods"),
        {"name": "省临检会议", "start_date": day.isoformat(), "end_date": day.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["conflicts"] == [leave]
    assert client_for(staff).post(reverse("leave:periods"), {"name": "x"}).status_code == 403


@pytest.mark.django_db
def test_leave_calendar_shows_who_is_out(client_for, pending, manager, staff):
    client_for(manager).post(reverse("leave:approve", args=[pending.pk]))

    response = client_for(staff).get(reverse("leave:calendar"), {"month": pending.start_date.strftime("%Y-%m")})

    assert [row["user"] for row in response.context["grid"]] == [staff]
