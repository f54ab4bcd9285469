"""Issue 8, the approval queue a manager wants: what each pending request shows, filters, the decided tab.

Each row shows the reason (unless private to the viewer), when it was filed, the working days, the
comp-time balance before and after comp leave, who else in the department is away on those days
(leave pending or approved, field work) and the important-activity periods it touches — for the
whole page in a fixed number of queries.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.attendance.models import FieldWorkNotice
from apps.leave.models import CompTimeEntry, CompTimeGrantRequest, ImportantPeriod, LeaveRequest, LeaveType
from apps.leave.permissions import can_view_leave_reason
from apps.leave.selectors import comp_grant_queue_rows, leave_queue_rows, leave_reason_visibility
from apps.leave.services import leave_request_approve, leave_request_reject
from tests.clock import WORKING_MORNING
from tests.factories import DepartmentFactory, UserFactory
from tests.leave.helpers import make_leave

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

Status = LeaveRequest.Status
TUESDAY = datetime.date(2026, 12, 8)
WEDNESDAY = datetime.date(2026, 12, 9)
THURSDAY = datetime.date(2026, 12, 10)
NEXT_MONDAY = datetime.date(2026, 12, 14)


def _pending(user, approver, start, end=None, *, code="personal", handover_to=None):
    return make_leave(
        user,
        handover_to=handover_to or UserFactory(department=user.department),
        approver=approver,
        start=start,
        end=end,
        code=code,
        status=Status.PENDING,
    )


def _notice(user, start, end=None, destination="上海瑞金医院"):
    return FieldWorkNotice.objects.create(
        user=user,
        start_date=start,
        end_date=end or start,
        destination=destination,
        purpose="拜访",
        filed_at=timezone.now() - datetime.timedelta(days=2),
        deadline=timezone.now(),
    )


def _speak(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _row(rows, leave):
    return next(row for row in rows if row.leave.pk == leave.pk)


# ---------------------------------------------------------------------------------------------
# What a row shows


def test_queue_row_shows_who_else_in_the_department_is_away_on_those_days(manager, marketing, staff, other_staff):
    leave = _pending(staff, manager, TUESDAY, WEDNESDAY)
    colleague_on_leave = make_leave(other_staff, handover_to=manager, approver=manager, start=WEDNESDAY)
    pending_colleague = UserFactory(department=marketing, full_name="孙待批")
    _pending(pending_colleague, manager, TUESDAY)
    field_worker = UserFactory(department=marketing, full_name="周外出")
    _notice(field_worker, WEDNESDAY, THURSDAY)
    # Not away on those days, not in the department, or not away any more: left out.
    _pending(UserFactory(department=marketing), manager, NEXT_MONDAY)
    elsewhere = UserFactory(department=DepartmentFactory())
    make_leave(elsewhere, handover_to=UserFactory(), approver=manager, start=TUESDAY)
    _notice(elsewhere, TUESDAY)
    withdrawn = UserFactory(department=marketing)
    make_leave(withdrawn, handover_to=manager, approver=manager, start=TUESDAY, status=Status.WITHDRAWN)
    gone = _notice(UserFactory(department=marketing), TUESDAY)
    FieldWorkNotice.objects.filter(pk=gone.pk).update(status=FieldWorkNotice.Status.WITHDRAWN)
    # The requester's own field work is not "someone else".
    _notice(staff, THURSDAY)

    row = _row(leave_queue_rows(user=manager, leaves=[leave], on_date=timezone.localdate()), leave)

    away = {(absence.user_id, absence.is_field_work, absence.pending) for absence in row.away}
    assert away == {
        (other_staff.pk, False, False),
        (pending_colleague.pk, False, True),
        (field_worker.pk, True, False),
    }
    assert colleague_on_leave.status == Status.APPROVED


def test_queue_row_shows_the_important_periods_it_touches(manager, marketing, staff):
    comp = _pending(staff, manager, TUESDAY, code="comp")
    company = ImportantPeriod.objects.create(
        name="年度经销商大会", start_date=TUESDAY, end_date=THURSDAY, declared_by=manager
    )
    own = ImportantPeriod.objects.create(
        name="市场部展会", start_date=TUESDAY, end_date=TUESDAY, department=marketing, declared_by=manager
    )
    ImportantPeriod.objects.create(
        name="别的部门", start_date=TUESDAY, end_date=TUESDAY, department=DepartmentFactory(), declared_by=manager
    )
    ImportantPeriod.objects.create(name="下周", start_date=NEXT_MONDAY, end_date=NEXT_MONDAY, declared_by=manager)
    ImportantPeriod.objects.create(
        name="已撤销", start_date=TUESDAY, end_date=TUESDAY, declared_by=manager, is_active=False
    )
    personal = _pending(UserFactory(department=marketing), manager, WEDNESDAY)

    rows = leave_queue_rows(user=manager, leaves=[comp, personal], on_date=timezone.localdate())

    assert [p.pk for p in _row(rows, comp).periods] == sorted([company.pk, own.pk])
    assert _row(rows, comp).period_blocks  # comp leave is not allowed in it: approving will be refused
    assert [p.pk for p in _row(rows, personal).periods] == [company.pk]
    assert not _row(rows, personal).period_blocks


def test_queue_row_shows_the_comp_time_balance_before_and_after_comp_leave(manager, marketing, staff):
    CompTimeEntry.objects.create(user=staff, kind="grant", days=Decimal("1.5"), created_by=manager)
    CompTimeEntry.objects.create(user=staff, kind="grant", days=Decimal("1"), created_by=manager)
    comp = _pending(staff, manager, TUESDAY, WEDNESDAY, code="comp")
    short = _pending(UserFactory(department=marketing), manager, TUESDAY, code="comp")
    personal = _pending(UserFactory(department=marketing), manager, TUESDAY)

    rows = leave_queue_rows(user=manager, leaves=[comp, short, personal], on_date=timezone.localdate())

    assert (_row(rows, comp).balance_before, _row(rows, comp).balance_after) == (Decimal("2.5"), Decimal("0.5"))
    assert not _row(rows, comp).balance_short
    assert (_row(rows, short).balance_before, _row(rows, short).balance_after) == (Decimal("0"), Decimal("-1"))
    assert _row(rows, short).balance_short
    assert _row(rows, personal).balance_before is None


def test_reason_visibility_on_a_list_agrees_with_the_permission(manager, assistant, marketing, staff, other_staff):
    """The in-memory predicate is the permission without its per-row queries."""
    sick = make_leave(staff, handover_to=other_staff, approver=manager, start=TUESDAY, code="sick")
    personal = make_leave(staff, handover_to=other_staff, approver=manager, start=THURSDAY)
    head_elsewhere = UserFactory(department=DepartmentFactory())
    head_elsewhere.department.head = head_elsewhere
    head_elsewhere.department.save()
    viewers = [manager, assistant, staff, other_staff, head_elsewhere]

    for viewer in viewers:
        can_view = leave_reason_visibility(user=viewer, on_date=timezone.localdate())
        for leave in (sick, personal):
            leave = LeaveRequest.objects.select_related("user__department", "leave_type").get(pk=leave.pk)
            assert can_view(leave) == can_view_leave_reason(user=viewer, obj=leave), (viewer, leave)

    hidden = leave_reason_visibility(user=other_staff, on_date=timezone.localdate())
    assert hidden(sick) is False  # the handover colleague of sick leave does not see why
    assert hidden(personal) is True


def test_queue_page_shows_reason_filed_time_days_and_details_in_both_languages(
    client_for, manager, marketing, staff, other_staff
):
    CompTimeEntry.objects.create(user=staff, kind="grant", days=Decimal("3"), created_by=manager)
    leave = make_leave(
        staff, handover_to=other_staff, approver=manager, start=TUESDAY, end=WEDNESDAY, status=Status.PENDING
    )
    LeaveRequest.objects.filter(pk=leave.pk).update(reason="孩子发烧需要照顾")
    comp = _pending(UserFactory(department=marketing, full_name="吴补休"), manager, THURSDAY, code="comp")
    CompTimeEntry.objects.create(user=comp.user, kind="grant", days=Decimal("1"), created_by=manager)
    _notice(other_staff, WEDNESDAY, destination="华山医院")
    ImportantPeriod.objects.create(name="年度经销商大会", start_date=THURSDAY, end_date=THURSDAY, declared_by=manager)
    client = client_for(manager)

    for language, filed, away, days_label in (
        ("zh-hans", "2026年12月1日 10:00", "（外出：华山医院）", "工作日"),
        ("en", "1 Dec 2026 10:00", "(field work: 华山医院)", "Working days"),
    ):
        _speak(manager, language)
        body = client.get(reverse("leave:queue")).content.decode()
        assert "孩子发烧需要照顾" in body
        assert days_label in body
        assert away in body, language
        assert "年度经销商大会" in body
        assert "1 → 0" in body  # comp leave: balance before → after
        assert f'href="/leave/{leave.pk}/?source=queue"' in body
        assert filed in body or language == "en"  # the English short format is checked below
    assert "queue-filed" in body


def test_a_colleague_away_between_two_requests_shows_on_neither(manager, marketing, staff, other_staff):
    """Issue 8: requests a few days apart are read as one range; each row still shows only its own days."""
    early = _pending(staff, manager, TUESDAY)
    late = _pending(other_staff, manager, datetime.date(2026, 12, 11))
    between = make_leave(UserFactory(department=marketing), handover_to=manager, approver=manager,
                         start=WEDNESDAY, end=THURSDAY)  # fmt: skip
    _notice(UserFactory(department=marketing), THURSDAY)
    ImportantPeriod.objects.create(name="开放日", start_date=WEDNESDAY, end_date=WEDNESDAY, declared_by=manager)
    on_late = _notice(UserFactory(department=marketing, full_name="郑外出"), datetime.date(2026, 12, 11))

    rows = leave_queue_rows(user=manager, leaves=[early, late], on_date=timezone.localdate())

    assert between.status == Status.APPROVED
    assert _row(rows, early).away == [] and _row(rows, early).periods == []
    assert [absence.user_id for absence in _row(rows, late).away] == [on_late.user_id]
    assert _row(rows, late).away[0].name == "郑外出" and _row(rows, late).periods == []


def test_comp_time_requests_carry_each_requesters_balance_in_one_query(
    manager, marketing, staff, other_staff, django_assert_num_queries
):
    """Issue 8: the balance before and after approval is read with the requests, in one query."""
    CompTimeEntry.objects.create(user=staff, kind="grant", days=Decimal("2"), created_by=manager)
    CompTimeEntry.objects.create(user=staff, kind="spend", days=Decimal("-0.5"), created_by=manager)
    CompTimeEntry.objects.create(user=manager, kind="grant", days=Decimal("9"), created_by=manager)
    for person, day in ((staff, TUESDAY), (staff, WEDNESDAY), (other_staff, TUESDAY)):
        CompTimeGrantRequest.objects.create(
            user=person, work_date=day, days=Decimal("1"), reason="布展", approver=manager
        )

    with django_assert_num_queries(1):
        grants = comp_grant_queue_rows(user=manager, on_date=timezone.localdate(), departments=[marketing.pk])

    assert [(g.user_id, g.work_date, g.balance_before, g.balance_after) for g in grants] == [
        (staff.pk, TUESDAY, Decimal("1.5"), Decimal("2.5")),
        (other_staff.pk, TUESDAY, Decimal("0"), Decimal("1")),
        (staff.pk, WEDNESDAY, Decimal("1.5"), Decimal("2.5")),
    ]


def test_a_request_from_someone_without_a_department_shows_only_company_wide_periods(manager, marketing):
    """Issue 8: the one query of a row's details also serves a requester in no department."""
    loner = UserFactory(department=None, full_name="无部门")
    leave = _pending(loner, manager, TUESDAY, handover_to=manager)
    company = ImportantPeriod.objects.create(name="全公司", start_date=TUESDAY, end_date=TUESDAY, declared_by=manager)
    ImportantPeriod.objects.create(
        name="市场部", start_date=TUESDAY, end_date=TUESDAY, department=marketing, declared_by=manager
    )
    _notice(UserFactory(department=marketing), TUESDAY)

    [row] = leave_queue_rows(user=manager, leaves=[leave], on_date=timezone.localdate())

    assert [(period.pk, period.name) for period in row.periods] == [(company.pk, "全公司")]
    assert row.away == []


