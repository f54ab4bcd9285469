"""Filters for what leave pages repeat on every row, written in Python (issue 8: an include per row is slow).

``{{ leave|leave_period }}`` is ``leave/includes/_period.html`` and ``{{ leave|leave_status }}`` is
``leave/includes/_status.html``, word for word (``tests/leave/test_leave_tags.py`` holds them equal);
the includes stay for pages that show one request.
"""

import datetime
import functools
from html import escape as html_escape

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.template.defaultfilters import time as time_filter
from django.utils.dateformat import format as format_datetime
from django.utils.formats import date_format, get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, template_localtime
from django.utils.translation import get_language, gettext

from apps.workcalendar.calendar import Half

register = template.Library()

STATUS_COLOURS = {"approved": "success", "pending": "warning", "rejected": "danger"}


@functools.lru_cache(maxsize=4096)
def _date_in(value: datetime.date, format_name: str, language: str | None) -> str:
    return date_format(value, format_name)


def date_text(value: datetime.date, format_name: str = "DATE_FORMAT") -> str:
    """``date_format`` of a date, remembered: a page of rows formats the same few dates again and again."""
    return _date_in(value, format_name, get_language())


@functools.lru_cache(maxsize=4096)
def _period_in(start_date, start_half: str, end_date, end_half: str, language: str | None) -> str:
    start = _esc(date_text(start_date))
    end = _esc(date_text(end_date))
    if start_half == Half.AFTERNOON:
        start = gettext("%(date)s afternoon") % {"date": start}
    if end_half == Half.MORNING:
        end = gettext("%(date)s morning") % {"date": end}
    return gettext("%(start)s – %(end)s") % {"start": start, "end": end}


@functools.lru_cache(maxsize=4096)
def _datetime_in(value: datetime.datetime, zone, format_string: str, language: str | None) -> str:
    return _esc(format_datetime(value.astimezone(zone), format_string))


def datetime_text(value: datetime.datetime, format_name: str) -> str:
    """``{{ value|date:format_name }}`` of an aware datetime (in the current time zone, escaped), remembered:
    a list shows the same rows' times on every load (issue 8)."""
    if not settings.USE_TZ or value.tzinfo is None:
        return conditional_escape(format_datetime(template_localtime(value), get_format(format_name)))
    return _datetime_in(value, get_current_timezone(), get_format(format_name), get_language())


@receiver(setting_changed)
def _formats_changed(**kwargs) -> None:
    # Like Django's own format cache: forget what was formatted under other settings (tests override them).
    _date_in.cache_clear()
    _period_in.cache_clear()
    _datetime_in.cache_clear()


def period_text(leave) -> str:
    """The request's period, half days named: "1 December 2026 afternoon – 3 December 2026" (escaped).

    Remembered per language, like ``date_text``: a list repeats the same periods on every load.
    """
    return _period_in(leave.start_date, leave.start_half, leave.end_date, leave.end_half, get_language())


@register.filter(is_safe=True)
def leave_period(leave):
    return SafeString(period_text(leave))  # safe: the dates are escaped in period_text; msgids hold no markup


@register.filter(is_safe=True)
def leave_status(leave):
    return format_html(
        '<span class="badge text-bg-{}" data-testid="leave-status">{}</span>',
        STATUS_COLOURS.get(leave.status, "secondary"),
        leave.get_status_display(),
    )


@register.filter(is_safe=True)
def calendar_cells(cells):
    """The ``<td>`` cells of one person's row of the leave calendar: ``[(day, entries), …]``.

    An entry is ``{"leave", "half", "colour"}`` (``apps/leave/views.leave_calendar``). A month has
    some thirty cells per person: one template loop per cell made the grid most of the page's time.
    """
    half_day = gettext("Half day")
    made: dict = {}
    parts = []
    for _day, entries in cells:
        if not entries:
            parts.append('<td class="p-0"></td>')
            continue
        state = " leave-approved" if entries[0]["leave"].status == "approved" else " leave-pending"
        links = []
        for entry in entries:
            key = (id(entry["leave"]), entry["half"], entry["colour"])
            if key not in made:
                made[key] = _calendar_link(entry["leave"], entry["half"], entry["colour"], half_day)
            links.append(made[key])
        parts.append(f'<td class="p-0{state}">{"".join(links)}</td>')
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped in _calendar_link)


