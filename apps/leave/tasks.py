from celery import shared_task
from django.utils import timezone, translation

from .reminders import leave_remind_approvers, leave_remind_handovers


@shared_task
def remind_leave_approvers() -> int:
    """Each working morning: tell approvers what waits for them (safe to run twice)."""
    with translation.override(None):
        return leave_remind_approvers(today=timezone.localdate())


@shared_task
def remind_handovers() -> int:
    """On the working day before a handover starts, remind the colleague."""
    with translation.override(None):
        return leave_remind_handovers(today=timezone.localdate())
