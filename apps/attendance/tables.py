"""The monthly summary's columns and chart, shared by the summary page, its CSV and the report center."""

from decimal import Decimal

from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _


def summary_header(leave_types) -> list[str]:
    return [
        _("employee number"),
        _("full name"),
        _("department"),
        _("working days"),
        _("present"),
        _("late"),
        _("field work"),
        *[t.display_name for t in leave_types],
        _("unexcused absence"),
    ]


def summary_cells(person, leave_types) -> list:
    """One row of the summary for a ``PersonMonth``."""
    user = person.user
    return [
        user.employee_no,
        user.get_full_name(),
        str(user.department or ""),
        person.working_days,
        person.present,
        person.late,
        person.field_work,
        *[person.leave_days.get(t.pk, Decimal(0)) for t in leave_types],
        person.unexcused,
    ]


def summary_chart(people) -> dict:
    """Chart.js data (static/js/charts.js) of present, late, field work, leave and absences per person."""
    return {
        "type": "bar",
        "labels": [p.user.get_full_name() for p in people],
        "datasets": [
            {"label": _("present"), "data": [p.present for p in people]},
            {"label": _("late"), "data": [p.late for p in people]},
            {"label": _("field work"), "data": [p.field_work for p in people]},
            {"label": _("leave"), "data": [float(sum(p.leave_days.values())) for p in people]},
            {"label": _("unexcused absence"), "data": [p.unexcused for p in people]},
        ],
    }


def summary_page_rows(people, leave_types) -> list[dict]:
    """The summary page's rows as text, written once per person in Python (issue 8).

    Each value is what the page's cell template wrote for the ``PersonMonth`` (a number localised,
    a leave column empty when no day was taken, the unexcused count in red when not zero), so the
    shared list component places it without rendering template code per cell;
    ``tests/attendance/test_summary_rows.py`` holds the page equal to the template's cells.
    """
    rows = []
    for person in people:
        unexcused = person.unexcused
        rows.append(
            {
                "name": person.user.get_full_name(),
                "working_days": _count_text(person.working_days),
                "present": _count_text(person.present),
                "late": _count_text(person.late),
                "field_work": _count_text(person.field_work),
                "leave": [_leave_text(person.leave_days.get(t.pk, 0)) for t in leave_types],
                "unexcused": (
                    format_html('<span class="text-danger fw-bold">{}</span>', _count_text(unexcused))
                    if unexcused
                    else _count_text(unexcused)
                ),
            }
        )
    return rows


def _count_text(count: int) -> str:
    # A count of days in a month has no thousands to group: what ``localize`` writes, without the
    # format lookups it makes for every number (a few hundred per page).
    return str(count) if -1000 < count < 1000 else localize(count)


def _leave_text(days) -> str:
    return localize(days) if days else ""