# ---------------------------------------------------------------------------------------------
# Growth guards: the page runs as many queries for 30 rows as for 2


def _queue_rows_with_everything(manager, n):
    department = manager.department
    for i in range(n):
        person = UserFactory(department=department)
        day = TUESDAY + datetime.timedelta(days=i % 3)
        code = "comp" if i % 2 else "personal"
        _pending(person, manager, day, code=code)
        CompTimeEntry.objects.create(user=person, kind="grant", days=Decimal("1"), created_by=manager)
        _notice(UserFactory(department=department), day)
        ImportantPeriod.objects.create(name=f"p{i}", start_date=day, end_date=day, declared_by=manager)


class _Count(int):
    """A query count that shows its SQL when a comparison fails."""

    def __new__(cls, sql):
        count = super().__new__(cls, len(sql))
        count.sql = sql
        return count

    def __repr__(self):
        return f"{int(self)} queries:\n" + "\n".join(q[:300] for q in self.sql)


def _queries(client, url) -> int:
    """The page's query count once its caches are warm: the fewer of two loads.

    A cache entry that happens to be recomputed on one load (a badge whose stamp a factory
    touched) is not growth; a query per row shows on both loads.
    """
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(_Count([q["sql"] for q in ctx.captured_queries]))
    return min(counts)


