"""Issue 8: the approval queue reads what it shows whatever its filters (``leave_queue_basics``: the
departments decided for, the filters' choices, the comp-time requests) and its page (``leave_queue_page``)
in queries written out. They must give what the querysets they replace give (``departments_approved_by``,
``leave_approval_queue`` / ``leave_decided_by`` filtered by ``LeaveQueueFilter``, ``leave_queue_people`` and
the leave types, ``comp_grant_queue_rows``): the same requests in the same order, with the same values, for
every filter, both tabs, and approvers who head, act or only have requests routed to them. These tests run
on PostgreSQL and on SQLite (dates, times and decimals are converted as the ORM does).
"""

import datetime
from decimal import Decimal

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.attendance.models import CheckIn
from apps.leave.filters import LeaveQueueFilter
from apps.leave.models import ActingApprover, CompTimeEntry, CompTimeGrantRequest, LeaveRequest, LeaveType
from apps.leave.selectors import (
    QUEUE_LEAVE_COLUMNS,
    comp_grant_queue_rows,
    departments_approved_by,
    leave_approval_queue,
    leave_decided_by,
    leave_queue_basics,
    leave_queue_page,
    leave_queue_people,
    leave_queue_people_among,
    queue_filter_conditions,
)
from apps.leave.services import leave_request_approve, leave_request_reject
from tests.clock import WORKING_MORNING
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import at, make_leave

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

Status = LeaveRequest.Status
TUESDAY = datetime.date(2026, 12, 8)


def _leave(user, approver, offset, *, code="personal", status=Status.PENDING, days=None, handover_to=None):
    start = TUESDAY + datetime.timedelta(days=offset % 9)
    return make_leave(
        user,
        handover_to=handover_to or UserFactory(department=user.department, full_name=""),
        approver=approver,
        start=start,
        end=start + datetime.timedelta(days=offset % 3),
        start_half="pm" if offset % 4 == 1 else "am",
        end_half="am" if offset % 5 == 2 else "pm",
        code=code,
        status=status,
        days=days,
    )


@pytest.fixture
def queue(manager, marketing, staff, other_staff, assistant):
    """Requests of every kind around the manager (head of marketing) and the assistant (acting for sales)."""
    sales_head = UserFactory(full_name="销售部长")
    sales = DepartmentFactory(head=sales_head)
    sales_head.department = sales
    sales_head.save(update_fields=["department"])
    headless = DepartmentFactory(head=None)
    ActingApprover.objects.create(
        department=sales, user=assistant, start_date=TUESDAY - datetime.timedelta(days=30),
        end_date=TUESDAY + datetime.timedelta(days=30), created_by=sales_head,
    )  # fmt: skip
    names = ["赵<一>", "", "Ann", "孙 & 四", "钱五"]
    people = [
        UserFactory(department=department, full_name=name, first_name="Ann" if not name else "", last_name="Lee")
        for department in (marketing, sales, headless)
        for name in names
    ]
    people += [staff, other_staff, UserFactory(department=None, full_name="无部门")]
    codes = list(LeaveType.objects.values_list("code", flat=True))
    for i, person in enumerate(people):
        for j in range(3):
            approver = (manager, assistant, sales_head)[(i + j) % 3]
            days = Decimal("0.5") if j == 1 else None
            _leave(person, approver, i + j, code=codes[(i + j) % len(codes)], days=days)
        _leave(person, manager, i, status=Status.APPROVED)
    # The heads' own leave goes up a level; the manager's own request is never in their queue.
    _leave(sales_head, manager, 2)
    _leave(manager, assistant, 3)
    # Decisions: by the manager (one cancelled since, one decided twice), and by someone else.
    for i, person in enumerate(people[:9]):
        leave = _leave(person, manager, i + 20)
        if i % 3 == 2:
            leave_request_reject(actor=manager, leave=leave, comment=f"不同意 <{i}>")
        else:
            leave_request_approve(actor=manager, leave=leave, comment="" if i % 2 else f"同意 & {i}")
        if i == 4:
            LeaveRequest.objects.filter(pk=leave.pk).update(status=Status.CANCELLED)
    # By the assistant: acting for sales, and routed from the department without a head.
    for i, person in enumerate(people[5:12]):
        leave = _leave(person, assistant, i + 30)
        decide = leave_request_reject if i % 3 == 1 else leave_request_approve
        decide(actor=assistant, leave=leave, comment=f"代批 {i}")
    # Same decided_at for two requests: their order comes from the id.
    first_two = list(LeaveRequest.objects.filter(decided_by=manager).order_by("id").values_list("pk", flat=True)[:2])
    LeaveRequest.objects.filter(pk__in=first_two).update(decided_at=at(2026, 12, 1, 9))
    return people


