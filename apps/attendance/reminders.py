import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.leave.models import LeaveRequest, half_day_slot
from apps.notifications.services import notification_send
from apps.org.models import Department
from apps.workcalendar.calendar import Half, calendar_for

from .models import CheckIn, FieldWorkNotice


def remind_missing_checkins(*, now: datetime.datetime) -> int:
    """Remind people with no check-in, notice or leave once their start time plus delay has passed.

    Only people employed today and expected to check in (not exempt) are reminded.
    """
    local = timezone.localtime(now)
    today = local.date()
    if not calendar_for(today).is_working_day(today):
        return 0
    due_departments = [
        department.pk
        for department in Department.objects.filter(is_active=True)
        if local.replace(tzinfo=None)
        >= datetime.datetime.combine(today, department.office_start)
        + datetime.timedelta(minutes=department.checkin_reminder_minutes)
    ]
    excused = set(CheckIn.objects.filter(date=today).values_list("user_id", flat=True))
    excused |= set(
        FieldWorkNotice.objects.filter(
            status=FieldWorkNotice.Status.ACTIVE, start_date__lte=today, end_date__gte=today
        ).values_list("user_id", flat=True)
    )
    excused |= set(
        # Only leave that covers the morning excuses the check-in due at the start of the day.
        LeaveRequest.objects.filter(
            status=LeaveRequest.Status.APPROVED,
            start_slot__lte=half_day_slot(today, Half.MORNING),
            end_slot__gte=half_day_slot(today, Half.MORNING),
        ).values_list("user_id", flat=True)
    )
    sent = 0
    people = (
        User.objects.filter(
            Q(employment_end__isnull=True) | Q(employment_end__gte=today),
            is_active=True,
            attendance_exempt=False,
            employment_start__lte=today,
            department_id__in=due_departments,
        )
        .exclude(pk__in=excused)
        .order_by("pk")
    )
    for person in people:
        created = notification_send(
            recipient=person,
            title=gettext_lazy("You have not checked in today"),
            body=gettext_lazy("Check in now, or file a field-work notice or leave request if you are away."),
            url=reverse("attendance:today"),
            dedupe_key=f"checkin-missing:{today.isoformat()}",
        )
        sent += created is not None
    return sent