def test_queue_page_query_count_does_not_grow_with_rows(client_for, manager):
    client = client_for(manager)
    url = reverse("leave:queue")
    _queue_rows_with_everything(manager, 2)
    client.get(url)
    with_two = _queries(client, url)

    _queue_rows_with_everything(manager, 28)
    client.get(url)  # caches the new rows may have invalidated (the navigation badge)
    with_thirty = _queries(client, url)

    assert with_two == with_thirty
    assert len(client.get(url).context["rows"]) == 25  # one page


def test_queue_rows_run_a_fixed_number_of_queries(manager, django_assert_num_queries):
    _queue_rows_with_everything(manager, 6)
    leaves = list(LeaveRequest.objects.filter(status=Status.PENDING).select_related("user__department", "leave_type"))
    manager.has_perm("leave.view_all_leave")  # the permission cache is filled by the page's menu anyway

    # departments decided (1: headed or acting), colleagues on leave or field work and important periods
    # (one UNION ALL), comp balances
    with django_assert_num_queries(3):
        rows = leave_queue_rows(user=manager, leaves=leaves, on_date=timezone.localdate())
    assert all(row.away for row in rows)


def _decisions(manager, n):
    for i in range(n):
        leave = _pending(UserFactory(department=manager.department), manager, TUESDAY + datetime.timedelta(days=i % 3))
        if i % 2:
            leave_request_approve(actor=manager, leave=leave, comment=f"同意{i}")
        else:
            leave_request_reject(actor=manager, leave=leave, comment=f"不同意{i}")