def _calendar_link(leave, half: bool, colour: str, half_day: str) -> str:
    approved = leave.status == "approved"
    type_name = leave.leave_type.display_name
    status = leave.get_status_display()
    return format_html(
        '<a class="d-block text-decoration-none calendar-entry {}{}" href="#leave-{}" data-testid="calendar-cell" '
        'data-status="{}" data-type="{}" title="{} · {}{}">{}{}<span class="visually-hidden">{}, {}{}</span></a>',
        colour,
        "" if approved else " is-pending",
        leave.pk,
        leave.status,
        leave.leave_type.code,
        type_name,
        status,
        format_html(" · {}", half_day) if half else "",
        "●" if approved else "○",
        "½" if half else "",
        type_name,
        status,
        format_html(", {}", half_day) if half else "",
    )


# Text written here (never lazy, never a callable) is marked safe with ``SafeString`` itself: ``mark_safe``
# first checks every argument for a lazy translation, and a page of rows marks some three hundred
# strings (issue 8). Each is escaped where it is built, as the comment beside it says.


def _translated(translated: str, **params) -> str:
    """``{% blocktranslate with … %}``: a translation (``gettext("…")`` at the call, where makemessages finds
    the msgid) with its escaped values put in."""
    return SafeString(translated % {name: _esc(value) for name, value in params.items()})  # safe: every value escaped


def _short_date(value) -> str:
    return date_text(value, "SHORT_DATE_FORMAT")


@register.filter(is_safe=True)
def queue_requester(row):
    """The approval queue's requester cell: the batch checkbox and the link to the request."""
    return _requester_html(row, gettext("Select the request of %(name)s"))


def _requester_html(row, select_words: str) -> str:
    leave = row.leave
    name = _esc(leave.user.get_full_name())
    label = select_words % {"name": name}  # the msgid holds no markup
    return SafeString(  # safe: every value escaped
        f'<input class="form-check-input queue-select me-2" type="checkbox" name="leave" value="{leave.pk}" '
        f'form="queue-batch" id="queue-select-{leave.pk}" aria-label="{label}" data-testid="queue-select">'
        f'<a href="{_esc(row.detail_url)}?source=queue" data-testid="queue-requester">{name}</a>'
    )


@register.filter(is_safe=True)
def queue_reason(row):
    """The approval queue's reason cell (unless private to the viewer) and the handover colleague."""
    return _reason_html(row, _reason_words())


def _reason_words() -> tuple[str, str]:
    return (
        format_html(
            '<span class="text-body-secondary" data-testid="queue-reason-private">{}</span>', gettext("Not shown")
        ),
        gettext("Handover: %(name)s"),
    )


def _reason_html(row, words: tuple[str, str]) -> str:
    private, handover = words
    leave = row.leave
    if row.can_view_reason:
        reason = f'<span class="text-pre-line" data-testid="queue-reason">{_esc(leave.reason)}</span>'
    else:
        reason = private
    handover = _translated(handover, name=leave.handover_to.get_full_name())
    return SafeString(  # safe: every value escaped
        f'{reason}<div class="small text-body-secondary text-nowrap" data-testid="queue-handover">{handover}</div>'
    )


@register.filter(is_safe=True)
def queue_considerations(row):
    """The approval queue's "things to consider": comp-time balance, colleagues away, important periods."""
    return _considerations(row, {}, {})


def _esc(value) -> str:
    """``conditional_escape`` as plain text, for markup that is marked safe once it is whole."""
    html = getattr(value, "__html__", None)
    return html() if html is not None else html_escape(str(value))


def _consideration_words(made: dict) -> tuple[str, ...]:
    """The words of the "things to consider" cell, translated once per page (kept in ``made``)."""
    words = made.get("words")
    if words is None:
        words = made["words"] = tuple(
            _esc(word)
            for word in (
                gettext("Also away:"),
                gettext("Important-activity period:"),
                gettext("This type of leave is not allowed in it."),
            )
        ) + (
            gettext("Comp-time balance: %(before)s → %(after)s"),
            gettext(" (field work: %(destination)s)"),
            gettext(" (%(type)s, pending)"),
            gettext(" (%(type)s)"),
        )
    return words


