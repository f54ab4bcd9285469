from celery import shared_task
from django.utils import timezone

from .services import calendar_check_coverage, calendar_remind_next_year


@shared_task
def check_calendar_coverage() -> list[int]:
    """Daily: load this year's and next year's state calendar, or tell the admins it is missing."""
    return calendar_check_coverage(today=timezone.localdate())


@shared_task
def remind_next_year_calendar() -> int | None:
    """Weekly: from 1 November, remind the calendar admins while next year's calendar is not loaded."""
    return calendar_remind_next_year(today=timezone.localdate())
