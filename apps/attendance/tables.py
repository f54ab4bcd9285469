"""The monthly summary's columns and chart, shared by the summary page, its CSV and the report center."""

from decimal import Decimal

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
