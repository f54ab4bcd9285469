from celery import shared_task
from django.utils import translation

from .services import task_send_due_reminders


@shared_task
def remind_due_tasks() -> int:
    """Daily: remind owners of tasks due tomorrow or overdue (safe to run twice)."""
    with translation.override(None):
        return task_send_due_reminders()