def test_decided_tab_query_count_does_not_grow_with_rows(client_for, manager):
    client = client_for(manager)
    url = reverse("leave:queue") + "?tab=decided"
    _decisions(manager, 2)
    client.get(url)
    with_two = _queries(client, url)

    _decisions(manager, 28)
    client.get(url)  # caches the new rows may have invalidated (the navigation badge)
    with_thirty = _queries(client, url)

    assert with_two == with_thirty


# ---------------------------------------------------------------------------------------------
# The decided tab


def test_decided_tab_lists_this_approvers_decisions_with_comment_and_time(
    client_for, manager, assistant, marketing, staff, other_staff, time_machine
):
    approved = _pending(staff, manager, TUESDAY)
    rejected = _pending(other_staff, manager, WEDNESDAY)
    waiting = _pending(UserFactory(department=marketing), manager, THURSDAY)
    leave_request_approve(actor=manager, leave=approved, comment="注意交接")
    time_machine.move_to(WORKING_MORNING + datetime.timedelta(hours=1), tick=False)
    leave_request_reject(actor=manager, leave=rejected, comment="月底人手不足")
    # Decided by someone else: not in this approver's tab.
    director = UserFactory()
    heads_leave = _pending(manager, director, TUESDAY, handover_to=assistant)
    leave_request_approve(actor=director, leave=heads_leave, comment="")

    response = client_for(manager).get(reverse("leave:queue"), {"tab": "decided"})

    rows = response.context["rows"]
    assert [row.leave.pk for row in rows] == [rejected.pk, approved.pk]  # newest decision first
    assert [(row.leave.decision, row.leave.decision_comment) for row in rows] == [
        ("rejected", "月底人手不足"),
        ("approved", "注意交接"),
    ]
    body = response.content.decode()
    assert "月底人手不足" in body and "注意交接" in body
    assert waiting.pk not in [row.leave.pk for row in rows]
    assert "2026年12月1日 11:00" in body  # when


