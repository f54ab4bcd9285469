from celery import shared_task
from django.utils import timezone, translation

from .reminders import remind_missing_checkins as remind


@shared_task
def remind_missing_checkins() -> int:
    """Every quarter hour in the morning: remind people past their department's start + delay."""
    with translation.override(None):
        return remind(now=timezone.now())


@shared_task
def send_monthly_attendance_reports() -> int:
    """Daily; on the month's first working day, build last month's report for each department head."""
    from .scheduled import monthly_reports_create

    return len(monthly_reports_create(now=timezone.now()))
