import calendar as month_calendar
import datetime
from collections import OrderedDict
from threading import Lock
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.core.cache_keys import prefetched
from apps.core.forms import add_service_error
from apps.core.http import private_file_response
from apps.core.months import month_value
from apps.core.pagination import paginate
from apps.core.people import person_sort_key
from apps.core.text import join_messages
from apps.core.uploads import upload_display_name, upload_download_name, upload_kind
from apps.org.dashboard_cache import dashboard_cached, dashboard_cached_keys
from apps.org.models import Department
from apps.org.selectors import active_departments, active_departments_cache_keys
from apps.workcalendar.calendar import Half, calendar_for

from .filters import LeaveQueueFilter
from .forms import (
    ActingApproverForm,
    CompGrantDirectForm,
    CompGrantRequestForm,
    DecisionForm,
    ImportantPeriodForm,
    LeaveCalendarForm,
    LeaveRequestForm,
    QueueBatchForm,
    RequestOriginForm,
)
from .models import (
    ActingApprover,
    CompTimeEntry,
    CompTimeGrantRequest,
    ImportantPeriod,
    LeaveRequest,
)
from .permissions import (
    can_cancel_leave,
    can_decide_leave,
    can_view_attachment,
    can_view_leave_reason,
    can_withdraw_leave,
)
from .selectors import (
    comp_grant_queue,
    comp_time_summary,
    handovers_to,
    leave_calendar_departments,
    leave_calendar_month,
    leave_queue_basics,
    leave_queue_page,
    leave_queue_people_among,
    leave_queue_rows,
    leave_request_visible_to,
    leave_requests_of,
    leave_types_in_order,
    month_page_cache_keys,
    queue_filter_conditions,
)
from .services import (
    ATTACHMENT_TYPES,
    acting_approver_name,
    comp_grant_request_decide,
    comp_grant_request_submit,
    comp_time_grant_direct,
    important_period_declare,
    leave_days,
    leave_request_approve,
    leave_request_cancel,
    leave_request_reject,
    leave_request_submit,
    leave_request_withdraw,
    leave_requests_approve_batch,
)


def pk_url(name: str):
    """Return ``pk -> reverse(name, args=[pk])`` for a URL whose only argument is ``<int:pk>``, reversing once.

    A list page links every row to a few views: one ``reverse`` per row and link is a noticeable
    share of its rendering (issue 8).
    """
    marker = "2147483647"
    head, found, tail = reverse(name, args=[int(marker)]).partition(marker)
    if not found:
        raise ValueError(f"{name} does not end up with its pk in the path")
    return lambda pk: f"{head}{int(pk)}{tail}"


def my_leave(request):
    page = paginate(request, leave_requests_of(user=request.user).order_by("-start_date", "-id"))
    return render(request, "leave/my_leave.html", {"page_obj": page})


