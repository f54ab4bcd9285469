"""The leave calendar's month grid, list of days and list of the month's leave, written in Python (issue 8).

Each filter writes what a template loop of ``leave/calendar.html`` wrote, character for character
(``tests/leave/test_calendar_fast_rendering.py`` holds the page equal to the loops it replaces): a
month shows the same few requests in some thirty cells, on several days and in the list, so what a
request shows is written once per page part, not once per cell. ``html.escape`` is what Django's
``escape`` calls, without the check for lazy strings on every call.
"""

from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from apps.leave.models import LeaveRequest

from .leave_tags import date_text, leave_status, period_text

register = template.Library()

APPROVED = LeaveRequest.Status.APPROVED.value


class _Texts:
    """What each request shows, escaped, worked out once per filter call: name, type, status, badge."""

    def __init__(self):
        self.half_day = escape(gettext("Half day"))
        self._leaves: dict[int, tuple[str, str, str, str]] = {}
        self._badges: dict[str, str] = {}

    def of(self, leave) -> tuple[str, str, str, str]:
        """Return ``(person, type, status label, status badge)`` of ``leave``, escaped."""
        found = self._leaves.get(id(leave))
        if found is None:
            badge = self._badges.get(leave.status)
            if badge is None:
                badge = self._badges[leave.status] = str(leave_status(leave))
            found = self._leaves[id(leave)] = (
                escape(leave.user.get_full_name()),
                escape(leave.leave_type.display_name),
                escape(str(LeaveRequest.Status(leave.status).label)),
                badge,
            )
        return found


@register.filter(is_safe=True)
def calendar_head(days):
    """The grid's ``<th>`` per day of ``[(day, working), …]``: the day of the month, non-working days shaded."""
    return mark_safe(  # noqa: S308 (numbers and fixed classes only)
        "".join(f'<th class="{"" if working else "table-secondary"}">{day.day}</th>' for day, working in days)
    )


@register.filter(is_safe=True)
def calendar_rows(grid):
    """The grid's ``<tr>`` per person of ``[{"user", "cells": [(day, entries), …]}, …]`` (``views.leave_calendar``).

    An entry is ``{"leave", "half", "colour"}``; a cell with leave is the link of each entry, its state
    (approved or pending) from the first one.
    """
    texts = _Texts()
    parts = []
    for row in grid:
        links: dict = {}
        cells = []
        for _day, entries in row["cells"]:
            if not entries:
                cells.append('<td class="p-0"></td>')
                continue
            state = " leave-approved" if entries[0]["leave"].status == APPROVED else " leave-pending"
            made = []
            for entry in entries:
                key = (id(entry["leave"]), entry["half"], entry["colour"])
                link = links.get(key)
                if link is None:
                    link = links[key] = _cell_link(texts, entry["leave"], entry["half"], entry["colour"])
                made.append(link)
            cells.append(f'<td class="p-0{state}">{"".join(made)}</td>')
        parts.append(
            f'\n  <tr><td class="text-start text-nowrap">{escape(row["user"].get_full_name())}</td>\n    '
            f"{''.join(cells)}\n  </tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


def _cell_link(texts: _Texts, leave, half: bool, colour: str) -> str:
    _person, type_name, status, _badge = texts.of(leave)
    approved = leave.status == APPROVED
    half_title = f" · {texts.half_day}" if half else ""
    half_hidden = f", {texts.half_day}" if half else ""
    return (
        f'<a class="d-block text-decoration-none calendar-entry {escape(colour)}{"" if approved else " is-pending"}" '
        f'href="#leave-{leave.pk}" data-testid="calendar-cell" data-status="{escape(leave.status)}" '
        f'data-type="{escape(leave.leave_type.code)}" title="{type_name} · {status}{half_title}">'
        f"{'●' if approved else '○'}{'½' if half else ''}"
        f'<span class="visually-hidden">{type_name}, {status}{half_hidden}</span></a>'
    )


@register.filter(is_safe=True)
def calendar_agenda(agenda):
    """The list of days with leave shown on a phone: a heading per day of ``[{"day", "working", "entries"}, …]``,
    then an ``<li>`` per leave that day."""
    texts = _Texts()
    non_working = escape(gettext("Non-working day"))
    items: dict = {}
    parts = []
    for day in agenda:
        secondary = "" if day["working"] else " text-body-secondary"
        note = "" if day["working"] else f" · {non_working}"
        entries = []
        for entry in day["entries"]:
            key = (id(entry["leave"]), entry["half"], entry["colour"])
            item = items.get(key)
            if item is None:
                item = items[key] = _day_entry(texts, entry["leave"], entry["half"], entry["colour"])
            entries.append(item)
        parts.append(
            f'\n  <h2 class="h6 mt-3 mb-1{secondary}" data-testid="calendar-day">'
            f"{escape(date_text(day['day']))} {escape(date_text(day['day'], 'D'))}{note}</h2>\n"
            f'  <ul class="list-group small">\n    {chr(10).join(entries)}\n  </ul>\n  '
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


def _day_entry(texts: _Texts, leave, half: bool, colour: str) -> str:
    person, type_name, _status, badge = texts.of(leave)
    approved = leave.status == APPROVED
    return (
        f'<li class="list-group-item d-flex align-items-center gap-2" data-testid="calendar-day-entry" '
        f'data-status="{escape(leave.status)}">\n'
        f'<span class="leave-swatch calendar-entry {escape(colour)}{"" if approved else " is-pending"}" '
        f'aria-hidden="true">{"●" if approved else "○"}</span>\n'
        f'<span class="flex-grow-1"><strong>{person}</strong> · {type_name}{f" · {texts.half_day}" if half else ""}'
        f"</span>\n"
        f'<a class="text-nowrap" href="#leave-{leave.pk}">{badge}</a>\n</li>'
    )


@register.filter(is_safe=True)
def calendar_leave_list(items):
    """The ``<li>`` of each request in the month's list: who, type, period, working days, status, link.

    An item is ``{"leave", "can_open", "detail_url", "colour"}``.
    """
    texts = _Texts()
    open_text = escape(gettext("Open the request"))
    days_text = gettext("%(days)s working days")
    parts = []
    for item in items:
        leave = item["leave"]
        person, type_name, _status, badge = texts.of(leave)
        link = ""
        if item["can_open"]:
            url = escape(item["detail_url"])
            link = f' <a href="{url}?source=calendar" data-testid="calendar-open">{open_text}</a>'
        days = days_text % {"days": escape(floatformat(leave.days, "-1"))}
        parts.append(
            f'<li class="list-group-item d-flex flex-wrap justify-content-between gap-2" id="leave-{leave.pk}">\n'
            f'<span><span class="leave-swatch calendar-entry {escape(item["colour"])}'
            f'{"" if leave.status == APPROVED else " is-pending"}" aria-hidden="true"></span> '
            f"<strong>{person}</strong> · {type_name} · {period_text(leave)} · {days}</span>\n"
            f"<span>{badge}{link}</span>\n</li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
