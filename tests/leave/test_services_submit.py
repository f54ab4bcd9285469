"""Submitting leave: R-ATT-03 (in advance), R-ATT-04 (doctor's note), R-ATT-05 (handover),
R-ATT-06 (important periods), R-ATT-07 (working days), R-ATT-08 (comp balance)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.leave.models import CompTimeEntry, ImportantPeriod, LeaveEvent, LeaveRequest, LeaveType
from apps.leave.selectors import handovers_to, leave_request_visible_to
from apps.notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import (
    PDF_BYTES,
    PNG_BYTES,
    at,
    doctors_note,
    error_codes,
    leave_type,
    make_leave,
    submit,
)

pytestmark = pytest.mark.django_db

Status = LeaveRequest.Status
MONDAY = date(2026, 11, 2)  # an ordinary week: Mon 2 – Fri 6 November 2026
THURSDAY = date(2026, 11, 5)
FRIDAY = date(2026, 11, 6)
A_WEEK_BEFORE = at(2026, 10, 26, 10, 0)


def make_comp_balance(user, head, days: Decimal) -> None:
    CompTimeEntry.objects.create(
        user=user, kind=CompTimeEntry.Kind.GRANT, days=days, created_by=head, reason="周末加班"
    )


def _codes(**kwargs) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        submit(**kwargs)
    return error_codes(exc.value)


# ---------------------------------------------------------------------------------------------
# R-ATT-03 in advance (严禁先休后报)


def test_r_att_03_request_is_stored_routed_and_announced(manager, staff, other_staff):
    leave = submit(staff, handover_to=other_staff, start=THURSDAY, end=FRIDAY, code="personal", now=A_WEEK_BEFORE)

    leave.refresh_from_db()
    assert (leave.status, leave.approver, leave.days, leave.leave_type.code) == (
        Status.PENDING,
        manager,
        Decimal("2"),
        "personal",
    )
    assert list(leave.events.values_list("actor__username", "from_status", "to_status")) == [
        ("staff1", "", Status.PENDING)
    ]
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"mgr", "staff2"}


def test_r_att_05_handover_colleague_is_notified_and_sees_the_handover(manager, staff, other_staff, assistant):
    leave = submit(staff, handover_to=other_staff, start=THURSDAY, now=A_WEEK_BEFORE, handover_notes=" 每日巡检表 ")

    note = Notification.objects.get(recipient=other_staff)
    assert "每日巡检表" in note.body
    assert list(handovers_to(user=other_staff)) == [leave]
    assert leave in leave_request_visible_to(user=other_staff)
    assert leave not in leave_request_visible_to(user=assistant)
    assert leave.handover_notes == "每日巡检表"


@pytest.mark.parametrize("code", ["personal", "comp", "annual"])
@pytest.mark.parametrize(
    ("start", "start_half", "now", "allowed"),
    [
        (MONDAY, "am", at(2026, 11, 1, 20, 0), True),  # the evening before
        (MONDAY, "am", at(2026, 11, 2, 8, 59, 59), True),  # a second before office start
        (MONDAY, "am", at(2026, 11, 2, 9, 0, 0), False),  # at office start: it has begun
        (MONDAY, "pm", at(2026, 11, 2, 12, 59, 59), True),  # afternoon leave asked for in the morning
        (MONDAY, "pm", at(2026, 11, 2, 13, 0, 0), False),
        (date(2026, 10, 30), "am", at(2026, 11, 2, 8, 0), False),  # last week
    ],
)
def test_r_att_03_leave_that_has_started_is_refused(manager, staff, other_staff, code, start, start_half, now, allowed):
    if code == "comp":
        make_comp_balance(staff, manager, Decimal("2"))
    kwargs = {"handover_to": other_staff, "start": start, "start_half": start_half, "code": code, "now": now}

    if allowed:
        assert submit(staff, **kwargs).status == Status.PENDING
    else:
        assert _codes(user=staff, **kwargs) == ["already_started"]
        assert not LeaveRequest.objects.exists()


# ---------------------------------------------------------------------------------------------
# R-ATT-04 sick leave: a doctor's note, and filing within 3 working days


def test_r_att_04_sick_leave_without_doctors_note_is_refused(manager, staff, other_staff):
    codes = _codes(user=staff, handover_to=other_staff, start=MONDAY, code="sick", now=at(2026, 11, 2, 8, 0))

    assert codes == ["attachment_required"]


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("假条.pdf", PDF_BYTES, True),
        ("scan.png", PNG_BYTES, True),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, True),
        ("假条", PDF_BYTES, True),  # the content decides, not the name …
        ("note.pdf", b"I was ill, honestly.\n", False),  # … either way
        ("note.pdf", b"<html><script>alert(1)</script></html>", False),
        ("note.pdf", b"", False),
    ],
    ids=["pdf", "png", "jpeg", "pdf-without-extension", "text-named-pdf", "html-named-pdf", "empty"],
)
def test_r_att_04_doctors_note_is_checked_by_content(manager, staff, other_staff, name, content, accepted):
    kwargs = {"handover_to": other_staff, "start": MONDAY, "code": "sick", "now": at(2026, 11, 2, 8, 0)}

    if accepted:
        leave = submit(staff, attachment=doctors_note(name, content), **kwargs)
        leave.refresh_from_db()
        assert (leave.attachment_name, leave.attachment.size) == (name, len(content))
    else:
        assert _codes(user=staff, attachment=doctors_note(name, content), **kwargs) == ["attachment_type"]
        assert not LeaveRequest.objects.exists()


def test_r_att_04_stored_attachment_is_the_uploaded_file(manager, staff, other_staff):
    leave = submit(
        staff, handover_to=other_staff, start=MONDAY, code="sick", attachment=doctors_note(), now=at(2026, 11, 2, 8)
    )

    leave.refresh_from_db()
    with leave.attachment.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_r_att_04_oversized_doctors_note_is_refused(manager, staff, other_staff, settings):
    settings.LEAVE_ATTACHMENT_MAX_BYTES = len(PDF_BYTES)
    now = at(2026, 11, 2, 8, 0)

    just_fits = doctors_note(content=PDF_BYTES)
    one_byte_more = doctors_note(content=PDF_BYTES + b" ")

    assert _codes(
        user=staff, handover_to=other_staff, start=MONDAY, code="sick", attachment=one_byte_more, now=now
    ) == ["attachment_too_large"]
    leave = submit(staff, handover_to=other_staff, start=MONDAY, code="sick", attachment=just_fits, now=now)
    assert leave.status == Status.PENDING


@pytest.mark.parametrize(
    ("start", "now", "allowed"),
    [
        (MONDAY, at(2026, 11, 2, 15, 0), True),  # the same day
        (MONDAY, at(2026, 11, 5, 17, 0), True),  # Thursday: 3 working days after
        (MONDAY, at(2026, 11, 6, 9, 0), False),  # Friday: 4
        (FRIDAY, at(2026, 11, 11, 9, 0), True),  # Fri → Wed: Mon, Tue, Wed
        (FRIDAY, at(2026, 11, 12, 9, 0), False),  # Thu: 4
        (date(2026, 9, 30), at(2026, 10, 11, 9, 0), True),  # across National Day: 8, 9, 10 (Sat)
        (date(2026, 9, 30), at(2026, 10, 12, 9, 0), False),  # … and 12
    ],
)
def test_r_att_04_sick_leave_may_be_filed_up_to_three_working_days_late(
    manager, staff, other_staff, start, now, allowed
):
    assert leave_type("sick").late_filing_days == 3
    kwargs = {"handover_to": other_staff, "start": start, "code": "sick", "attachment": doctors_note(), "now": now}

    if allowed:
        assert submit(staff, **kwargs).status == Status.PENDING
    else:
        assert _codes(user=staff, **kwargs) == ["filed_too_late"]


def test_r_att_03_personal_leave_after_the_fact_is_refused_where_sick_leave_is_not(manager, staff, other_staff):
    now = at(2026, 11, 3, 10, 0)

    assert _codes(user=staff, handover_to=other_staff, start=MONDAY, code="personal", now=now) == ["already_started"]
    sick = submit(staff, handover_to=other_staff, start=MONDAY, code="sick", attachment=doctors_note(), now=now)
    assert sick.status == Status.PENDING


# ---------------------------------------------------------------------------------------------
# R-ATT-05 handover colleague


def test_r_att_05_handover_to_oneself_is_refused(manager, staff):
    assert _codes(user=staff, handover_to=staff, start=MONDAY, now=A_WEEK_BEFORE) == ["handover_self"]


def test_r_att_05_handover_to_an_inactive_colleague_is_refused(manager, staff, marketing):
    former = UserFactory(department=marketing, is_active=False)

    assert _codes(user=staff, handover_to=former, start=MONDAY, now=A_WEEK_BEFORE) == ["handover_inactive"]


def test_r_att_05_handover_to_a_colleague_who_has_left_is_refused(manager, staff, marketing):
    # Still active in the system, but the leaving date has passed: the picker no longer offers them.
    left = UserFactory(department=marketing, employment_end=date(2026, 10, 1))

    assert _codes(user=staff, handover_to=left, start=MONDAY, now=A_WEEK_BEFORE) == ["handover_inactive"]


def test_r_att_05_handover_to_the_system_administrator_is_refused(manager, staff, marketing):
    # The picker never offers a superuser; a hand-made request (or a direct service call) is refused too.
    admin = UserFactory(department=marketing, is_superuser=True, is_staff=True)

    assert _codes(user=staff, handover_to=admin, start=MONDAY, now=A_WEEK_BEFORE) == ["handover_not_colleague"]


def test_r_att_05_handover_to_someone_without_a_department_is_refused(manager, staff):
    outsider = UserFactory(department=None)

    assert _codes(user=staff, handover_to=outsider, start=MONDAY, now=A_WEEK_BEFORE) == ["handover_not_colleague"]


@pytest.mark.parametrize(
    ("colleague_status", "start_half", "end_half", "refused"),
    [
        (Status.APPROVED, "am", "pm", True),
        (Status.PENDING, "am", "pm", True),
        (Status.REJECTED, "am", "pm", False),
        (Status.WITHDRAWN, "am", "pm", False),
        (Status.APPROVED, "pm", "pm", False),  # colleague away in the afternoon, I in the morning
    ],
)
def test_r_att_05_handover_to_a_colleague_on_leave_is_refused(
    manager, staff, other_staff, colleague_status, start_half, end_half, refused
):
    make_leave(
        other_staff,
        handover_to=manager,
        approver=manager,
        start=MONDAY,
        start_half=start_half,
        end_half=end_half,
        status=colleague_status,
    )
    kwargs = {"handover_to": other_staff, "start": MONDAY, "end_half": "am", "now": A_WEEK_BEFORE}

    if refused:
        assert _codes(user=staff, **kwargs) == ["handover_on_leave"]
    else:
        assert submit(staff, **kwargs).days == Decimal("0.5")


def test_r_att_05_colleague_covering_for_someone_cannot_take_leave_at_the_same_time(
    manager, staff, other_staff, assistant
):
    make_leave(staff, handover_to=other_staff, approver=manager, start=MONDAY)  # other_staff covers Monday

    codes = _codes(user=other_staff, handover_to=assistant, start=MONDAY, now=A_WEEK_BEFORE)
    assert codes == ["covering_for_colleague"]
    assert not LeaveRequest.objects.filter(user=other_staff).exists()


# ---------------------------------------------------------------------------------------------
# R-ATT-07 working days and halves; overlapping own requests


@pytest.mark.parametrize(
    ("start", "start_half", "end", "end_half", "days"),
    [
        (date(2026, 9, 30), "pm", date(2026, 10, 8), "am", Decimal("1")),
        (date(2026, 10, 9), "am", date(2026, 10, 12), "pm", Decimal("3")),  # Fri, Sat (make-up), Mon
        (date(2026, 9, 28), "am", date(2026, 10, 9), "pm", Decimal("5")),
        (MONDAY, "pm", FRIDAY, "am", Decimal("4")),
    ],
)
def test_r_att_07_leave_is_counted_in_working_days_with_halves(
    manager, staff, other_staff, start, start_half, end, end_half, days
):
    leave = submit(
        staff,
        handover_to=other_staff,
        start=start,
        start_half=start_half,
        end=end,
        end_half=end_half,
        now=at(2026, 9, 25, 10, 0),
    )

    assert leave.days == days


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"start": date(2026, 10, 3), "end": date(2026, 10, 7)}, "no_working_days"),
        ({"start": THURSDAY, "start_half": "pm", "end": THURSDAY, "end_half": "am"}, "impossible_halves"),
        ({"start": FRIDAY, "end": THURSDAY}, "end_before_start"),
        ({"start": date(2028, 1, 3)}, "date_out_of_range"),
        ({"start": THURSDAY, "reason": "  "}, "reason_required"),
        ({"start": THURSDAY, "handover_notes": ""}, "handover_notes_required"),
    ],
)
def test_r_att_07_invalid_periods_and_missing_text_are_refused(manager, staff, other_staff, kwargs, code):
    assert _codes(user=staff, handover_to=other_staff, now=at(2026, 9, 25, 10, 0), **kwargs) == [code]


def test_r_att_03_inactive_leave_type_is_refused(manager, staff, other_staff):
    LeaveType.objects.filter(code="annual").update(is_active=False)

    assert _codes(user=staff, handover_to=other_staff, start=MONDAY, code="annual", now=A_WEEK_BEFORE) == [
        "inactive_type"
    ]


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        (("am", "am"), ("pm", "pm"), False),  # morning, then afternoon of the same day
        (("pm", "pm"), ("am", "am"), False),
        (("am", "pm"), ("pm", "pm"), True),  # whole day, then its afternoon
        (("am", "am"), ("am", "pm"), True),
        (("pm", "pm"), ("pm", "pm"), True),
    ],
)
def test_r_att_03_overlapping_own_requests_are_half_day_aware(manager, staff, other_staff, first, second, overlap):
    submit(staff, handover_to=other_staff, start=MONDAY, start_half=first[0], end_half=first[1], now=A_WEEK_BEFORE)
    kwargs = {"handover_to": other_staff, "start": MONDAY, "start_half": second[0], "end_half": second[1]}

    if overlap:
        assert _codes(user=staff, now=A_WEEK_BEFORE, **kwargs) == ["overlap"]
        assert LeaveRequest.objects.count() == 1
    else:
        assert submit(staff, now=A_WEEK_BEFORE, **kwargs).days == Decimal("0.5")
        assert LeaveRequest.objects.count() == 2


def test_r_att_03_overlap_across_days_and_after_withdrawal(manager, staff, other_staff):
    first = submit(staff, handover_to=other_staff, start=MONDAY, end=THURSDAY, end_half="am", now=A_WEEK_BEFORE)

    assert _codes(user=staff, handover_to=other_staff, start=THURSDAY, now=A_WEEK_BEFORE) == ["overlap"]
    # Thursday afternoon is free.
    submit(staff, handover_to=other_staff, start=THURSDAY, start_half="pm", end=FRIDAY, now=A_WEEK_BEFORE)

    LeaveRequest.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)
    assert submit(staff, handover_to=other_staff, start=MONDAY, now=A_WEEK_BEFORE).status == Status.PENDING


# ---------------------------------------------------------------------------------------------
# R-ATT-09 routing on submission


def test_r_att_09_heads_own_leave_goes_to_the_designated_approver(manager, staff, marketing):
    director = UserFactory(username="director")
    marketing.leave_approver = director
    marketing.save()

    leave = submit(manager, handover_to=staff, start=MONDAY, now=A_WEEK_BEFORE)

    assert leave.approver == director
    assert Notification.objects.filter(recipient=director).count() == 1


def test_r_att_09_head_without_anyone_above_cannot_submit(manager, staff, marketing):
    assert marketing.parent is None and marketing.leave_approver is None

    assert _codes(user=manager, handover_to=staff, start=MONDAY, now=A_WEEK_BEFORE) == ["no_approver"]


def test_r_att_09_member_of_a_department_without_head_goes_to_the_parent_head(staff):
    parent_head = UserFactory(username="gm")
    parent = DepartmentFactory(head=parent_head)
    headless = DepartmentFactory(parent=parent)
    member, colleague = UserFactory(department=headless), UserFactory(department=headless)

    assert submit(member, handover_to=colleague, start=MONDAY, now=A_WEEK_BEFORE).approver == parent_head


# ---------------------------------------------------------------------------------------------
# R-ATT-06 important periods; R-ATT-08 comp balance


@pytest.fixture
def tender_week(manager, marketing):
    return ImportantPeriod.objects.create(
        name="省集采投标周", start_date=date(2026, 11, 4), end_date=date(2026, 11, 6), declared_by=manager
    )


def test_r_att_06_comp_leave_in_an_important_period_is_refused_with_its_name(manager, staff, other_staff, tender_week):
    make_comp_balance(staff, manager, Decimal("3"))

    with pytest.raises(ValidationError) as exc:
        submit(staff, handover_to=other_staff, start=MONDAY, end=THURSDAY, code="comp", now=A_WEEK_BEFORE)

    assert error_codes(exc.value) == ["important_period"]
    assert "省集采投标周" in exc.value.messages[0]
    # The days before the period are fine, and so is personal leave inside it.
    before = submit(staff, handover_to=other_staff, start=MONDAY, end=date(2026, 11, 3), code="comp", now=A_WEEK_BEFORE)
    personal = submit(staff, handover_to=other_staff, start=THURSDAY, code="personal", now=A_WEEK_BEFORE)
    assert (before.status, personal.status) == (Status.PENDING, Status.PENDING)


def test_r_att_06_periods_of_other_departments_and_inactive_periods_do_not_block(manager, staff, other_staff):
    make_comp_balance(staff, manager, Decimal("3"))
    ImportantPeriod.objects.create(
        name="销售部年会", start_date=MONDAY, end_date=FRIDAY, department=DepartmentFactory(), declared_by=manager
    )
    ImportantPeriod.objects.create(
        name="已取消", start_date=MONDAY, end_date=FRIDAY, declared_by=manager, is_active=False
    )

    assert submit(staff, handover_to=other_staff, start=MONDAY, code="comp", now=A_WEEK_BEFORE).status == Status.PENDING


def test_r_att_06_own_departments_period_blocks(manager, staff, other_staff, marketing):
    make_comp_balance(staff, manager, Decimal("3"))
    ImportantPeriod.objects.create(
        name="学术年会", start_date=FRIDAY, end_date=FRIDAY, department=marketing, declared_by=manager
    )

    codes = _codes(user=staff, handover_to=other_staff, start=THURSDAY, end=FRIDAY, code="comp", now=A_WEEK_BEFORE)
    assert codes == ["important_period"]


def test_r_att_08_comp_leave_needs_balance_minus_pending(manager, staff, other_staff):
    assert _codes(user=staff, handover_to=other_staff, start=MONDAY, code="comp", now=A_WEEK_BEFORE) == [
        "insufficient_comp_time"
    ]
    make_comp_balance(staff, manager, Decimal("1.5"))

    first = submit(staff, handover_to=other_staff, start=MONDAY, code="comp", now=A_WEEK_BEFORE)
    half = submit(staff, handover_to=other_staff, start=THURSDAY, end_half="am", code="comp", now=A_WEEK_BEFORE)
    # 1.5 earned, 1.5 promised to pending requests: nothing is left.
    assert _codes(user=staff, handover_to=other_staff, start=FRIDAY, end_half="am", code="comp", now=A_WEEK_BEFORE) == [
        "insufficient_comp_time"
    ]
    assert (first.days, half.days) == (Decimal("1"), Decimal("0.5"))

    LeaveRequest.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)
    assert submit(staff, handover_to=other_staff, start=FRIDAY, code="comp", now=A_WEEK_BEFORE).days == Decimal("1")
    assert not LeaveEvent.objects.filter(request__user=staff, to_status=Status.APPROVED).exists()