def _considerations(row, made: dict, numbers: dict) -> str:
    """``queue_considerations``; ``made`` keeps each colleague's and period's line for the other rows of the page.

    The rows of a page mostly overlap, so the same absence shows on several of them: it is written once.
    """
    also_away, in_period, not_allowed, balance_words = _consideration_words(made)[:4]
    parts = []
    if row.balance_before is not None:
        balance = _translated(
            balance_words,
            before=_number_text(numbers, row.balance_before),
            after=_number_text(numbers, row.balance_after),
        )
        short = " text-danger fw-semibold" if row.balance_short else ""
        parts.append(f'<div class="small{short}" data-testid="queue-balance">{balance}</div>')
    if row.away:
        items = []
        for absence in row.away:
            item = made.get(id(absence))
            if item is None:
                item = made[id(absence)] = _absence_item(absence, made)
            items.append(item)
        parts.append(
            f'<div class="small text-body-secondary">{also_away}</div><ul class="list-unstyled small mb-1" '
            f'data-testid="queue-away">{"".join(items)}</ul>'
        )
    if row.periods:
        items = []
        for period in row.periods:
            key = ("period", period.pk)
            item = made.get(key)
            if item is None:
                item = made[key] = (
                    f'<li>{_esc(period.name)} <span class="text-body-secondary">'
                    f"{_esc(_short_date(period.start_date))} – {_esc(_short_date(period.end_date))}</span></li>"
                )
            items.append(item)
        parts.append(
            f'<div class="small text-body-secondary">{in_period}</div><ul class="list-unstyled small mb-0" '
            f'data-testid="queue-periods">{"".join(items)}</ul>'
        )
        if row.period_blocks:
            parts.append(f'<div class="small text-danger">{not_allowed}</div>')
    return SafeString("".join(parts))  # safe: every value escaped above


def _absence_item(absence, made: dict | None = None) -> str:
    made = {} if made is None else made
    field_work, pending, on_leave = _consideration_words(made)[4:]
    if absence.is_field_work:
        what = _translated(field_work, destination=absence.destination)
    else:
        # " (annual leave, pending)": the same few for a whole page, written once each.
        key = ("absence type", absence.leave_type.pk, absence.pending)
        what = made.get(key)
        if what is None:
            words = pending if absence.pending else on_leave
            what = made[key] = _translated(words, type=absence.leave_type.name_in_sentence)
    dates = _esc(_short_date(absence.start_date))
    if absence.end_date != absence.start_date:
        dates = f"{dates} – {_esc(_short_date(absence.end_date))}"
    return f'<li>{_esc(absence.name)}{what} <span class="text-body-secondary">{dates}</span></li>'


@register.filter(is_safe=True)
def calendar_day_entries(entries):
    """The ``<li>`` of each leave on one day of the leave calendar's list of days (shown on a phone)."""
    half_day = gettext("Half day")
    items = []
    for entry in entries:
        leave = entry["leave"]
        approved = leave.status == "approved"
        items.append(
            format_html(
                '<li class="list-group-item d-flex align-items-center gap-2" data-testid="calendar-day-entry" '
                'data-status="{}">\n<span class="leave-swatch calendar-entry {}{}" aria-hidden="true">{}</span>\n'
                '<span class="flex-grow-1"><strong>{}</strong> · {}{}</span>\n'
                '<a class="text-nowrap" href="#leave-{}">{}</a>\n</li>',
                leave.status,
                entry["colour"],
                "" if approved else " is-pending",
                "●" if approved else "○",
                leave.user.get_full_name(),
                leave.leave_type.display_name,
                format_html(" · {}", half_day) if entry["half"] else "",
                leave.pk,
                leave_status(leave),
            )
        )
    return mark_safe("\n".join(items))  # noqa: S308 (built with format_html above)


@register.filter(is_safe=True)
def calendar_leave_item(item):
    """One request in the leave calendar's list of the month's leave: who, type, period, days, status, link."""
    leave = item["leave"]
    link = ""
    if item["can_open"]:
        link = format_html(
            ' <a href="{}?source=calendar" data-testid="calendar-open">{}</a>',
            item["detail_url"],
            gettext("Open the request"),
        )
    return format_html(
        '<li class="list-group-item d-flex flex-wrap justify-content-between gap-2" id="leave-{}">\n'
        '<span><span class="leave-swatch calendar-entry {}{}" aria-hidden="true"></span> <strong>{}</strong> · {} · '
        "{} · {}</span>\n<span>{}{}</span>\n</li>",
        leave.pk,
        item["colour"],
        "" if leave.status == "approved" else " is-pending",
        leave.user.get_full_name(),
        leave.leave_type.display_name,
        leave_period(leave),
        _translated(gettext("%(days)s working days"), days=floatformat(leave.days, "-1")),
        leave_status(leave),
        link,
    )


