import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.cache_keys import prefetched
from apps.core.export import csv_response
from apps.core.forms import add_service_error
from apps.core.months import month_value, parse_month
from apps.core.pagination import paginate
from apps.core.text import join_messages
from apps.leave.selectors import month_page_cache_keys
from apps.workcalendar.calendar import calendar_for

from .forms import FieldNoticeForm, NoticesDayForm, SummaryFilterForm
from .models import FieldWorkNotice
from .selectors import (
    attendance_departments_visible_to,
    attendance_month,
    attendance_people,
    attendance_summary,
    checkin_page,
    field_notices_of,
    field_notices_on,
    leave_types_for_report,
    month_bounds,
)
from .services import (
    checkin_record,
    field_notice_deadline,
    field_notice_file,
    field_notice_receive,
    field_notice_withdraw,
)
from .tables import summary_cells, summary_chart, summary_header, summary_page_rows


def today_view(request):
    today = timezone.localdate()
    user = request.user
    tomorrow = today + datetime.timedelta(days=1)
    # One read of the working calendar answers today and the deadline of tomorrow's notice.
    calendar = calendar_for(today, tomorrow)
    page = checkin_page(user=user, today=today)
    return render(
        request,
        "attendance/today.html",
        {
            "today": today,
            "is_working_day": calendar.is_working_day(today),
            "holiday": calendar.holiday_name(today),
            "check_in": page.check_in,
            "notices_today": field_notices_of(user=user)
            .filter(status=FieldWorkNotice.Status.ACTIVE, start_date__lte=today, end_date__gte=today)
            .only("destination"),
            "next_deadline": field_notice_deadline(department=page.department, first_day=tomorrow, calendar=calendar)
            if page.department
            else None,
            "comp_balance": page.comp_balance,
        },
    )


@require_POST
def checkin_view(request):
    try:
        check_in = checkin_record(user=request.user, request=request)
    except ValidationError as exc:
        messages.warning(request, join_messages(exc.messages))
    else:
        time_text = timezone.localtime(check_in.checked_in_at).strftime("%H:%M")
        if check_in.is_late:
            messages.warning(request, _("Checked in at %(time)s — late.") % {"time": time_text})
        else:
            messages.success(request, _("Checked in at %(time)s.") % {"time": time_text})
    return redirect("attendance:today")


def month_view(request):
    year, month, valid = parse_month(request.GET.get("month"))
    if not valid:
        messages.warning(request, _("That month could not be read; showing the current month."))
    person_month = attendance_month(user=request.user, year=year, month=month, today=timezone.localdate())
    return render(
        request,
        "attendance/month.html",
        {
            "person_month": person_month,
            "month_start": datetime.date(year, month, 1),
            "previous": month_value(year, month, -1),
            "next": month_value(year, month, 1),
            "today": timezone.localdate(),
        },
    )


def _paginate_counted(request, queryset):
    """``paginate``, with the total read by the page's own query (a window count).

    One query whatever the length of the history, where ``paginate`` counts first and reads the page
    only when there is something to read. A page number past the end falls back to ``paginate``.
    """
    per_page = settings.PAGE_SIZE
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    if number < 1:
        return paginate(request, queryset)
    bottom = (number - 1) * per_page
    rows = list(queryset.annotate(page_total=Window(Count("pk")))[bottom : bottom + per_page])
    if not rows and number > 1:
        return paginate(request, queryset)
    paginator = Paginator(queryset, per_page)
    paginator.count = rows[0].page_total if rows else 0  # a cached property: no COUNT query
    return Page(rows, number, paginator)


def notice_list(request):
    page = _paginate_counted(request, field_notices_of(user=request.user))
    return render(request, "attendance/notice_list.html", {"page_obj": page, "today": timezone.localdate()})


