"""Reminders of the leave workflow (R-JOB-01); each is idempotent per recipient and day."""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.notifications.services import notification_resolve, notification_send
from apps.workcalendar.calendar import calendar_for

from .models import LeaveRequest
from .selectors import leave_approval_queue

# The daily "N leave requests wait" reminder asks its recipient to empty their queue: it is resolved
# for them once nothing waits any more (``leave_queue_reminders_resolve``).
QUEUE_REMINDER_KEY = "leave-queue"


def leave_remind_approvers(*, today: datetime.date) -> int:
    """On working days, remind everyone who has pending requests to decide."""
    if not calendar_for(today).is_working_day(today):
        return 0
    candidate_ids = set(
        LeaveRequest.objects.filter(status=LeaveRequest.Status.PENDING).values_list("approver_id", flat=True)
    )
    candidate_ids |= set(
        User.objects.filter(headed_departments__isnull=False, is_active=True).values_list("id", flat=True)
    )
    sent = 0
    for approver in User.objects.filter(pk__in=candidate_ids, is_active=True):
        waiting = leave_approval_queue(user=approver, on_date=today).aggregate(n=Count("id"))["n"]
        if not waiting:
            continue
        created = notification_send(
            recipient=approver,
            title=gettext_lazy("%(count)s leave requests wait for your approval"),
            params={"count": waiting},
            url=reverse("leave:queue"),
            dedupe_key=f"leave-queue:{today.isoformat()}",
            action_key=QUEUE_REMINDER_KEY,
        )
        sent += created is not None
    return sent


def leave_queue_reminders_resolve(*, on_date: datetime.date) -> int:
    """Resolve the open queue reminders of everyone whose approval queue is now empty.

    Called after each decision or withdrawal: one query when no reminder is open (most of the
    day), otherwise one more per person holding one. Return how many people's reminders changed.
    """
    holders = set(
        Notification.objects.filter(action_key=QUEUE_REMINDER_KEY, resolved_at__isnull=True).values_list(
            "recipient_id", flat=True
        )
    )
    resolved = 0
    for holder in User.objects.filter(pk__in=holders) if holders else []:
        if not leave_approval_queue(user=holder, on_date=on_date).exists():
            resolved += bool(notification_resolve(action_key=QUEUE_REMINDER_KEY, recipient=holder))
    return resolved


def leave_remind_handovers(*, today: datetime.date) -> int:
    """Remind the colleague on the working day before a handover starts."""
    calendar = calendar_for(today, today + datetime.timedelta(days=20))
    if not calendar.is_working_day(today):
        return 0
    # Leave starting after today and before or on the next working day (weekends in between).
    next_working = today + datetime.timedelta(days=1)
    while not calendar.is_working_day(next_working):
        next_working += datetime.timedelta(days=1)
    upcoming = LeaveRequest.objects.filter(
        status=LeaveRequest.Status.APPROVED, start_date__gt=today, start_date__lte=next_working
    ).select_related("user", "handover_to", "leave_type")
    sent = 0
    for leave in upcoming:
        created = notification_send(
            recipient=leave.handover_to,
            title=gettext_lazy("From %(start)s you take over %(name)s's work"),
            body=gettext_lazy("Handover notes: %(notes)s"),
            params={
                "start": leave.start_date,
                "name": leave.user.get_full_name(),
                "notes": leave.handover_notes,
            },
            url=reverse("leave:detail", args=[leave.pk]),
            dedupe_key=f"handover:{leave.pk}",
        )
        sent += created is not None
    return sent
