"""Issue 8: the monthly summary writes its rows in Python (``apps/attendance/tables.summary_page_rows``) and
reads its totals as plain values (``MonthData(days=False)``); the page still holds exactly the table the
template block below wrote from the ``PersonMonth`` rows, in both languages.

September 2026, seen on Tuesday the 22nd: the Mid-autumn Festival on Friday 25th (with the weekend), a
make-up working Sunday on the 20th. Working days before today: 1–4, 7–11, 14–18, 20 and 21 (16 days).
"""

import datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from apps.attendance.selectors import MonthData, attendance_people, month_bounds
from apps.attendance.services import checkin_record, field_notice_file
from apps.leave.models import LeaveRequest
from tests.clock import SHANGHAI
from tests.factories import UserFactory
from tests.leave.helpers import at, leave_type, make_leave

TODAY = datetime.date(2026, 9, 22)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 9, 22, 10, 0, tzinfo=SHANGHAI), tick=False),
]

# The summary's table as the page's template wrote it before its rows were written in Python.
OLD_BLOCK = """{% listtable rows as row testid="attendance-summary" class="text-center" empty=_("Nobody in this department.") wide hover %}
  {% column _("Full name") primary nowrap class="text-start" %}{{ row.user.get_full_name }}{% endcolumn %}
  {% column _("Working days") %}{{ row.working_days }}{% endcolumn %}
  {% column _("Present") %}{{ row.present }}{% endcolumn %}
  {% column _("Late") %}{{ row.late }}{% endcolumn %}
  {% column _("Field work") %}{{ row.field_work }}{% endcolumn %}
  {% column leave_type.display_name each leave_types as leave_type %}{{ row.leave_columns|list_item:column_index|default:"" }}{% endcolumn %}
  {% column _("Unexcused absence") %}{% if row.unexcused %}<span class="text-danger fw-bold">{{ row.unexcused }}</span>{% else %}{{ row.unexcused }}{% endif %}{% endcolumn %}
  {% listfoot %}<tr class="fw-bold">
    <td class="text-start list-primary">{% translate "Department total" %}</td><td></td><td>{{ totals.present }}</td><td>{{ totals.late }}</td><td>{{ totals.field_work }}</td>
    {% for value in total_leave_columns %}<td>{{ value|default:"" }}</td>{% endfor %}<td>{{ totals.unexcused }}</td>
  </tr>{% endlistfoot %}
{% endlisttable %}"""  # noqa: E501
OLD_TABLE = engines["django"].from_string("{% load lists i18n %}" + OLD_BLOCK)


@pytest.fixture
def september(marketing, manager, staff, other_staff):
    """The department's September: late check-ins, field work, leave of two kinds with half days, a
    person named with markup, someone who joined mid-month and someone who left."""
    checkin_record(user=staff, now=at(2026, 9, 1, 8, 58))
    checkin_record(user=staff, now=at(2026, 9, 2, 9, 20))  # late
    checkin_record(user=staff, now=at(2026, 9, 21, 9, 40))  # late
    field_notice_file(
        user=staff,
        start_date=datetime.date(2026, 9, 3),
        end_date=datetime.date(2026, 9, 4),
        destination="市疾控中心",
        purpose="招标答疑",
        now=at(2026, 9, 2, 17, 0),
    )
    leave = {"handover_to": other_staff, "approver": manager}
    make_leave(staff, **leave, start=datetime.date(2026, 9, 7), start_half="pm")  # 0.5
    make_leave(staff, **leave, start=datetime.date(2026, 9, 8), end_half="am")  # 0.5: personal 1.0
    make_leave(
        staff, **leave, code="sick", start=datetime.date(2026, 9, 14), end=datetime.date(2026, 9, 16), end_half="am"
    )  # 2.5
    make_leave(staff, **leave, start=datetime.date(2026, 9, 9), status=LeaveRequest.Status.REJECTED)
    checkin_record(user=other_staff, now=at(2026, 9, 1, 9, 10))  # late
    make_leave(other_staff, handover_to=staff, approver=manager, start=datetime.date(2026, 9, 2), end_half="am")
    # Leave from August into September counts only its September days.
    make_leave(
        other_staff,
        handover_to=staff,
        approver=manager,
        code="sick",
        start=datetime.date(2026, 8, 31),
        end=datetime.date(2026, 9, 1),
        start_half="pm",
    )

    marked = UserFactory(username="markup", full_name="<b>陈</b> & 小明", department=marketing)
    checkin_record(user=marked, now=at(2026, 9, 4, 8, 30))

    joiner = UserFactory(username="joiner", full_name="周新人", department=marketing)
    joiner.employment_start = datetime.date(2026, 9, 14)
    joiner.save()
    for day in (14, 15, 16, 17, 18, 20, 21):  # every working day of employment before today
        checkin_record(user=joiner, now=at(2026, 9, day, 8, 45))

    leaver = UserFactory(username="leaver", full_name="吴离职", department=marketing)
    leaver.employment_end = datetime.date(2026, 9, 10)
    leaver.save()
    field_notice_file(
        user=leaver,
        start_date=datetime.date(2026, 9, 9),
        end_date=datetime.date(2026, 9, 11),
        destination="医院",
        purpose="回访",
        now=at(2026, 9, 8, 17, 0),
    )
    return {"staff": staff, "other": other_staff, "marked": marked, "joiner": joiner, "leaver": leaver}


