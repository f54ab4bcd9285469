from celery import shared_task
from django.utils import timezone

from .services import calendar_check_coverage


@shared_task
def check_calendar_coverage() -> list[int]:
    """Daily: load this year's and next year's state calendar, or tell the admins it is missing."""
    return calendar_check_coverage(today=timezone.localdate())