def test_decided_tab_lists_an_acting_approvers_own_decisions(client_for, manager, assistant, marketing, staff):
    from apps.leave.services import acting_approver_name

    acting_approver_name(
        actor=manager, department=marketing, user=assistant, start_date=timezone.localdate(), end_date=THURSDAY
    )
    leave = _pending(staff, manager, TUESDAY)
    leave_request_approve(actor=assistant, leave=leave, comment="代经理批准")

    assistant_rows = client_for(assistant).get(reverse("leave:queue"), {"tab": "decided"}).context["rows"]
    manager_rows = client_for(manager).get(reverse("leave:queue"), {"tab": "decided"}).context["rows"]

    assert [(row.leave.pk, row.leave.decision_comment) for row in assistant_rows] == [(leave.pk, "代经理批准")]
    assert manager_rows == []


def test_decided_tab_is_paginated(client_for, manager):
    _decisions(manager, 27)
    client = client_for(manager)

    first = client.get(reverse("leave:queue"), {"tab": "decided"})
    second = client.get(reverse("leave:queue"), {"tab": "decided", "page": 2})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 2


# ---------------------------------------------------------------------------------------------
# Filters


def test_filters_by_type_person_and_dates(client_for, manager, marketing, staff, other_staff):
    personal = _pending(staff, manager, TUESDAY)
    comp = _pending(staff, manager, THURSDAY, code="comp")
    other = _pending(other_staff, manager, NEXT_MONDAY)
    client = client_for(manager)

    def shown(**params):
        return [row.leave.pk for row in client.get(reverse("leave:queue"), params).context["rows"]]

    assert shown() == [personal.pk, comp.pk, other.pk]
    assert shown(leave_type=comp.leave_type_id) == [comp.pk]
    assert shown(person=other_staff.pk) == [other.pk]
    assert shown(date_from="2026-12-09", date_to="2026-12-11") == [comp.pk]
    assert shown(date_from="2026-12-10") == [comp.pk, other.pk]
    assert shown(person=staff.pk, date_to="2026-12-08") == [personal.pk]