def _data_sets(queue, staff):
    types = list(LeaveType.objects.order_by("pk").values_list("pk", flat=True))
    return [
        None,
        {},
        {"page": "2"},
        {"leave_type": str(types[0])},
        {"leave_type": str(types[-1]), "person": str(staff.pk)},
        {"person": str(queue[1].pk)},
        {"person": str(queue[-1].pk), "date_from": "2026-12-09"},
        {"date_from": "2026-12-10"},
        {"date_to": "2026-12-10"},
        {"date_from": "2026-12-09", "date_to": "2026-12-12"},
        {"date_from": "2026-12-12", "date_to": "2026-12-09"},  # the end before the start: only the start applies
        {"date_from": "junk", "person": "999999", "leave_type": "x"},  # nothing valid: no filter
        {"date_from": "0001-01-01", "date_to": "2026-12-11"},
    ]


def _orm(user, decided, data):
    today = timezone.localdate()
    requests = leave_decided_by(user=user) if decided else leave_approval_queue(user=user, on_date=today)
    filterset = LeaveQueueFilter(data, queryset=requests, people=leave_queue_people(queryset=requests))
    return requests, filterset


def _person(person, *, department=True):
    values = (person.pk, person.get_full_name(), str(person))
    if department:
        department = person.department
        values += (person.department_id, department and (department.pk, department.head_id))
    return values


def _leave_values(leave, decided):
    values = tuple(getattr(leave, name) for name in QUEUE_LEAVE_COLUMNS)
    values += (_person(leave.user), leave.leave_type.pk, leave.leave_type.display_name, leave.get_status_display())
    values += tuple(getattr(leave.leave_type, field.attname) for field in LeaveType._meta.concrete_fields)
    if decided:
        return (*values, leave.decision, leave.decision_comment)
    return (*values, _person(leave.handover_to, department=False))


@pytest.mark.parametrize("decided", [False, True], ids=["pending", "decided"])
@pytest.mark.parametrize("who", ["manager", "assistant"])
def test_the_page_written_out_reads_what_the_filtered_querysets_read(queue, staff, decided, who, request):
    user = request.getfixturevalue(who)
    departments = departments_approved_by(user=user, on_date=timezone.localdate())
    assert departments  # heads marketing, or acts for sales today
    sizes = []
    for data in _data_sets(queue, staff):
        _requests, orm = _orm(user, decided, data)
        expected = list(orm.qs)
        sizes.append(len(expected))
        fast = LeaveQueueFilter(
            data, queryset=LeaveRequest.objects.none(), people=leave_queue_people(queryset=_requests)
        )
        conditions = queue_filter_conditions(fast)
        assert fast.errors == orm.errors

        for offset, limit in ((0, 1000), (0, 5), (5, 5), (max(len(expected) - 2, 0), 5)):
            leaves, total = leave_queue_page(
                user=user, departments=departments, decided=decided, conditions=conditions, offset=offset, limit=limit
            )
            page = expected[offset : offset + limit]
            assert [_leave_values(leave, decided) for leave in leaves] == [
                _leave_values(leave, decided) for leave in page
            ], (data, offset)
            assert total == (len(expected) if page else None)
    # The lists were long enough to page, and the filters narrowed them.
    assert sizes[0] > 5 and min(sizes) < sizes[0]


@pytest.mark.parametrize("decided", [False, True], ids=["pending", "decided"])
def test_a_page_past_the_last_and_an_empty_tab_have_no_count(manager, marketing, decided):
    leaves, total = leave_queue_page(
        user=manager, departments=[marketing.pk], decided=decided, conditions=(), offset=0, limit=25
    )
    assert (leaves, total) == ([], None)


