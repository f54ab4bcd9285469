"""Issue 8: batch approval from the queue with one comment.

Each request is decided by ``leave_request_approve`` under its own lock, in its own transaction and
with its own audit event; one that fails its checks is reported by name and the others go through.
The decisive tests run outside a test transaction (``transaction=True``), as behind the real server.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from apps.leave.models import CompTimeEntry, LeaveEvent, LeaveRequest
from apps.leave.services import leave_request_withdraw, leave_requests_approve_batch
from tests.clock import WORKING_MORNING
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import make_leave

Status = LeaveRequest.Status
TUESDAY = datetime.date(2026, 12, 8)
WEDNESDAY = datetime.date(2026, 12, 9)
THURSDAY = datetime.date(2026, 12, 10)

locks = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.time_machine(WORKING_MORNING, tick=False),
]


def outside_a_test_transaction(test):
    for mark in locks:
        test = mark(test)
    return test


def _pending(user, approver, start, *, code="personal"):
    return make_leave(
        user,
        handover_to=UserFactory(department=user.department),
        approver=approver,
        start=start,
        code=code,
        status=Status.PENDING,
    )


def _speak(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _batch(client, leaves, comment="同意，注意交接", *, confirmed=True):
    data = {"leave": [leave.pk for leave in leaves], "comment": comment}
    if confirmed:
        data["confirmed"] = "True"
    return client.post(reverse("leave:queue_batch"), data)


@outside_a_test_transaction
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_batch_approves_each_request_on_its_own_and_names_the_one_withdrawn_meanwhile(
    language, client_for, manager, marketing, staff, other_staff
):
    third = UserFactory(department=marketing, full_name="赵第三")
    first = _pending(staff, manager, TUESDAY)
    second = _pending(other_staff, manager, WEDNESDAY)
    withdrawn = _pending(third, manager, THURSDAY)
    _speak(manager, language)
    client = client_for(manager)

    confirmation = _batch(client, [first, second, withdrawn], confirmed=False)
    assert confirmation.status_code == 200
    assert [row.leave.pk for row in confirmation.context["rows"]] == [first.pk, second.pk, withdrawn.pk]
    assert LeaveRequest.objects.filter(status=Status.PENDING).count() == 3  # nothing decided yet

    leave_request_withdraw(actor=third, leave=withdrawn)  # meanwhile
    response = _batch(client, [first, second, withdrawn])

    assert response.status_code == 302
    statuses = dict(LeaveRequest.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.APPROVED, second.pk: Status.APPROVED, withdrawn.pk: Status.WITHDRAWN}
    # Audited one by one, each with the batch's comment.
    events = LeaveEvent.objects.filter(to_status=Status.APPROVED).order_by("request_id")
    assert [(e.request_id, e.actor_id, e.comment) for e in events] == [
        (first.pk, manager.pk, "同意，注意交接"),
        (second.pk, manager.pk, "同意，注意交接"),
    ]
    texts = _texts(response)
    failure = next(text for text in texts if "赵第三" in text)
    if language == "zh-hans":
        assert failure.startswith("未批准：赵第三自2026年12月10日起的事假。")
        assert "已撤回" in failure
        assert any(text.startswith("已批准2项申请：") and "陈员工" in text and "李员工" in text for text in texts)
    else:
        assert failure.startswith("Not approved: 赵第三’s personal leave from 10 Dec 2026.")
        assert "Withdrawn" in failure
        assert any(text.startswith("2 requests approved: ") for text in texts)


@outside_a_test_transaction
def test_batch_failure_in_the_middle_rolls_back_only_that_request(client_for, manager, marketing, staff):
    """A comp leave without balance fails after its checks started; the requests before and after stand."""
    before = _pending(staff, manager, TUESDAY)
    short = _pending(UserFactory(department=marketing, full_name="钱不足"), manager, WEDNESDAY, code="comp")
    after = _pending(UserFactory(department=marketing), manager, THURSDAY, code="comp")
    CompTimeEntry.objects.create(user=after.user, kind="grant", days=Decimal("1"), created_by=manager)

    response = _batch(client_for(manager), [after, short, before])

    statuses = dict(LeaveRequest.objects.values_list("pk", "status"))
    assert statuses == {before.pk: Status.APPROVED, short.pk: Status.PENDING, after.pk: Status.APPROVED}
    assert not CompTimeEntry.objects.filter(leave_request=short).exists()
    assert CompTimeEntry.objects.filter(leave_request=after, kind="spend").count() == 1
    assert any(text.startswith("未批准：钱不足") and "补休" in text for text in _texts(response))


@outside_a_test_transaction
def test_batch_names_a_request_this_approver_does_not_decide(client_for, manager, marketing, staff):
    mine = _pending(staff, manager, TUESDAY)
    other_head = UserFactory(full_name="郑部长")
    elsewhere = DepartmentFactory(head=other_head)
    not_mine = _pending(UserFactory(department=elsewhere, full_name="冯别部"), other_head, WEDNESDAY)

    response = _batch(client_for(manager), [mine, not_mine])

    assert LeaveRequest.objects.get(pk=mine.pk).status == Status.APPROVED
    assert LeaveRequest.objects.get(pk=not_mine.pk).status == Status.PENDING
    assert any(text.startswith("未批准：冯别部") and "此申请不由您审批" in text for text in _texts(response))


# ---------------------------------------------------------------------------------------------
# Inside a test transaction: the form and the service on their own


@pytest.mark.django_db
@pytest.mark.time_machine(WORKING_MORNING, tick=False)
def test_confirmation_page_decides_nothing_and_carries_the_selection(client_for, manager, staff, other_staff):
    first = _pending(staff, manager, TUESDAY)
    second = _pending(other_staff, manager, WEDNESDAY)

    response = _batch(client_for(manager), [first, second], comment="统一同意", confirmed=False)

    body = response.content.decode()
    assert LeaveRequest.objects.filter(status=Status.PENDING).count() == 2
    assert f'name="leave" value="{first.pk}"' in body and f'name="leave" value="{second.pk}"' in body
    assert 'name="confirmed" value="True"' in body
    assert "统一同意" in body
    assert "批准2项申请" in body


@pytest.mark.django_db
@pytest.mark.time_machine(WORKING_MORNING, tick=False)
@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ([], "请选择要批准的申请。"),
        (["abc"], "无法识别所选内容。"),
        (["1\x00"], "无法识别所选内容。"),
        ([str(i) for i in range(1, 102)], "每次最多选择100项申请。"),
    ],
)
def test_batch_with_a_bad_selection_says_so_and_decides_nothing(client_for, manager, staff, ids, message):
    leave = _pending(staff, manager, TUESDAY)

    response = client_for(manager).post(reverse("leave:queue_batch"), {"leave": ids, "confirmed": "True"})

    assert response.status_code == 302
    assert message in _texts(response)
    assert LeaveRequest.objects.get(pk=leave.pk).status == Status.PENDING


@pytest.mark.django_db
@pytest.mark.time_machine(WORKING_MORNING, tick=False)
def test_batch_reports_requests_it_cannot_find_without_naming_them(client_for, staff, other_staff, manager):
    hidden = _pending(other_staff, manager, TUESDAY)

    response = _batch(client_for(staff), [hidden])  # not visible to a colleague

    assert LeaveRequest.objects.get(pk=hidden.pk).status == Status.PENDING
    assert _texts(response) == ["有1项所选申请未找到。"]


@pytest.mark.django_db
@pytest.mark.time_machine(WORKING_MORNING, tick=False)
def test_batch_only_by_post(client_for, manager):
    assert client_for(manager).get(reverse("leave:queue_batch")).status_code == 405


@pytest.mark.django_db
@pytest.mark.time_machine(WORKING_MORNING, tick=False)
def test_batch_service_returns_approved_and_failures_with_codes(manager, staff, other_staff):
    ok = _pending(staff, manager, TUESDAY)
    own = _pending(manager, UserFactory(), WEDNESDAY)

    approved, failures = leave_requests_approve_batch(actor=manager, leaves=[own, ok], comment="好")

    assert [leave.pk for leave in approved] == [ok.pk]
    assert [(f.leave.pk, f.code) for f in failures] == [(own.pk, "not_approver")]