def request_create(request):
    user = request.user
    if request.method == "POST":
        form = LeaveRequestForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                leave = leave_request_submit(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Your request has been sent to %(name)s.") % {"name": leave.approver})
                return redirect("leave:detail", pk=leave.pk)
    else:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        form = LeaveRequestForm(user=user, initial={"start_date": tomorrow, "end_date": tomorrow})
    return render(request, "leave/request_form.html", {"form": form})


@require_GET
def request_preview(request):
    """Show the length in working days while the form is filled in (htmx)."""
    context = {}
    try:
        start = datetime.date.fromisoformat(request.GET.get("start_date", ""))
        end = datetime.date.fromisoformat(request.GET.get("end_date", ""))
        context["days"] = leave_days(
            start_date=start,
            start_half=request.GET.get("start_half", "am"),
            end_date=end,
            end_half=request.GET.get("end_half", "pm"),
            today=timezone.localdate(),
        )
    except ValueError:
        context["error"] = _("Enter both dates.")
    except ValidationError as exc:
        context["error"] = join_messages(exc.messages)
    return render(request, "leave/includes/_preview.html", context)


def request_detail(request, pk: int):
    leave = get_object_or_404(leave_request_visible_to(user=request.user), pk=pk)
    user = request.user
    origin = _opened_from(request)
    return render(
        request,
        "leave/request_detail.html",
        {
            "leave": leave,
            "events": leave.events.select_related("actor"),
            "can_decide": leave.status == LeaveRequest.Status.PENDING and can_decide_leave(user=user, obj=leave),
            "can_withdraw": can_withdraw_leave(user=user, obj=leave),
            "can_cancel": can_cancel_leave(user=user, obj=leave),
            "can_view_attachment": bool(leave.attachment) and can_view_attachment(user=user, obj=leave),
            # The handover colleague of, say, sick leave needs the dates and the notes, not the medical reason.
            "can_view_reason": can_view_leave_reason(user=user, obj=leave),
            "decision_form": DecisionForm(),
            "from_queue": origin == "queue",
            "breadcrumbs": _request_breadcrumbs(origin),
        },
    )


def _opened_from(request) -> str:
    """Return the page a request was opened from (``?source=``), or "" when unknown."""
    origin = RequestOriginForm(request.GET)
    return origin.cleaned_data["source"] if origin.is_valid() else ""


def _request_breadcrumbs(origin: str) -> list[dict]:
    """Return the trail back to the page the request was opened from; one's own leave by default."""
    parents = {
        "queue": (_("Approval queue"), "leave:queue"),
        "calendar": (_("Leave calendar"), "leave:calendar"),
        "handovers": (_("Handovers to me"), "leave:handovers"),
        "mine": (_("My leave"), "leave:mine"),
    }
    label, url_name = parents.get(origin, parents["mine"])
    parent = {"label": label, "url": resolve_url(url_name), "testid": f"breadcrumb-{url_name.split(':')[1]}"}
    return [parent, {"label": _("Leave request")}]


def _transition(request, pk: int, service, success: str):
    leave = get_object_or_404(leave_request_visible_to(user=request.user), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        service(actor=request.user, leave=leave, comment=comment)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, success)
    next_url = request.POST.get("next")
    if next_url == "queue":
        return redirect("leave:queue")
    return redirect("leave:detail", pk=leave.pk)


@require_POST
def request_approve(request, pk: int):
    return _transition(request, pk, leave_request_approve, _("The request has been approved."))


@require_POST
def request_reject(request, pk: int):
    return _transition(request, pk, leave_request_reject, _("The request has been rejected."))


@require_POST
def request_withdraw(request, pk: int):
    return _transition(request, pk, leave_request_withdraw, _("The request has been withdrawn."))


@require_POST
def request_cancel(request, pk: int):
    return _transition(request, pk, leave_request_cancel, _("The leave has been cancelled."))


def request_attachment(request, pk: int):
    leave = get_object_or_404(leave_request_visible_to(user=request.user), pk=pk)
    if not leave.attachment or not can_view_attachment(user=request.user, obj=leave):
        raise Http404
    try:
        handle = leave.attachment.open("rb")
    except OSError as exc:
        raise Http404 from exc
    # Typed by content at every download: files stored before uploads were typed keep their own name.
    kind = upload_kind(handle, allowed=ATTACHMENT_TYPES)
    return private_file_response(
        handle,
        filename=upload_download_name(upload_display_name(leave.attachment_name), kind),
        content_type=kind.mime if kind else "application/octet-stream",
    )


def approval_queue(request):
    """Pending requests with what the approver weighs (or, on the decided tab, past decisions), filtered.

    Read as plain values in queries written out: what the page shows whatever its filters (who the
    user decides for, the filters' choices, the comp-time requests) in one, the page's requests in
    another, the rows' details in a third. The ORM querysets they replace (``departments_approved_by``,
    ``leave_approval_queue``, ``leave_decided_by``, ``leave_queue_people``, the leave types,
    ``comp_grant_queue_rows``) were about a third of the page's time (issue 8); a test holds them equal.
    """
    user = request.user
    today = timezone.localdate()
    decided = request.GET.get("tab") == "decided"
    basics = leave_queue_basics(user=user, on_date=today, decided=decided)
    # Who the user decides for today, asked once for the queue, the reasons and the comp-time requests.
    departments = basics.departments

    # The filter set writes the form and validates it; the page's query applies its values
    # (``queue_filter_conditions``), so it is given no queryset to filter.
    def filter_set():
        return LeaveQueueFilter(
            request.GET or None,
            queryset=LeaveRequest.objects.none(),
            people=leave_queue_people_among(basics.requesters),
            values_read={"person": basics.requesters, "leave_type": basics.leave_types},
        )

    if any(request.GET.get(name) for name in LeaveQueueFilter.base_filters):
        filterset = filter_set()
        if filterset.is_bound and not filterset.is_valid():
            messages.warning(request, _("Some filters could not be read and were left out."))
        conditions = queue_filter_conditions(filterset)
        filter_fields = _queue_filter_fields(filterset)
    else:
        # Nothing to filter by: the fields are those of the empty form, the same for every page with
        # these choices today in this language, so their markup is remembered (issue 8).
        filterset = SimpleLazyObject(filter_set)
        conditions = []
        key = (get_language(), today, tuple(basics.requesters), tuple(basics.leave_types))
        filter_fields = _empty_filter_fields(key, lambda: _queue_filter_fields(filterset))
    page = _queue_page(
        request,
        lambda offset, limit: leave_queue_page(
            user=user, departments=departments, decided=decided, conditions=conditions, offset=offset, limit=limit
        ),
    )
    rows = leave_queue_rows(
        user=user, leaves=page.object_list, on_date=today, details=not decided, departments=departments
    )
    detail_url, approve_url, reject_url = (pk_url(name) for name in ("leave:detail", "leave:approve", "leave:reject"))
    for row in rows:
        row.detail_url = detail_url(row.leave.pk)
        row.approve_url = approve_url(row.leave.pk)
        row.reject_url = reject_url(row.leave.pk)
    grants = basics.grants
    decide_url = pk_url("leave:comp_decide")
    for grant in grants:
        grant.decide_url = decide_url(grant.pk)
    return render(
        request,
        "leave/queue.html",
        {
            "page_obj": page,
            "rows": rows,
            "grants": grants,
            "filter": filterset,
            "filter_fields": filter_fields,
            "decided": decided,
            "batch_form": QueueBatchForm(),
        },
    )


# The empty filter form's fields by language, day and choices (``approval_queue``), least recently used first.
_EMPTY_FILTER_FIELDS: OrderedDict[tuple, SafeString] = OrderedDict()
_EMPTY_FILTER_FIELDS_LOCK = Lock()


def _empty_filter_fields(key: tuple, render) -> SafeString:
    """``render()``, remembered under ``key`` (what determines every character of it) for this process."""
    with _EMPTY_FILTER_FIELDS_LOCK:
        html = _EMPTY_FILTER_FIELDS.get(key)
        if html is not None:
            _EMPTY_FILTER_FIELDS.move_to_end(key)
            return html
    html = render()
    with _EMPTY_FILTER_FIELDS_LOCK:
        _EMPTY_FILTER_FIELDS[key] = html
        while len(_EMPTY_FILTER_FIELDS) > 64:
            _EMPTY_FILTER_FIELDS.popitem(last=False)
    return html


@receiver(setting_changed)
def _forget_empty_filter_fields(**kwargs) -> None:
    # Labels and formats follow the settings (tests override them).
    with _EMPTY_FILTER_FIELDS_LOCK:
        _EMPTY_FILTER_FIELDS.clear()


def _queue_filter_fields(filterset) -> SafeString:
    """The fields of the queue's filter form: ``leave/includes/_queue_filter_fields.html`` (without the
    newlines that end the file; what the loop wrote inside ``leave/queue.html``)."""
    html = get_template("leave/includes/_queue_filter_fields.html").render({"filter": filterset})
    return SafeString(html.rstrip("\n"))  # safe: template output


def _queue_page(request, fetch) -> Page:
    """The requested page as ``paginate`` gives it, read with ``fetch(offset, limit)`` (rows and their count).

    The count comes with the page (``COUNT(*) OVER ()``): no query of its own (issue 8). As
    ``Paginator.get_page``: a page number that is not a whole number gives the first page, one below 1
    or past the last page the last one.
    """
    per_page = settings.PAGE_SIZE
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    leaves, total = fetch(max(number - 1, 0) * per_page, per_page)
    if total is None and number > 1:
        # Past the last page: count from the first page (empty if nothing matches), then read the last.
        leaves, total = fetch(0, per_page)
        number = -1
    paginator = Paginator(leaves, per_page)
    # ``Paginator.count`` is a cached property: setting it is what counting would have stored.
    paginator.count = total or 0
    if number < 1:
        number = paginator.num_pages
        if number > 1:
            leaves, _total = fetch((number - 1) * per_page, per_page)
    return Page(leaves, number, paginator)


@require_POST
def queue_batch(request):
    """Approve the selected requests with one comment, after a confirmation page; report each failure by name."""
    user = request.user
    form = QueueBatchForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("leave:queue")
    ids = form.cleaned_data["leave"]
    comment = form.cleaned_data["comment"]
    leaves = list(leave_request_visible_to(user=user).filter(pk__in=ids).order_by("pk"))
    missing = len(ids) - len(leaves)
    if not form.cleaned_data["confirmed"]:
        today = timezone.localdate()
        return render(
            request,
            "leave/queue_confirm.html",
            {
                "rows": leave_queue_rows(user=user, leaves=leaves, on_date=today),
                "form": QueueBatchForm(
                    initial={"leave": [leave.pk for leave in leaves], "comment": comment, "confirmed": True}
                ),
                "missing": missing,
            },
        )
    approved, failures = leave_requests_approve_batch(actor=user, leaves=leaves, comment=comment)
    if approved:
        messages.success(
            request,
            ngettext(
                "%(count)s request approved: %(names)s.",
                "%(count)s requests approved: %(names)s.",
                len(approved),
            )
            % {
                "count": len(approved),
                "names": pgettext("list separator", ", ").join(_leave_label(leave) for leave in approved),
            },
        )
    for failure in failures:
        messages.error(
            request,
            _("Not approved: %(request)s. %(reason)s")
            % {"request": _leave_label(failure.leave), "reason": failure.reason},
        )
    if missing:
        messages.error(
            request,
            ngettext(
                "%(count)s selected request could not be found.",
                "%(count)s selected requests could not be found.",
                missing,
            )
            % {"count": missing},
        )
    return redirect("leave:queue")


def _leave_label(leave: LeaveRequest) -> str:
    return _("%(name)s’s %(type)s from %(start)s") % {
        "name": leave.user.get_full_name(),
        "type": leave.leave_type.name_in_sentence,
        "start": date_format(leave.start_date, "DATE_FORMAT"),
    }


def handovers_view(request):
    page = paginate(request, handovers_to(user=request.user))
    return render(request, "leave/handovers.html", {"page_obj": page})


# A fixed palette (static/css/app.css, leave-c1 … leave-c8): each leave type takes the class of its
# place in the order of all types, inactive ones included, so it keeps its colour month after month.
LEAVE_COLOURS = 8


def leave_type_colours(leave_types) -> dict[int, str]:
    """Return the colour class of each leave type by primary key."""
    return {leave_type.pk: f"leave-c{index % LEAVE_COLOURS + 1}" for index, leave_type in enumerate(leave_types)}


def _calendar_home_department(user, departments: list[Department]) -> Department | None:
    """The department a calendar opens on: the viewer's own, else the main one, else the first they may see."""
    by_pk = {department.pk: department for department in departments}
    if user.department_id in by_pk:
        return by_pk[user.department_id]
    main = [department for department in departments if department.code == settings.MAIN_DEPARTMENT_CODE]
    return (main or departments or [None])[0]


def leave_calendar(request):
    with prefetched(month_page_cache_keys(request.GET.get("month"))):
        return _leave_calendar(request)


def _leave_calendar(request):
    """A department's pending and approved leave for a month, coloured by type, and who is out today.

    Colleagues see each other's leave read-only (who, type, half days, dates, pending or approved);
    a request's page opens only for those who may see it. People who may see several departments
    (``view_all_leave``, heads of departments with departments below them) choose one. On a phone
    the month grid gives way to a list of the days with leave (CSS only, same page).
    """
    user = request.user
    departments = leave_calendar_departments(user=user)
    can_choose = len(departments) > 1 or user.has_perm("leave.view_all_leave")
    form = LeaveCalendarForm(request.GET or None, departments=departments)
    params = {}
    if form.is_bound:
        form.is_valid()  # a bad value falls back on its own; the other parameter still counts
        params = form.cleaned_data
    if form.is_bound and "month" in form.errors:
        messages.warning(request, _("That month could not be read; showing the current month."))
    if can_choose and form.is_bound and "department" in form.errors:
        messages.warning(request, _("That department could not be found; showing your own."))
    today = timezone.localdate()
    year, month = params.get("month") or (today.year, today.month)
    department = params.get("department") or _calendar_home_department(user, departments)
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, month_calendar.monthrange(year, month)[1])
    if department is None:
        # Nobody's department to show: never fall back on every department's leave.
        leaves, out_today = [], []
    else:
        leaves, out_today = leave_calendar_month(user=user, department=department, start=first, end=last, today=today)
    detail_url = pk_url("leave:detail")
    leave_types = leave_types_in_order()  # inactive ones too: each type keeps its colour
    colours = leave_type_colours(leave_types)
    present = {leave.leave_type_id for leave in leaves}
    calendar = calendar_for(first, last)
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    people = {}
    by_day = {day: [] for day in days}
    for leave in leaves:
        row = people.setdefault(leave.user_id, {"user": leave.user, "cells": {}})
        colour = colours[leave.leave_type_id]
        # Only the month's days the request covers; a half day is one of its ends (LeaveRequest.day_share).
        for day in days[max((leave.start_date - first).days, 0) : (leave.end_date - first).days + 1]:
            half = (day == leave.start_date and leave.start_half == Half.AFTERNOON) or (
                day == leave.end_date and leave.end_half == Half.MORNING
            )
            entry = {"leave": leave, "half": half, "colour": colour}
            row["cells"].setdefault(day, []).append(entry)
            by_day[day].append(entry)
    by_name = person_sort_key
    grid = [
        {"user": row["user"], "cells": [(day, row["cells"].get(day, [])) for day in days]}
        for row in sorted(people.values(), key=lambda r: by_name(r["user"].get_full_name()))
    ]
    agenda = [
        {
            "day": day,
            "working": calendar.is_working_day(day),
            "entries": sorted(by_day[day], key=lambda e: by_name(e["leave"].user.get_full_name())),
        }
        for day in days
        if by_day[day]
    ]
    chosen = {"department": department.code} if can_choose and department is not None else {}
    return render(
        request,
        "leave/calendar.html",
        {
            "grid": grid,
            "agenda": agenda,
            "leaves": [
                {
                    "leave": leave,
                    "can_open": leave.can_open,
                    "detail_url": detail_url(leave.pk),
                    "colour": colours[leave.leave_type_id],
                }
                for leave in leaves
            ],
            "legend": [
                (leave_type, colours[leave_type.pk])
                for leave_type in leave_types
                if leave_type.is_active or leave_type.pk in present
            ],
            "days": [(day, calendar.is_working_day(day)) for day in days],
            "month_start": first,
            "previous": urlencode({"month": month_value(year, month, -1), **chosen}),
            "next": urlencode({"month": month_value(year, month, 1), **chosen}),
            "out_today": out_today,
            "department": department,
            "today": today,
            "filter_form": LeaveCalendarForm(
                initial={"month": month_value(year, month), **chosen}, departments=departments
            )
            if can_choose
            else None,
        },
    )


