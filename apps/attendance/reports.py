"""Monthly attendance per person and department (R-ATT-10), for the report center."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.months import month_value, parse_month
from apps.org.models import Department
from apps.reports.registry import ReportType, Sheet, register
from apps.workcalendar.calendar import Half

from .selectors import (
    MonthData,
    attendance_departments_visible_to,
    attendance_people,
    leave_types_for_report,
    month_bounds,
)
from .tables import summary_cells, summary_chart, summary_header

# People per batch: keeps memory flat however large the department is.
CHUNK = 200


class MonthlyAttendanceForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("department"), queryset=Department.objects.none(), to_field_name="code"
    )
    month = forms.CharField(label=gettext_lazy("month"), widget=forms.TextInput(attrs={"type": "month"}), max_length=7)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The report follows the summary's scope: the departments one heads, one's own with the
        # department permission, or all with view_all_attendance.
        visible = [d.pk for d in attendance_departments_visible_to(user=user)]
        self.fields["department"].queryset = Department.objects.filter(pk__in=visible).order_by("code")
        if not self.is_bound and "department" not in self.initial and user.department_id:
            self.initial["department"] = user.department.code
        if not self.is_bound and "month" not in self.initial:
            today = timezone.localdate()
            self.initial["month"] = month_value(today.year, today.month, -1)

    def clean_month(self):
        value = self.cleaned_data["month"]
        year, month, valid = parse_month(value)
        if not valid:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, not after next year."), code="invalid_month")
        return f"{year:04d}-{month:02d}"


@register
class MonthlyAttendanceReport(ReportType):
    code = "attendance_monthly"
    title = gettext_lazy("Monthly attendance")
    # The day-by-day sheet stays out of the PDF: a large department would make it thousands of
    # pages, and the writer keeps printable rows in memory. The description says so.
    description = gettext_lazy(
        "Per person and for the department: working days, present, late, field work, each leave type and "
        "unexcused absences. The Excel file adds every day in detail; the PDF holds the per-person table."
    )
    permission = "reports.view_attendance_report"
    form_class = MonthlyAttendanceForm
    order = 10

    def params(self, cleaned_data):
        return {"department": cleaned_data["department"].code, "month": cleaned_data["month"]}

    def _department(self, params):
        return Department.objects.filter(code=params.get("department")).first()

    def describe(self, params):
        department = self._department(params)
        year, month, valid = parse_month(params.get("month"))
        shown = date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT") if valid else params.get("month")
        return _("%(department)s, %(month)s") % {
            "department": department.display_name if department else params.get("department"),
            "month": shown,
        }

    def file_stem(self, params):
        return f"attendance-{params.get('department', 'all')}-{params.get('month', '')}"

    def sheets(self, params):
        leave_types = leave_types_for_report()
        return [
            Sheet(
                "summary",
                _("Per person"),
                summary_header(leave_types),
                printable=True,
                widths=[12, 14, 14, 10, 8, 8, 10, *[8] * len(leave_types), 12],
            ),
            Sheet(
                "days",
                _("Every day"),
                [
                    _("employee number"),
                    _("full name"),
                    _("date"),
                    _("weekday"),
                    _("working day"),
                    _("holiday"),
                    _("check-in time"),
                    _("late"),
                    _("field work"),
                    _("leave"),
                    _("unexcused absence"),
                ],
                widths=[12, 14, 12, 8, 10, 14, 12, 6, 24, 20, 12],
            ),
        ]

    def rows(self, params, progress):
        year, month, _valid = parse_month(params.get("month"))
        department = self._department(params)
        leave_types = leave_types_for_report()
        first, last = month_bounds(year, month)
        people = list(attendance_people(department=department, start=first, end=last).values_list("pk", flat=True))
        today = timezone.localdate()
        yes, no = _("yes"), _("no")
        # Per-row formatting is the slow part of a large report: weekday names and the time zone
        # are looked up once, not once per row.
        tz = timezone.get_current_timezone()
        weekdays = {}
        totals = {"working": 0, "present": 0, "late": 0, "field": 0, "unexcused": 0, "leave": {}}
        for start in range(0, len(people), CHUNK):
            users = attendance_people(department=department, start=first, end=last).filter(
                pk__in=people[start : start + CHUNK]
            )
            data = MonthData(users=users, year=year, month=month, today=today)
            for user in data.users:
                person = data.person(user)
                yield "summary", summary_cells(person, leave_types)
                totals["working"] += person.working_days
                totals["present"] += person.present
                totals["late"] += person.late
                totals["field"] += person.field_work
                totals["unexcused"] += person.unexcused
                for type_id, days in person.leave_days.items():
                    totals["leave"][type_id] = totals["leave"].get(type_id, Decimal(0)) + days
                for day in person.days:
                    check_in = day.check_in
                    yield (
                        "days",
                        [
                            user.employee_no,
                            user.get_full_name(),
                            day.date,
                            weekdays.get(day.date) or weekdays.setdefault(day.date, date_format(day.date, "l")),
                            yes if day.is_working else no,
                            day.holiday,
                            check_in.checked_in_at.astimezone(tz).time().replace(second=0, microsecond=0)
                            if check_in
                            else "",
                            yes if check_in and check_in.is_late else "",
                            "; ".join(n.destination for n in day.notices),
                            "; ".join(_leave_label(lv, day.date) for lv in day.leave),
                            yes if day.is_unexcused else "",
                        ],
                    )
            progress(min(1.0, (start + CHUNK) / max(1, len(people))))
        yield (
            "summary",
            [
                "",
                _("Total"),
                str(department or ""),
                totals["working"],
                totals["present"],
                totals["late"],
                totals["field"],
                *[totals["leave"].get(t.pk, Decimal(0)) for t in leave_types],
                totals["unexcused"],
            ],
        )

    def chart(self, params):
        year, month, _valid = parse_month(params.get("month"))
        department = self._department(params)
        first, last = month_bounds(year, month)
        data = MonthData(
            users=attendance_people(department=department, start=first, end=last)[:60],
            year=year,
            month=month,
            today=timezone.localdate(),
        )
        return summary_chart([data.person(user) for user in data.users])


def _leave_label(leave, day: datetime.date) -> str:
    name = leave.leave_type.display_name
    if day == leave.start_date and leave.start_half == Half.AFTERNOON:
        return _("%(type)s (afternoon)") % {"type": name}
    if day == leave.end_date and leave.end_half == Half.MORNING:
        return _("%(type)s (morning)") % {"type": name}
    return name