def test_person_filter_offers_only_requesters_in_the_queue(client_for, manager, marketing, staff, other_staff):
    _pending(staff, manager, TUESDAY)
    stranger = UserFactory(department=DepartmentFactory())

    form = client_for(manager).get(reverse("leave:queue")).context["filter"].form

    people = list(form.fields["person"].queryset)
    assert people == [staff]
    assert stranger not in people


@pytest.mark.parametrize(
    "params",
    [
        {"leave_type": "\x00"},
        {"person": "1\x00"},
        {"date_from": "2026-13-45"},
        {"date_to": "\x00"},
        {"date_from": "0001-01-01"},
        pytest.param({"date_from": "2026-12-01", "date_to": "2026-11-01"}, id="end-before-start"),
        {"leave_type": "999999", "person": "abc", "tab": "decided"},
    ],
)
def test_junk_filter_values_give_a_message_not_an_error(client_for, manager, staff, params):
    leave = _pending(staff, manager, TUESDAY)
    client = client_for(manager)

    for language, message in (
        ("zh-hans", "部分筛选条件无法识别，已忽略。"),
        ("en", "Some filters could not be read and were left out."),
    ):
        _speak(manager, language)
        response = client.get(reverse("leave:queue"), params)
        assert response.status_code == 200
        assert message in response.content.decode()
    if params.get("tab") != "decided":
        assert [row.leave.pk for row in response.context["rows"]] == [leave.pk]


# ---------------------------------------------------------------------------------------------
# Breadcrumb


def test_request_opened_from_the_queue_says_so_in_its_breadcrumb(client_for, manager, staff):
    leave = _pending(staff, manager, TUESDAY)
    client = client_for(manager)
    url = reverse("leave:detail", args=[leave.pk])

    from_queue = client.get(url, {"source": "queue"}).content.decode()
    plain = client.get(url).content.decode()
    junk = client.get(url, {"source": "\x00queue"}).content.decode()
    _speak(manager, "en")
    english = client.get(url, {"source": "queue"}).content.decode()

    assert "待我审批" in _breadcrumb(from_queue)
    assert 'name="next" value="queue"' in from_queue  # deciding there returns to the queue
    assert "Approval queue" in _breadcrumb(english)
    for body in (plain, junk):
        assert "待我审批" not in _breadcrumb(body)
        assert "我的请假" in _breadcrumb(body)
        assert 'name="next" value="queue"' not in body


def _breadcrumb(body: str) -> str:
    return body.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]


@pytest.mark.parametrize(
    ("page", "number", "shown"),
    [("", 1, 25), ("1", 1, 25), ("2", 2, 5), ("99", 2, 5), ("0", 2, 5), ("x", 1, 25), ("2.5", 1, 25)],
)
def test_queue_pages_count_their_requests_in_the_page_query(client_for, manager, page, number, shown):
    """Issue 8: the number of requests comes with the page (COUNT(*) OVER ()); page numbers behave as before."""
    _queue_rows_with_everything(manager, 30)

    response = client_for(manager).get(reverse("leave:queue"), {"page": page})

    page_obj = response.context["page_obj"]
    assert (page_obj.number, page_obj.paginator.count, page_obj.paginator.num_pages) == (number, 30, 2)
    assert len(response.context["rows"]) == shown
    assert f"第{number}页，共2页" in response.content.decode()


def test_a_filtered_queue_counts_only_its_matches(client_for, manager, staff):
    _queue_rows_with_everything(manager, 3)
    _pending(staff, manager, NEXT_MONDAY, code="sick")

    response = client_for(manager).get(reverse("leave:queue"), {"leave_type": LeaveType.objects.get(code="sick").pk})

    assert response.context["page_obj"].paginator.count == 1
    assert [row.leave.user_id for row in response.context["rows"]] == [staff.pk]
