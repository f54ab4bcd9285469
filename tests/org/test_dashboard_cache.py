"""Issue 8: the dashboard's cached facts (apps/org/dashboard_cache.py) show every change on the next visit.

Each test first warms the cache with a visit, then changes one kind of row the way a service or admin
does, and checks that the next visit shows the change. Without the stamp, the warm cache would show
the old value and each of them would fail.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory
from django.urls import reverse

from apps.core.cache_keys import dashboard_changed
from apps.leave.models import CompTimeEntry, LeaveRequest, LeaveType
from apps.leave.services import comp_time_grant_direct
from apps.org.models import AssignedTask
from apps.org.selectors import BoardPerson
from apps.org.services import task_assign
from tests.factories import AssignedTaskFactory, UserFactory
from tests.org.test_dashboard_board import TUESDAY, at, card, dashboard, leave, notice, person, section

pytestmark = pytest.mark.django_db

URL = reverse("org:dashboard")


@pytest.fixture
def head(client_for, manager, marketing, time_machine):
    """The manager's client on a Tuesday morning, the dashboard's cache warm."""
    at(time_machine, TUESDAY)
    client = client_for(manager)
    dashboard(client)
    return client


def test_new_leave_today_shows_on_the_warm_board(head, manager, marketing):
    away = person(marketing, "新休假")
    dashboard(head)

    leave(away, manager, TUESDAY.date())

    assert "新休假" in section(dashboard(head), "board-on-leave")


def test_a_decision_shows_on_the_warm_board(head, manager, marketing):
    request = leave(person(marketing, "待定人"), manager, TUESDAY.date(), status="pending")
    assert 'data-testid="leave-status"' in section(dashboard(head), "board-on-leave")

    request.status = LeaveRequest.Status.REJECTED
    request.save(update_fields=["status"])

    assert "待定人" not in section(dashboard(head), "board-on-leave")


def test_new_field_work_shows_on_the_warm_board_and_the_week_ahead(head, marketing):
    out = person(marketing, "新外出")
    dashboard(head)

    notice(out, TUESDAY.date(), "今日医院")
    notice(out, TUESDAY.date() + datetime.timedelta(days=2), "后天医院")

    html = dashboard(head)
    assert "今日医院" in section(html, "board-field-work")
    assert "后天医院" in card(html, "board-week")


def test_new_and_finished_overdue_tasks_show_on_the_warm_board(head, manager, marketing):
    task = AssignedTaskFactory(
        title="刚逾期", owner=person(marketing, "办事人"), assigned_by=manager, due_date=datetime.date(2026, 11, 30)
    )
    assert "刚逾期" in card(dashboard(head), "board-attention")

    task.status = AssignedTask.Status.DONE
    task.save()

    assert "刚逾期" not in card(dashboard(head), "board-attention")


def test_a_renamed_person_and_leave_type_show_on_the_warm_week_ahead(head, manager, marketing):
    colleague = person(marketing, "旧名字")
    leave(colleague, manager, TUESDAY.date() + datetime.timedelta(days=1), code="annual")
    assert "旧名字" in card(dashboard(head), "board-week")

    colleague.full_name = "新名字"
    colleague.save()
    annual = LeaveType.objects.get(code="annual")
    annual.name = "带薪年休假"
    annual.save()

    week = card(dashboard(head), "board-week")
    assert "新名字" in week and "旧名字" not in week and "带薪年休假" in week


def test_tomorrow_the_board_is_read_again(head, client_for, manager, marketing, time_machine):
    AssignedTaskFactory(
        title="今天到期", owner=person(marketing, "办事人"), assigned_by=manager, due_date=TUESDAY.date()
    )
    assert "今天到期" not in card(dashboard(head), "board-attention")

    at(time_machine, TUESDAY + datetime.timedelta(days=1))
    client = client_for(manager)  # a day later the idle session has ended; nothing changed in between

    assert "今天到期" in card(dashboard(client), "board-attention")


def test_staff_panel_shows_comp_time_handovers_next_leave_and_tasks_on_a_warm_cache(
    client_for, manager, staff, other_staff, time_machine
):
    at(time_machine, TUESDAY)
    client = client_for(staff)
    html = dashboard(client)
    assert "暂无待办工作" in html and "新交办" not in html

    comp_time_grant_direct(actor=manager, user=staff, days=Decimal("1.5"), reason="周末加班")
    handover = leave(other_staff, manager, TUESDAY.date() + datetime.timedelta(days=3))
    handover.handover_to = staff
    handover.save()
    own = leave(staff, manager, TUESDAY.date() + datetime.timedelta(days=5), code="annual", status="pending")
    task_assign(assigned_by=manager, owner=staff, title="新交办", due_date=TUESDAY.date() + datetime.timedelta(days=2))

    html = dashboard(client)
    assert "1.5" in html[html.index('data-testid="panel-comp-balance"') :].split("</li>")[0]
    assert reverse("leave:detail", args=[handover.pk]) in html
    assert reverse("leave:detail", args=[own.pk]) in html
    assert "新交办" in html

    own_url = reverse("leave:detail", args=[own.pk])
    CompTimeEntry.objects.filter(user=staff).get().delete()
    own.delete()

    html = dashboard(client)
    assert "1.5" not in html[html.index('data-testid="panel-comp-balance"') :].split("</li>")[0]
    assert own_url not in html


def test_a_log_in_elsewhere_keeps_the_cache(head, manager, other_staff, django_assert_num_queries):
    """Logging in saves only ``last_login``: the dashboard's facts stay cached (it shows no such thing)."""
    dashboard(head)  # creating other_staff replaced the stamp
    user_logged_in.send(sender=type(other_staff), request=RequestFactory().get("/"), user=other_staff)

    with django_assert_num_queries(4):
        head.get(URL)


def test_warm_and_cold_head_dashboard_exact_query_counts(head, manager, marketing, django_assert_num_queries):
    """Warm: session, user, the people with today's check-in, the intelligence panels (1 for someone
    who follows nothing and owns no plan due: the latest reports). The rules reminder, the follows and
    which plans are due are cached under stamps of their own (apps/core/choices.py), which a change of
    the dashboard's facts keeps.

    Cold (after any change): one query more per kind of fact — the board's leave, field work and overdue
    tasks, the leave panel's two balance aggregates, next leave and handovers, and the person's own tasks.
    """
    for i in range(3):
        leave(person(marketing, f"人{i}"), manager, TUESDAY.date() + datetime.timedelta(days=i))
    dashboard(head)
    with django_assert_num_queries(4):
        head.get(URL)

    dashboard_changed()
    with django_assert_num_queries(12):
        head.get(URL)


@pytest.mark.parametrize(
    ("full_name", "first_name", "last_name"), [("王经理", "", ""), ("", "Wei", "Zhang"), ("", "", ""), ("", "", "Li")]
)
def test_board_rows_name_people_as_the_user_model_does(full_name, first_name, last_name):
    user = UserFactory(full_name=full_name, first_name=first_name, last_name=last_name)
    row = BoardPerson(user.pk, user.username, first_name, last_name, full_name, False, None, None)

    assert row.get_full_name() == user.get_full_name()