def summary_page(client_for, user, language: str):
    user.language = language
    user.save()
    response = client_for(user).get(reverse("attendance:summary"), {"month": "2026-09", "department": "MKT"})
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return response


def old_table(response, language: str) -> str:
    """The old block rendered with the page's own context (``rows`` are ``PersonMonth`` objects)."""
    context = response.context
    leave_types = context["leave_types"]
    rows = context["rows"]
    for row in rows:
        row.leave_columns = [row.leave_days.get(t.pk, 0) for t in leave_types]  # as the old view did
    with translation.override(language):
        return OLD_TABLE.render(
            {
                "rows": rows,
                "leave_types": leave_types,
                "totals": context["totals"],
                "total_leave_columns": context["total_leave_columns"],
            }
        ).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_holds_the_table_the_template_wrote(client_for, manager, september, language):
    response = summary_page(client_for, manager, language)
    html = response.content.decode()

    table = old_table(response, language)

    assert table.startswith('<div class="table-responsive list-table-wrap list-table-wrap-wide"><table')
    assert html.count('data-testid="attendance-summary"') == 1
    assert table in html
    # What the month holds, so that the comparison is over every kind of cell.
    assert "&lt;b&gt;陈&lt;/b&gt; &amp; 小明" in table and "<b>陈</b>" not in table
    assert '<span class="text-danger fw-bold">' in table
    assert '<div class="list-value">0</div>' in table  # the joiner's absences: none, not in red
    assert '<div class="list-value">1.0</div>' in table and '<div class="list-value">2.5</div>' in table
    assert '<div class="list-value">0.5</div>' in table
    sick = leave_type("sick")
    assert (sick.name_en if language == "en" else sick.name) in table
    assert ("Department total" if language == "en" else "部门合计") in table


def test_each_persons_row_holds_their_month(client_for, manager, september):
    response = summary_page(client_for, manager, "zh-hans")
    rows = {row.user.username: row for row in response.context["rows"]}
    personal, sick = leave_type("personal").pk, leave_type("sick").pk

    staff = rows["staff1"]
    assert (staff.working_days, staff.present, staff.late, staff.field_work) == (22, 3, 2, 2)
    assert staff.leave_days == {personal: Decimal("1.0"), sick: Decimal("2.5")}
    # 1–4, 7–11, 14–18, 20, 21 less the check-ins (1, 2, 21), the notice (3, 4) and leave (7, 8, 14–16).
    assert staff.unexcused == 16 - 3 - 2 - 2 - 3
    other = rows["staff2"]
    assert other.leave_days == {personal: Decimal("0.5"), sick: Decimal("1")}
    joiner = rows["joiner"]
    assert (joiner.working_days, joiner.present, joiner.unexcused) == (13, 7, 0)
    leaver = rows["leaver"]
    assert (leaver.working_days, leaver.field_work, leaver.unexcused) == (8, 2, 6)
    assert rows["markup"].present == 1


def test_plain_value_totals_equal_the_totals_read_with_the_days(september, marketing, manager):
    start, end = month_bounds(2026, 9)
    people = list(attendance_people(department=marketing, start=start, end=end))
    assert {p.username for p in people} >= {"staff1", "staff2", "markup", "joiner", "leaver", "mgr"}

    plain = MonthData(users=people, year=2026, month=9, today=TODAY, days=False)
    full = MonthData(users=people, year=2026, month=9, today=TODAY)

    for person in people:
        totals = plain.person(person, with_days=False)
        expected = full.person(person)
        for name in ("working_days", "present", "late", "field_work", "unexcused", "leave_days"):
            assert getattr(totals, name) == getattr(expected, name), (person.username, name)
        assert totals.days == []
        assert full.person(person, with_days=False).leave_days == expected.leave_days
    assert sum(plain.person(p, with_days=False).late for p in people) == 3


def test_a_month_read_for_its_totals_refuses_to_give_its_days(september, marketing):
    people = [september["staff"]]
    plain = MonthData(users=people, year=2026, month=9, today=TODAY, days=False)

    with pytest.raises(ValueError, match="totals only"):
        plain.person(people[0], with_days=True)
    with pytest.raises(ValueError, match="totals only"):
        plain.person(people[0])
    assert plain.person(people[0], with_days=False).present == 3


def test_the_table_says_so_when_nobody_is_in_the_department(client_for, manager, language="en"):
    manager.attendance_exempt = True
    manager.save()
    response = summary_page(client_for, manager, language)

    assert list(response.context["rows"]) == []
    table = old_table(response, language)
    assert "Nobody in this department." in table
    assert table in response.content.decode()