@pytest.mark.parametrize("decided", [False, True], ids=["pending", "decided"])
@pytest.mark.parametrize("who", ["manager", "assistant", "staff"])
def test_the_departments_and_filter_choices_written_out_are_the_querysets(queue, decided, who, request):
    user = request.getfixturevalue(who)
    requests, _filterset = _orm(user, decided, None)
    LeaveType.objects.filter(code="sick").update(sort_order=0, name_en="")  # ties on the order go by code

    with CaptureQueriesContext(connection) as ctx:
        basics = leave_queue_basics(user=user, on_date=timezone.localdate(), decided=decided)

    assert len(ctx.captured_queries) == 1
    requesters, leave_types = basics.requesters, basics.leave_types
    assert basics.departments == departments_approved_by(user=user, on_date=timezone.localdate())
    assert basics.departments or who == "staff"
    people = list(leave_queue_people(queryset=requests))
    assert requesters == [(p.pk, p.full_name, p.first_name, p.last_name, p.username) for p in people]
    assert list(leave_queue_people_among(requesters)) == people
    assert leave_types == list(LeaveType.objects.values_list("pk", "name", "name_en"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("data", [None, {"person": "staff", "leave_type": "sick"}])
def test_the_filters_written_from_the_choices_read_are_the_same_markup_without_a_query(
    queue, manager, staff, language, data
):
    if data:
        data = {"person": str(staff.pk), "leave_type": str(LeaveType.objects.get(code="sick").pk)}
    requests, _filterset = _orm(manager, False, data)
    basics = leave_queue_basics(user=manager, on_date=timezone.localdate(), decided=False)
    requesters, leave_types = basics.requesters, basics.leave_types
    with translation.override(language):
        slow = LeaveQueueFilter(data, queryset=requests, people=leave_queue_people(queryset=requests))
        slow_html = [str(slow.form[name]) for name in ("leave_type", "person")]

        with CaptureQueriesContext(connection) as ctx:
            fast = LeaveQueueFilter(
                data,
                queryset=LeaveRequest.objects.none(),
                people=leave_queue_people_among(requesters),
                values_read={"person": requesters, "leave_type": leave_types},
            )
            fast_html = [str(fast.form[name]) for name in ("leave_type", "person")]

    assert fast_html == slow_html and len(fast_html[1]) > 500
    # Only a chosen type and person are looked up, when the form is validated; the choices need no query.
    assert len(ctx.captured_queries) == (2 if data else 0)
    if data:
        assert f'value="{staff.pk}" selected' in fast_html[1]


def test_a_filter_the_page_query_cannot_write_is_an_error_not_a_wider_list(manager):
    class WithMethod(LeaveQueueFilter):
        reason = django_filters.CharFilter(method="reason_has")

        def reason_has(self, queryset, name, value):
            return queryset.filter(reason__contains=value)

        class Meta(LeaveQueueFilter.Meta):
            fields = [*LeaveQueueFilter.Meta.fields, "reason"]

    class AcrossRelation(LeaveQueueFilter):
        department = django_filters.NumberFilter(field_name="user__department")

        class Meta(LeaveQueueFilter.Meta):
            fields = [*LeaveQueueFilter.Meta.fields, "department"]

    people = leave_queue_people(queryset=LeaveRequest.objects.none())
    assert queue_filter_conditions(WithMethod({"reason": ""}, people=people)) == []
    with pytest.raises(ValueError, match="reason"):
        queue_filter_conditions(WithMethod({"reason": "x"}, people=people))
    with pytest.raises(ValueError, match="department"):
        queue_filter_conditions(AcrossRelation({"department": "1"}, people=people))


def test_the_comp_time_requests_written_out_are_comp_grant_queue_rows(manager, marketing, staff, other_staff, queue):
    CompTimeEntry.objects.create(user=staff, kind="grant", days=Decimal("2"), created_by=manager)
    CompTimeEntry.objects.create(user=staff, kind="spend", days=Decimal("-0.5"), created_by=manager)
    outsider = UserFactory(department=None, full_name="")
    for person, day, days in (
        (staff, TUESDAY, "1"),
        (staff, TUESDAY - datetime.timedelta(days=7), "0.5"),
        (other_staff, TUESDAY, "1"),
        (outsider, TUESDAY, "1"),  # routed to the manager
        (queue[5], TUESDAY, "1"),  # sales, routed to the manager
        (manager, TUESDAY, "1"),  # their own
    ):
        grant = CompTimeGrantRequest.objects.create(
            user=person, work_date=day, days=Decimal(days), reason="布展 <展台>", approver=manager
        )
        if person == staff and days == "1":
            CheckIn.objects.create(user=staff, date=day, checked_in_at=at(2026, 12, 8, 9, 5), on_working_day=False)
    CompTimeGrantRequest.objects.filter(pk=grant.pk).update(approver=queue[6])
    today = timezone.localdate()

    for user in (manager, queue[6]):
        departments = departments_approved_by(user=user, on_date=today)
        expected = comp_grant_queue_rows(user=user, on_date=today, departments=departments)
        with CaptureQueriesContext(connection) as ctx:
            grants = leave_queue_basics(user=user, on_date=today, decided=False).grants

        assert len(ctx.captured_queries) == 1
        assert leave_queue_basics(user=user, on_date=today, decided=True).grants == []  # not on the decided tab
        assert [
            (g.pk, g.user_id, g.user.get_full_name(), g.work_date, g.days, g.reason, g.checked_in_at)
            + (g.balance_before, g.balance_after)
            for g in grants
        ] == [
            (g.pk, g.user_id, g.user.get_full_name(), g.work_date, g.days, g.reason, g.checked_in_at)
            + (g.balance_before, g.balance_after)
            for g in expected
        ]
    # Marketing's three, the one routed from outside it and the one routed from sales; not their own.
    assert len(leave_queue_basics(user=manager, on_date=today, decided=False).grants) == 5