def periods_view(request):
    can_declare = request.user.has_perm("leave.declare_important_period")
    conflicts = None
    if request.method == "POST":
        if not can_declare:
            raise PermissionDenied
        form = ImportantPeriodForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                period, conflicts = important_period_declare(
                    actor=request.user,
                    name=data["name"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    department=None if data["whole_company"] else request.user.department,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("“%(name)s” has been declared.") % {"name": period.name})
                if not conflicts:
                    return redirect("leave:periods")
                form = ImportantPeriodForm()
    else:
        form = ImportantPeriodForm()
    periods = ImportantPeriod.objects.filter(is_active=True).select_related("department", "declared_by")
    page = paginate(request, periods.order_by("-start_date"))
    return render(
        request,
        "leave/periods.html",
        {"form": form, "page_obj": page, "can_declare": can_declare, "conflicts": conflicts},
    )


def _headed_department(user) -> Department | None:
    """The first active department (by code) ``user`` heads, from the cached list (no query)."""
    return next((d for d in active_departments() if d.head_id == user.pk), None)


def comp_time_view(request):
    # The departments and the balances (both cached) in one round trip.
    keys = [
        *active_departments_cache_keys(),
        *dashboard_cached_keys("comp-summary", request.user.pk, timezone.localdate()),
    ]
    with prefetched(keys):
        return _comp_time(request)


def _comp_time(request):
    user = request.user
    request_form = CompGrantRequestForm(prefix="req", initial={"work_date": request.GET.get("work_date")})
    headed = _headed_department(user)
    members = User.objects.filter(department=headed, is_active=True).exclude(pk=user.pk) if headed else None
    direct_form = CompGrantDirectForm(prefix="direct", members=members) if members is not None else None
    if request.method == "POST":
        if "req-work_date" in request.POST:
            request_form = CompGrantRequestForm(request.POST, prefix="req")
            if request_form.is_valid():
                try:
                    comp_grant_request_submit(user=user, **request_form.cleaned_data)
                except ValidationError as exc:
                    add_service_error(request_form, exc)
                else:
                    messages.success(request, _("Your comp-time request has been sent."))
                    return redirect("leave:comp_time")
        elif direct_form is not None:
            direct_form = CompGrantDirectForm(request.POST, prefix="direct", members=members)
            if direct_form.is_valid():
                try:
                    comp_time_grant_direct(actor=user, **direct_form.cleaned_data)
                except ValidationError as exc:
                    add_service_error(direct_form, exc)
                else:
                    messages.success(request, _("Comp time granted."))
                    return redirect("leave:comp_time")
    ledger = paginate(request, CompTimeEntry.objects.filter(user=user).select_related("created_by"))
    # Cached with the dashboard's facts until a leave request, leave type or comp-time entry changes.
    balance, pending = dashboard_cached(
        "comp-summary", user.pk, timezone.localdate(), lambda: comp_time_summary(user=user)
    )
    return render(
        request,
        "leave/comp_time.html",
        {
            "balance": balance,
            "pending": pending,
            "page_obj": ledger,
            "grant_requests": CompTimeGrantRequest.objects.filter(user=user).order_by("-work_date")[:10],
            "request_form": request_form,
            "direct_form": direct_form,
        },
    )


@require_POST
def comp_grant_decide(request, pk: int):
    grant = get_object_or_404(comp_grant_queue(user=request.user, on_date=timezone.localdate()), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        comp_grant_request_decide(
            actor=request.user, grant=grant, approve=approve, comment=request.POST.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("leave:queue")


def acting_view(request):
    department = _headed_department(request.user)
    if department is None:
        raise PermissionDenied
    if request.method == "POST":
        form = ActingApproverForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                acting_approver_name(actor=request.user, department=department, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The acting approver has been named."))
                return redirect("leave:acting")
    else:
        form = ActingApproverForm(user=request.user)
    current = ActingApprover.objects.filter(department=department, is_active=True).select_related("user")
    return render(request, "leave/acting.html", {"form": form, "department": department, "current": current})