def _csrf_input(context) -> str:
    """``{% csrf_token %}``."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 (what the csrf context processor gives without a request)
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _decision_words(context) -> tuple[str, str, str, str]:
    """The csrf input and the words of the queue's decision forms, once per page."""
    shared = context.render_context.get("queue_decision_words")
    if shared is None:
        shared = context.render_context["queue_decision_words"] = (
            _csrf_input(context),
            gettext("Comment"),
            gettext("Approve"),
            gettext("Reject"),
        )
    return shared


@register.simple_tag(takes_context=True)
def grant_decide_form(context, grant):
    """The approval queue's decision form of a comp-time request: a comment, Approve and Reject."""
    return _grant_form_html(tuple(_esc(word) for word in _decision_words(context)), grant)


def _grant_form_html(words, grant) -> str:
    """``words``: ``_decision_words`` escaped (once for a page of rows)."""
    csrf, comment, approve, reject = words
    return SafeString(  # safe: every value escaped
        f'<form method="post" action="{_esc(grant.decide_url)}" class="queue-decide">{csrf}\n'
        f'<input class="form-control form-control-sm queue-comment" name="comment" placeholder="{comment}" '
        f'aria-label="{comment}">\n'
        f'<button class="btn btn-sm btn-success" name="decision" value="approve" type="submit">{approve}</button>\n'
        '<button class="btn btn-sm btn-outline-danger" name="decision" value="reject" type="submit">'
        f"{reject}</button>\n</form>"
    )


@register.simple_tag(takes_context=True)
def queue_decide_form(context, row):
    """The approval queue's per-row decision form: a comment, Approve and Reject (posting back to the queue)."""
    return _queue_form_html(tuple(_esc(word) for word in _decision_words(context)), row)


def _queue_form_html(words, row) -> str:
    """``words``: ``_decision_words`` escaped (once for a page of rows)."""
    csrf, comment, approve, reject = words
    return SafeString(  # safe: every value escaped
        f'<form method="post" class="queue-decide" data-testid="queue-decide">{csrf}'
        '<input type="hidden" name="next" value="queue">\n'
        f'<input class="form-control form-control-sm queue-comment" name="comment" placeholder="{comment}" '
        f'aria-label="{comment}">\n'
        f'<button class="btn btn-sm btn-success" type="submit" formaction="{_esc(row.approve_url)}" '
        f'data-testid="queue-approve">{approve}</button>\n'
        f'<button class="btn btn-sm btn-outline-danger" type="submit" formaction="{_esc(row.reject_url)}" '
        f'data-testid="queue-reject">{reject}'
        "</button>\n</form>"
    )


# ----- The approval queue's tables: every cell of a row written once, in Python -----
#
# ``{% listtable %}`` renders each cell's template code per row; with some ten cells of filters, tags and
# lookups per row that was most of the queue's time (issue 8). The tags below return, per row, a dict of
# the cells' finished HTML; the page's ``{% column %}`` blocks only place them (``{{ row.period }}``), so
# the list component still writes the table, the phone cards and the actions. Each cell is what the
# template code it replaces wrote (``tests/leave/test_queue_speed.py`` holds the tables equal).


FILED_FORMAT = "SHORT_DATETIME_FORMAT"


def _text(value) -> str:
    """``{{ value }}``: the value as text, escaped."""
    return conditional_escape(value)


def _datetime_text(value, format_name: str) -> str:
    """``{{ value|date:format_name }}`` of an aware datetime: in the current time zone, escaped."""
    return conditional_escape(date_filter(template_localtime(value), format_name))


def _number_text(numbers: dict, value) -> str:
    """``{{ value|floatformat:"-1" }}``, once per distinct number of a page (equal numbers print alike)."""
    text = numbers.get(value)
    if text is None:
        text = numbers[value] = floatformat(value, "-1")
    return text


