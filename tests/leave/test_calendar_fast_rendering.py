"""Issue 8: the leave calendar's grid, list of days and list of leave, written in Python, are the loops they replace.

Each loop below is what ``leave/calendar.html`` held before (with the row filters of ``leave_tags``); it is
rendered with the context of a real calendar page and compared, character for character, with the filter of
``apps/leave/templatetags/leave_calendar.py`` that now writes it, and the page holds the filter's output.
"""

import datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from apps.leave.models import LeaveRequest
from tests.factories import UserFactory
from tests.leave.helpers import SHANGHAI, make_leave

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
NOVEMBER = {"month": "2026-11"}
Status = LeaveRequest.Status

LOAD = "{% load i18n leave_tags leave_calendar %}"
# (the loop as the page wrote it before, the filter that writes it now)
PARTS = {
    "head": (
        '{% for day, working in days %}<th class="{% if not working %}table-secondary{% endif %}">'
        '{{ day|date:"j" }}</th>{% endfor %}',
        "{{ days|calendar_head }}",
    ),
    "grid": (
        "{% for row in grid %}\n"
        '  <tr><td class="text-start text-nowrap">{{ row.user.get_full_name }}</td>\n'
        "    {{ row.cells|calendar_cells }}\n"
        "  </tr>\n"
        "  {% endfor %}",
        "{{ grid|calendar_rows }}",
    ),
    "agenda": (
        "{% for item in agenda %}\n"
        '  <h2 class="h6 mt-3 mb-1{% if not item.working %} text-body-secondary{% endif %}" '
        'data-testid="calendar-day">{{ item.day|date:"DATE_FORMAT" }} {{ item.day|date:"D" }}'
        '{% if not item.working %} · {% translate "Non-working day" %}{% endif %}</h2>\n'
        '  <ul class="list-group small">\n'
        "    {{ item.entries|calendar_day_entries }}\n"
        "  </ul>\n"
        "  {% endfor %}",
        "{{ agenda|calendar_agenda }}",
    ),
    "leaves": (
        "{% for item in leaves %}{{ item|calendar_leave_item }}{% endfor %}",
        "{{ leaves|calendar_leave_list }}",
    ),
}


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def busy_month(staff, other_staff, assistant, manager):
    """Approved and pending leave of several types, half days at both ends, two requests on one day, a weekend,
    a name that needs escaping and requests the staff member may and may not open."""
    odd = UserFactory(username="odd", full_name='<b>"周&吴"</b>', department=staff.department)
    return [
        make_leave(other_staff, handover_to=assistant, approver=manager, start=datetime.date(2026, 11, 5), code="sick"),
        make_leave(
            assistant,
            handover_to=other_staff,
            approver=manager,
            start=datetime.date(2026, 11, 12),
            start_half="pm",
            end=datetime.date(2026, 11, 16),
            end_half="am",
            status=Status.PENDING,
        ),
        make_leave(staff, handover_to=other_staff, approver=manager, start=datetime.date(2026, 11, 19), end_half="am"),
        make_leave(
            staff,
            handover_to=other_staff,
            approver=manager,
            start=datetime.date(2026, 11, 19),
            start_half="pm",
            code="annual",
            status=Status.PENDING,
        ),
        make_leave(
            odd,
            handover_to=staff,
            approver=manager,
            start=datetime.date(2026, 11, 6),
            end=datetime.date(2026, 11, 9),
            code="annual",
        ),
    ]


def _parts(response) -> dict[str, tuple[str, str]]:
    context = {key: response.context[key] for key in ("days", "grid", "agenda", "leaves")}
    engine = engines["django"]
    return {
        name: (
            engine.from_string(LOAD + loop).render(context),
            engine.from_string(LOAD + fast).render(context),
        )
        for name, (loop, fast) in PARTS.items()
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("viewer", ["staff", "manager"])
def test_calendar_filters_write_what_the_template_loops_wrote(client_for, busy_month, request, viewer, language):
    user = request.getfixturevalue(viewer)
    user.language = language
    user.save(update_fields=["language"])
    client = client_for(user)

    response = client.get(reverse("leave:calendar"), NOVEMBER)

    assert response.status_code == 200
    body = response.content.decode()
    with translation.override(language):
        parts = _parts(response)
    for name, (loop, fast) in parts.items():
        assert fast == loop, name
        assert fast.strip() in body, name
    grid = parts["grid"][1]
    assert grid.count("<tr>") == 4
    assert "&lt;b&gt;&quot;周&amp;吴&quot;&lt;/b&gt;" in grid and "<b>" not in grid
    assert grid.count("½") == 4  # the pending request's two ends, and each half of the 19th
    assert grid.count('data-status="pending"') == 5 + 1  # the 12th afternoon to the 16th morning; the 19th afternoon
    assert ("Half day" in grid) is (language == "en")
    assert parts["agenda"][1].count('data-testid="calendar-day"') == 1 + 4 + 5 + 1
    opened = parts["leaves"][1].count('data-testid="calendar-open"')
    assert opened == (5 if viewer == "manager" else 2 + 1)  # the staff member's own two, and the one handed over


def test_an_empty_month_says_so_in_the_grid_and_the_list_of_days(client_for, manager):
    response = client_for(manager).get(reverse("leave:calendar"), NOVEMBER)

    body = response.content.decode()
    assert body.count("No pending or approved leave this month.") + body.count("本月没有待审批或已批准的请假") == 2
    assert 'data-testid="calendar-cell"' not in body and 'data-testid="calendar-leaves"' not in body
