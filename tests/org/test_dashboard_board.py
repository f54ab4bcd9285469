"""The head's today board on the dashboard (issue 8): who is in, late, on leave, out and missing today,
what waits for the head, and the week ahead, for the departments they head and those below."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.leave.models import LeaveRequest, LeaveType
from apps.org.models import AssignedTask
from apps.workcalendar.calendar import Half
from tests.clock import SHANGHAI
from tests.factories import AssignedTaskFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

TUESDAY = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
SUNDAY = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=SHANGHAI)
MAKE_UP_SATURDAY = datetime.datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI)  # 调休 working Saturday
NATIONAL_DAY = datetime.datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI)


def at(time_machine, moment):
    time_machine.move_to(moment, tick=False)
    return moment.date()


def person(department, name, **kwargs):
    return UserFactory(department=department, full_name=name, **kwargs)


def check_in(user, day, hour, minute, late=False):
    return CheckIn.objects.create(
        user=user,
        date=day,
        checked_in_at=datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI),
        is_late=late,
    )


def leave(
    user,
    approver,
    start,
    end=None,
    *,
    code="personal",
    status="approved",
    start_half=Half.MORNING,
    end_half=Half.AFTERNOON,
):
    return LeaveRequest.objects.create(
        user=user,
        leave_type=LeaveType.objects.get(code=code),
        start_date=start,
        end_date=end or start,
        start_half=start_half,
        end_half=end_half,
        days=1,
        reason="r",
        handover_to=approver,
        handover_notes="n",
        approver=approver,
        status=status,
    )


def notice(user, start, destination, end=None):
    filed = datetime.datetime(start.year, start.month, start.day, 9, 0, tzinfo=SHANGHAI) - datetime.timedelta(days=3)
    return FieldWorkNotice.objects.create(
        user=user,
        start_date=start,
        end_date=end or start,
        destination=destination,
        purpose="拜访",
        filed_at=filed,
        deadline=filed + datetime.timedelta(hours=8),
    )


def section(html: str, testid: str) -> str:
    """Return the markup of one board section (up to its closing tag)."""
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


def card(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index('<div class="card-footer', start)]


def nowrap(name: str) -> re.Pattern:
    return re.compile(rf'<(span|li) class="[^"]*text-nowrap[^"]*">{re.escape(name)}</')


def dashboard(client) -> str:
    response = client.get(reverse("org:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def team(manager, marketing):
    """Marketing on a Tuesday morning: one of each state the board tells apart."""
    day = datetime.date(2026, 12, 1)
    people = {
        "on_time": person(marketing, "准时甲"),
        "late": person(marketing, "迟到乙"),
        "leave": person(marketing, "休假丙"),
        "afternoon": person(marketing, "下午丁"),
        "out": person(marketing, "外出戊"),
        "missing": person(marketing, "未到己"),
        "exempt": person(marketing, "免打卡庚", attendance_exempt=True),
        "not_yet": person(marketing, "未入职辛", employment_start=datetime.date(2026, 12, 10)),
        "left": person(marketing, "已离职壬", employment_end=datetime.date(2026, 11, 30)),
        "pending": person(marketing, "待批癸"),
    }
    check_in(people["on_time"], day, 8, 50)
    check_in(people["late"], day, 9, 20, late=True)
    leave(people["leave"], manager, day)
    leave(people["afternoon"], manager, day, start_half=Half.AFTERNOON)
    notice(people["out"], day, "协和医院检验科", end=day + datetime.timedelta(days=1))
    leave(people["pending"], manager, day, status="pending")
    return people


@pytest.fixture
def outsider():
    """Someone in a department the manager does not head, neither above nor below Marketing."""
    other = DepartmentFactory(code="OTH", name="其他部门")
    stranger = UserFactory(department=other, full_name="外部门子")
    check_in(stranger, datetime.date(2026, 12, 1), 9, 30, late=True)
    return stranger


def test_working_day_board_sorts_people_into_checked_in_late_leave_field_work_and_missing(
    client_for, manager, team, outsider, time_machine
):
    at(time_machine, TUESDAY)
    html = dashboard(client_for(manager))

    checked_in = section(html, "board-checked-in")
    assert "准时甲" in checked_in and "08:50" in checked_in
    assert "迟到乙" in checked_in and "09:20" in checked_in
    late = section(html, "board-late")
    assert "迟到乙" in late and "准时甲" not in late

    on_leave = section(html, "board-on-leave")
    assert "休假丙" in on_leave and "事假" in on_leave
    assert "下午丁" in on_leave
    afternoon_entry = on_leave[on_leave.index("下午丁") :].split("</li>")[0]
    assert "仅下午" in afternoon_entry or "Afternoon only" in afternoon_entry
    whole_day_entry = on_leave[on_leave.index("休假丙") :].split("</li>")[0]
    assert "Afternoon only" not in whole_day_entry and "仅下午" not in whole_day_entry
    # Pending leave is shown as pending; it does not excuse the day until approved.
    pending_entry = on_leave[on_leave.index("待批癸") :].split("</li>")[0]
    assert 'data-testid="leave-status"' in pending_entry

    field_work = section(html, "board-field-work")
    assert "外出戊" in field_work and "协和医院检验科" in field_work

    missing = section(html, "board-not-checked-in")
    assert "未到己" in missing
    assert "待批癸" in missing
    for excused in ("准时甲", "迟到乙", "休假丙", "下午丁", "外出戊", "免打卡庚", "未入职辛", "已离职壬"):
        assert excused not in missing, excused
    # Not employed today: nowhere on the board.
    for absent in ("未入职辛", "已离职壬", "外部门子"):
        assert absent not in card(html, "board-today"), absent


def test_board_names_do_not_break(client_for, manager, team, time_machine):
    at(time_machine, TUESDAY)
    html = dashboard(client_for(manager))
    for name in ("准时甲", "迟到乙", "未到己"):
        assert nowrap(name).search(html), name
    assert nowrap("休假丙").search(section(html, "board-on-leave").replace(" fw-semibold", ""))


def test_rest_day_board_says_so_and_expects_nobody(client_for, manager, team, time_machine):
    at(time_machine, SUNDAY)
    html = dashboard(client_for(manager))

    assert 'data-testid="board-rest-day"' in html
    assert "未到己" not in section(html, "board-not-checked-in")


def test_rest_day_board_names_the_holiday(client_for, manager, team, time_machine):
    at(time_machine, NATIONAL_DAY)
    html = dashboard(client_for(manager))

    assert 'data-testid="board-rest-day"' in html
    assert "国庆" in html[html.index('data-testid="board-rest-day"') :].split("</p>")[0]


def test_make_up_saturday_is_a_working_day_on_the_board(client_for, manager, marketing, time_machine):
    day = at(time_machine, MAKE_UP_SATURDAY)
    check_in(person(marketing, "周六到岗"), day, 8, 45)
    person(marketing, "周六未到")

    html = dashboard(client_for(manager))

    assert 'data-testid="board-rest-day"' not in html
    assert "周六未到" in section(html, "board-not-checked-in")
    assert "周六到岗" in section(html, "board-checked-in")


def test_board_covers_departments_below_the_head_and_not_beside(client_for, manager, marketing, outsider, time_machine):
    at(time_machine, TUESDAY)
    below = DepartmentFactory(code="MKT-SUB", name="市场部华东组", parent=marketing)
    person(below, "华东组员")

    html = dashboard(client_for(manager))

    assert "华东组员" in section(html, "board-not-checked-in")
    assert "外部门子" not in html


def test_staff_sees_no_board(client_for, staff, team, time_machine):
    at(time_machine, TUESDAY)
    html = dashboard(client_for(staff))

    for testid in ("board-today", "board-attention", "board-week"):
        assert f'data-testid="{testid}"' not in html


def test_a_head_of_an_inactive_department_sees_no_board(client_for, manager, marketing, time_machine):
    at(time_machine, TUESDAY)
    marketing.is_active = False
    marketing.save()

    assert 'data-testid="board-today"' not in dashboard(client_for(manager))


def test_pending_approvals_count_links_to_the_queue(client_for, manager, team, time_machine):
    at(time_machine, TUESDAY)
    html = dashboard(client_for(manager))

    approvals = html[html.index('data-testid="board-approvals"') :].split("</li>")[0]
    assert reverse("leave:queue") in approvals
    assert re.search(r"(?<!\d)1(?!\d)", approvals)  # 待批癸's request


def test_overdue_tasks_are_the_open_ones_past_their_due_date(client_for, manager, team, outsider, time_machine):
    today = at(time_machine, TUESDAY)
    owner = team["missing"]
    AssignedTaskFactory(title="逾期未办", owner=owner, assigned_by=manager, due_date=today - datetime.timedelta(days=3))
    AssignedTaskFactory(
        title="逾期进行中",
        owner=owner,
        assigned_by=manager,
        due_date=today - datetime.timedelta(days=1),
        status=AssignedTask.Status.IN_PROGRESS,
    )
    AssignedTaskFactory(title="今天到期", owner=owner, assigned_by=manager, due_date=today)
    AssignedTaskFactory(
        title="逾期已完成",
        owner=owner,
        assigned_by=manager,
        due_date=today - datetime.timedelta(days=5),
        status=AssignedTask.Status.DONE,
    )
    AssignedTaskFactory(
        title="别部门逾期", owner=outsider, assigned_by=manager, due_date=today - datetime.timedelta(days=2)
    )

    attention = card(dashboard(client_for(manager)), "board-attention")

    assert "逾期未办" in attention and "逾期进行中" in attention
    for not_overdue in ("今天到期", "逾期已完成", "别部门逾期"):
        assert not_overdue not in attention, not_overdue
    overdue_line = attention[attention.index('data-testid="board-overdue"') :].split("</li>")[0]
    assert re.search(r"(?<!\d)2(?!\d)", overdue_line)


def test_overdue_tasks_show_the_first_few_and_count_all(client_for, manager, marketing, time_machine):
    today = at(time_machine, TUESDAY)
    owner = person(marketing, "任务多")
    for i in range(12):
        AssignedTaskFactory(
            title=f"旧任务{i:02d}", owner=owner, assigned_by=manager, due_date=today - datetime.timedelta(days=20 - i)
        )

    attention = card(dashboard(client_for(manager)), "board-attention")

    assert attention.count(reverse("org:task_detail", args=[1])[: -len("1/")]) >= 10
    assert "旧任务00" in attention and "旧任务09" in attention and "旧任务10" not in attention
    overdue_line = attention[attention.index('data-testid="board-overdue"') :].split("</li>")[0]
    assert re.search(r"(?<!\d)12(?!\d)", overdue_line)


def test_week_ahead_lists_the_next_seven_days_leave_and_field_work_in_date_order(
    client_for, manager, team, time_machine
):
    today = at(time_machine, TUESDAY)
    leave(team["on_time"], manager, today + datetime.timedelta(days=2))  # Thursday
    notice(team["missing"], today + datetime.timedelta(days=1), "北京医院")  # Wednesday
    leave(team["late"], manager, today + datetime.timedelta(days=7), code="annual", status="pending")  # last day in
    leave(team["late"], manager, today + datetime.timedelta(days=8), code="sick")  # one day too far

    week = card(dashboard(client_for(manager)), "board-week")

    assert week.index("北京医院") < week.index("准时甲") < week.index("年假")
    assert "病假" not in week
    # Today's leave and field work are on today's part of the board, not again in the week ahead.
    assert "休假丙" not in week and "协和医院检验科" not in week


def test_board_in_english(client_for, manager, team, time_machine):
    at(time_machine, TUESDAY)
    manager.language = "en"
    manager.save()

    html = dashboard(client_for(manager))

    on_leave = section(html, "board-on-leave")
    assert "Personal leave" in on_leave and "事假" not in on_leave
    assert "Afternoon only" in on_leave
    assert "The department today" in html and "The week ahead" in html


def _make_board_rows(manager, n):
    """``n`` of everything the board lists, today and in the week ahead."""
    department = manager.department
    today = timezone.localdate()
    for i in range(n):
        checked = person(department, f"到岗{i}")
        check_in(checked, today, 9, i % 60, late=i % 2 == 0)
        leave(person(department, f"请假{i}"), manager, today, status="approved" if i % 2 else "pending")
        notice(person(department, f"外出{i}"), today, f"医院{i}")
        person(department, f"缺勤{i}")
        leave(checked, manager, today + datetime.timedelta(days=1 + i % 7), code="annual")
        notice(checked, today + datetime.timedelta(days=1 + i % 7), f"客户{i}")
        AssignedTaskFactory(owner=checked, assigned_by=manager, due_date=today - datetime.timedelta(days=1 + i))
        # Long history: earlier check-ins, leave and notices must not count.
        check_in(checked, today - datetime.timedelta(days=30 + i), 9, 0)
        leave(checked, manager, today - datetime.timedelta(days=60 + i))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("moment", [TUESDAY, SUNDAY, MAKE_UP_SATURDAY], ids=["working", "rest", "make-up"])
def test_board_query_count_does_not_grow_with_rows(client_for, manager, time_machine, moment):
    at(time_machine, moment)
    client = client_for(manager)
    url = reverse("org:dashboard")
    _make_board_rows(manager, 2)
    client.get(url)
    with_two = _queries(client, url)

    _make_board_rows(manager, 28)
    html = client.get(url).content.decode()
    with_thirty = _queries(client, url)

    assert with_two == with_thirty
    assert html.count("医院") >= 30  # the rows are really on the page


def test_manager_dashboard_exact_query_count(client_for, manager, time_machine, django_assert_num_queries):
    at(time_machine, TUESDAY)
    _make_board_rows(manager, 3)
    client = client_for(manager)
    client.get(reverse("org:dashboard"))

    with django_assert_num_queries(BOARD_DASHBOARD_QUERIES):
        client.get(reverse("org:dashboard"))


# Session and user. From caches: the rules reminder, the follows of "My alerts" and which research
# plans are due (apps/core/choices.py); the permissions, approver roles, the queue count and the unread
# count (per user); the departments and the lifecycle card (the regulation's cache); the working
# calendar (its per-year cache, shared with the check-in panel). The board: people with today's
# check-in (the head's own too, for the check-in panel); its leave, field work and overdue tasks, the
# leave panel (balances, next leave, handovers) and own tasks come from the dashboard cache until one
# of them changes (apps/org/dashboard_cache.py; the cold counts are in tests/org/test_dashboard_cache.py).
# The intelligence panels: 1 for someone who follows nothing and owns no plan due (the latest
# reports); two counts more for a follower, and the plans due for their owner.
BOARD_DASHBOARD_QUERIES = 4


def test_reading_the_department_attendance_without_heading_it_gives_no_board(client_for, assistant, team, time_machine):
    """The board is the head's: the attendance permission opens the summary pages, not the board."""
    at(time_machine, TUESDAY)
    assert assistant.has_perm("attendance.view_department_attendance")

    assert 'data-testid="board-today"' not in dashboard(client_for(assistant))


def test_the_head_above_sees_the_departments_below(client_for, manager, marketing, team, time_machine):
    at(time_machine, TUESDAY)
    gm = UserFactory(full_name="周总")
    office = DepartmentFactory(code="GMO", name="总经理办公室", head=gm)
    gm.department = office
    gm.save()
    marketing.parent = office
    marketing.save()

    html = dashboard(client_for(gm))

    assert "未到己" in section(html, "board-not-checked-in")
    assert "周总" in section(html, "board-not-checked-in")