@register.simple_tag(takes_context=True)
def queue_cells(context, rows):
    """The cells of the pending requests (``leave_queue_rows`` with the view's ``detail_url`` …).

    Keys: ``css`` (the row's classes), ``requester``, ``leave_type``, ``period``, ``days``, ``filed``,
    ``reason``, ``considerations`` and ``actions``. The words, the date format and the numbers the
    rows repeat are looked up once for the page.
    """
    words = tuple(_esc(word) for word in _decision_words(context))
    select_words = gettext("Select the request of %(name)s")
    reason_words = _reason_words()
    # ``date:"SHORT_DATETIME_FORMAT"`` is ``dateformat.format`` with the format of the active language.
    filed_format = get_format(FILED_FORMAT)
    zone, language = get_current_timezone(), get_language()
    aware = settings.USE_TZ
    made: dict = {}
    numbers: dict = {}
    type_names: dict = {}
    cells = []
    for row in rows:
        leave = row.leave
        leave_type = leave.leave_type
        type_name = type_names.get(leave_type.pk)
        if type_name is None:
            type_name = type_names[leave_type.pk] = _text(leave_type.display_name)
        created_at = leave.created_at
        if aware and created_at.tzinfo is not None:
            filed = _datetime_in(created_at, zone, filed_format, language)
        else:
            filed = conditional_escape(format_datetime(template_localtime(created_at), filed_format))
        cells.append(
            {
                "css": "queue-row table-warning" if row.period_blocks or row.balance_short else "queue-row",
                "requester": _requester_html(row, select_words),
                "leave_type": type_name,
                "period": leave_period(leave),
                "days": SafeString(  # safe: floatformat's output is safe
                    f'<span data-testid="queue-days">{_number_text(numbers, leave.days)}</span>'
                ),
                "filed": SafeString(f'<span data-testid="queue-filed">{filed}</span>'),  # safe: escaped
                "reason": _reason_html(row, reason_words),
                "considerations": _considerations(row, made, numbers),
                "actions": _queue_form_html(words, row),
            }
        )
    return cells


@register.simple_tag(takes_context=True)
def grant_cells(context, grants):
    """The cells of the pending comp-time requests (``comp_grant_queue_values`` with the view's URLs).

    Keys: ``requester``, ``work_date``, ``check_in``, ``days``, ``balance``, ``reason`` and ``actions``.
    """
    words = tuple(_esc(word) for word in _decision_words(context))
    none = format_html('<span class="text-body-secondary">{}</span>', gettext("none"))
    numbers: dict = {}
    cells = []
    for grant in grants:
        checked_in = grant.checked_in_at
        cells.append(
            {
                "requester": _text(grant.user.get_full_name()),
                "work_date": _text(date_text(grant.work_date, "SHORT_DATE_FORMAT")),
                "check_in": conditional_escape(time_filter(template_localtime(checked_in), "H:i"))
                if checked_in
                else none,
                "days": _number_text(numbers, grant.days),
                "balance": SafeString(  # safe: floatformat's output is safe
                    f'<span data-testid="grant-balance">{_number_text(numbers, grant.balance_before)} → '
                    f"{_number_text(numbers, grant.balance_after)}</span>"
                ),
                "reason": SafeString(f'<span class="small">{_esc(grant.reason)}</span>'),  # safe: escaped
                "actions": _grant_form_html(words, grant),
            }
        )
    return cells


@register.simple_tag
def decided_cells(rows):
    """The cells of the decided tab (``leave_decided_by`` rows with the view's ``detail_url``).

    Keys: ``requester``, ``leave_type``, ``period``, ``days``, ``decision``, ``comment`` and ``decided_at``.
    """
    approved, rejected = gettext("Approved"), gettext("Rejected")
    cells = []
    for row in rows:
        leave = row.leave
        decision = leave.decision
        words = approved if decision == "approved" else rejected if decision == "rejected" else ""
        badge = format_html(
            '<span class="badge text-bg-{}" data-testid="queue-decision">{}</span>',
            "success" if decision == "approved" else "danger",
            words,
        )
        if leave.status != decision:
            badge = format_html("{} {}", badge, leave_status(leave))
        cells.append(
            {
                "requester": format_html(
                    '<a href="{}?source=queue">{}</a>', row.detail_url, leave.user.get_full_name()
                ),
                "leave_type": _text(leave.leave_type.display_name),
                "period": leave_period(leave),
                "days": floatformat(leave.days, "-1"),
                "decision": badge,
                "comment": _text(leave.decision_comment) if row.can_view_reason else "",
                "decided_at": _datetime_text(leave.decided_at, "SHORT_DATETIME_FORMAT") if leave.decided_at else "",
            }
        )
    return cells