def notice_create(request):
    user = request.user
    if request.method == "POST":
        form = FieldNoticeForm(request.POST)
        if form.is_valid():
            try:
                field_notice_file(user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Your field-work notice has been filed with Administration."))
                return redirect("attendance:notice_list")
    else:
        form = FieldNoticeForm(initial={"start_date": timezone.localdate() + datetime.timedelta(days=1)})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    deadline = field_notice_deadline(department=user.department, first_day=tomorrow) if user.department else None
    return render(request, "attendance/notice_form.html", {"form": form, "tomorrow": tomorrow, "deadline": deadline})


@require_POST
def notice_withdraw(request, pk: int):
    notice = get_object_or_404(field_notices_of(user=request.user), pk=pk)
    try:
        field_notice_withdraw(user=request.user, notice=notice)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, _("The notice has been withdrawn."))
    return redirect("attendance:notice_list")


def notices_daily(request):
    """Who works away from the office on a day, in the departments whose attendance the viewer reads."""
    departments = attendance_departments_visible_to(user=request.user)
    if not departments:
        raise PermissionDenied
    today = timezone.localdate()
    form = NoticesDayForm(request.GET)
    if not form.is_valid():
        messages.warning(
            request,
            _("%(problem)s Showing today instead.") % {"problem": join_messages(form.errors["date"])},
        )
    day = form.cleaned_data.get("date") or today
    # No link leads outside the range the form accepts (nor past the calendar's ends).
    earliest, latest = form.fields["date"].bounds(today)
    page = paginate(request, field_notices_on(day=day, departments=departments))
    return render(
        request,
        "attendance/notices_daily.html",
        {
            "page_obj": page,
            "day": day,
            "previous": day - datetime.timedelta(days=1) if day > earliest else None,
            "next": day + datetime.timedelta(days=1) if day < latest else None,
            "earliest": earliest,
            "latest": latest,
            "can_receive": request.user.has_perm("attendance.receive_field_notice"),
        },
    )


@require_POST
def notice_receive(request, pk: int):
    if not request.user.has_perm("attendance.receive_field_notice"):
        raise PermissionDenied
    notice = get_object_or_404(FieldWorkNotice.objects.filter(status=FieldWorkNotice.Status.ACTIVE), pk=pk)
    field_notice_receive(user=request.user, notice=notice)
    messages.success(request, _("Marked as received."))
    try:
        day = datetime.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        day = notice.start_date
    return redirect(f"{reverse('attendance:notices_daily')}?date={day.isoformat()}")


def _summary_context(request):
    departments = attendance_departments_visible_to(user=request.user)
    if not departments:
        raise PermissionDenied
    form = SummaryFilterForm(request.GET, departments=departments)
    form.is_valid()
    today = timezone.localdate()
    year, month = form.cleaned_data.get("month") or (today.year, today.month)
    if "month" in form.errors:
        messages.warning(request, _("That month could not be read; showing the current month."))
    default = next((d for d in departments if d.pk == request.user.department_id), departments[0])
    department = form.cleaned_data.get("department") or default
    if "department" in form.errors:
        messages.warning(
            request,
            _("That department is not one you may see; showing %(department)s.") % {"department": department},
        )
    start, end = month_bounds(year, month)
    rows, totals = attendance_summary(
        users=attendance_people(department=department, start=start, end=end), year=year, month=month, today=today
    )
    return {
        "rows": rows,
        "totals": totals,
        "year": year,
        "month": month,
        "month_value": f"{year:04d}-{month:02d}",
        "month_start": datetime.date(year, month, 1),
        "previous": month_value(year, month, -1),
        "next": month_value(year, month, 1),
        "department": department,
        "departments": departments,
        "leave_types": leave_types_for_report(),
    }


def summary_view(request):
    with prefetched(month_page_cache_keys(request.GET.get("month"))):
        context = _summary_context(request)
    context["page_rows"] = summary_page_rows(context["rows"], context["leave_types"])
    context["total_leave_columns"] = [context["totals"]["leave_days"].get(t.pk, 0) for t in context["leave_types"]]
    context["chart_data"] = summary_chart(context["rows"])
    return render(request, "attendance/summary.html", context)


def summary_export(request):
    context = _summary_context(request)
    leave_types = context["leave_types"]
    rows = [summary_cells(row, leave_types) for row in context["rows"]]
    code = context["department"].code if context["department"] else "all"
    return csv_response(
        filename=f"attendance-{code}-{context['month_value']}.csv", header=summary_header(leave_types), rows=rows
    )
