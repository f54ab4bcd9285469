"""The monthly attendance report, built on the first working day and sent to each department head."""

import datetime

from django.utils import timezone

from apps.core.months import month_value
from apps.org.models import Department
from apps.reports.registry import report_type
from apps.reports.services import scheduled_report_create
from apps.workcalendar.calendar import calendar_for

REPORT_CODE = "attendance_monthly"


def is_first_working_day_of_month(day: datetime.date) -> bool:
    first = day.replace(day=1)
    calendar = calendar_for(first, day)
    return calendar.is_working_day(day) and not calendar.working_days(first, day - datetime.timedelta(days=1))


def monthly_reports_create(*, now: datetime.datetime) -> list:
    """Create last month's report job for every active department with an active head (once per month)."""
    today = timezone.localdate(now)
    if not is_first_working_day_of_month(today):
        return []
    report = report_type(REPORT_CODE)
    previous = month_value(today.year, today.month, -1)
    jobs = []
    for department in Department.objects.filter(is_active=True, head__is_active=True).select_related("head"):
        job = scheduled_report_create(
            report=report,
            params={"department": department.code, "month": previous},
            owner=department.head,
            schedule_key=f"{REPORT_CODE}:{department.code}:{previous}",
        )
        if job is not None:
            jobs.append(job)
    return jobs
