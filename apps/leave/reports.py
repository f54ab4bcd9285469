"""Leave statistics by type, person and month, for the report center."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.org.models import Department
from apps.reports.registry import ReportType, Sheet, register
from apps.workcalendar.calendar import calendar_for

from .models import LeaveRequest, LeaveType

ZERO = Decimal(0)


class LeaveStatisticsForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000)
    department = forms.ModelChoiceField(
        label=gettext_lazy("department"),
        queryset=Department.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All departments"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("code")
        this_year = timezone.localdate().year
        if not self.is_bound:
            self.initial.setdefault("year", this_year)
            if user.department_id:
                self.initial.setdefault("department", user.department.code)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year + 1:
            raise forms.ValidationError(_("Choose a year up to next year."), code="year_too_late")
        return year


class _YearData:
    """Approved leave overlapping the year, split into working days per month (half-day aware)."""

    def __init__(self, params):
        self.year = int(params["year"])
        self.department = Department.objects.filter(code=params.get("department")).first()
        self.types = list(LeaveType.objects.order_by("sort_order", "code"))
        first, last = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        qs = LeaveRequest.objects.filter(
            status=LeaveRequest.Status.APPROVED, start_date__lte=last, end_date__gte=first
        ).select_related("user", "user__department", "leave_type", "decided_by")
        if self.department is not None:
            qs = qs.filter(user__department=self.department)
        self.requests = list(qs.order_by("start_date", "user__full_name", "id"))
        calendar = calendar_for(first, last)
        self.by_type_days = defaultdict(lambda: ZERO)
        self.by_type_count = defaultdict(int)
        self.by_month = defaultdict(lambda: defaultdict(lambda: ZERO))
        self.by_person = {}
        self.days_in_year = {}
        for leave in self.requests:
            total = ZERO
            day = max(leave.start_date, first)
            while day <= min(leave.end_date, last):
                if calendar.is_working_day(day):
                    share = leave.day_share(day)
                    total += share
                    self.by_month[day.month][leave.leave_type_id] += share
                day += datetime.timedelta(days=1)
            self.days_in_year[leave.pk] = total
            self.by_type_days[leave.leave_type_id] += total
            self.by_type_count[leave.leave_type_id] += 1
            person = self.by_person.setdefault(leave.user_id, {"user": leave.user, "days": defaultdict(lambda: ZERO)})
            person["days"][leave.leave_type_id] += total


@register
class LeaveStatisticsReport(ReportType):
    code = "leave_statistics"
    title = gettext_lazy("Leave statistics")
    description = gettext_lazy("Approved leave of a year in working days: by type, by person and by month.")
    permission = "reports.view_leave_report"
    form_class = LeaveStatisticsForm
    order = 20

    def params(self, cleaned_data):
        department = cleaned_data.get("department")
        return {"year": cleaned_data["year"], "department": department.code if department else ""}

    def describe(self, params):
        department = Department.objects.filter(code=params.get("department")).first()
        return _("%(department)s, %(year)s") % {
            "department": department.display_name if department else _("All departments"),
            "year": params.get("year"),
        }

    def file_stem(self, params):
        return f"leave-{params.get('department') or 'all'}-{params.get('year')}"

    def sheets(self, params):
        names = [t.display_name for t in LeaveType.objects.order_by("sort_order", "code")]
        n = len(names)
        return [
            Sheet("types", _("By type"), [_("leave type"), _("requests"), _("working days")], True, [20, 10, 12]),
            Sheet(
                "people",
                _("By person"),
                [_("employee number"), _("full name"), _("department"), *names, _("Total")],
                True,
                [12, 14, 14, *[9] * n, 9],
            ),
            Sheet("months", _("By month"), [_("month"), *names, _("Total")], True, [10, *[9] * n, 9]),
            Sheet(
                "requests",
                _("Requests"),
                [
                    _("employee number"),
                    _("full name"),
                    _("department"),
                    _("leave type"),
                    _("first day"),
                    _("last day"),
                    _("working days in the year"),
                    _("decided by"),
                    _("decided at"),
                ],
                widths=[12, 14, 14, 12, 12, 12, 12, 14, 18],
            ),
        ]

    def rows(self, params, progress):
        data = _YearData(params)
        progress(0.5)
        for t in data.types:
            yield "types", [t.display_name, data.by_type_count.get(t.pk, 0), data.by_type_days.get(t.pk, ZERO)]
        yield (
            "types",
            [_("Total"), sum(data.by_type_count.values()), sum(data.by_type_days.values(), ZERO)],
        )
        people = sorted(data.by_person.values(), key=lambda p: (p["user"].full_name, p["user"].username))
        for person in people:
            user, days = person["user"], person["days"]
            yield (
                "people",
                [
                    user.employee_no,
                    user.get_full_name(),
                    str(user.department or ""),
                    *[days.get(t.pk, ZERO) for t in data.types],
                    sum(days.values(), ZERO),
                ],
            )
        for month in range(1, 13):
            days = data.by_month.get(month, {})
            yield (
                "months",
                [f"{data.year:04d}-{month:02d}", *[days.get(t.pk, ZERO) for t in data.types], sum(days.values(), ZERO)],
            )
        for leave in data.requests:
            yield (
                "requests",
                [
                    leave.user.employee_no,
                    leave.user.get_full_name(),
                    str(leave.user.department or ""),
                    leave.leave_type.display_name,
                    leave.start_date,
                    leave.end_date,
                    data.days_in_year[leave.pk],
                    leave.decided_by.get_full_name() if leave.decided_by else "",
                    timezone.localtime(leave.decided_at).replace(tzinfo=None) if leave.decided_at else "",
                ],
            )

    def chart(self, params):
        data = _YearData(params)
        return {
            "type": "bar",
            "stacked": True,
            "labels": [f"{month}" for month in range(1, 13)],
            "datasets": [
                {
                    "label": t.display_name,
                    "data": [float(data.by_month.get(m, {}).get(t.pk, ZERO)) for m in range(1, 13)],
                }
                for t in data.types
            ],
        }
