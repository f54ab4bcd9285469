import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.notifications.services import notification_send

from .models import AssignedTask, TaskEvent
from .permissions import can_assign_task, can_manage_task, can_work_on_task

Status = AssignedTask.Status

# (from, to) -> which rule allows it
_OWNER_TRANSITIONS = {
    (Status.OPEN, Status.IN_PROGRESS),
    (Status.OPEN, Status.DONE),
    (Status.IN_PROGRESS, Status.DONE),
}
_MANAGER_TRANSITIONS = {
    (Status.OPEN, Status.CANCELLED),
    (Status.IN_PROGRESS, Status.CANCELLED),
    (Status.DONE, Status.IN_PROGRESS),
    (Status.CANCELLED, Status.OPEN),
}


def task_validate_assignment(*, owner, title: str, due_date: datetime.date) -> None:
    """Raise ``ValidationError`` (keyed by field) if a task cannot be assigned like this."""
    errors = {}
    if not owner.is_active:
        errors["owner"] = ValidationError(_("Tasks can only be assigned to active users."), code="inactive_owner")
    if due_date < timezone.localdate():
        errors["due_date"] = ValidationError(_("The due date cannot be in the past."), code="due_date_past")
    if not title.strip():
        errors["title"] = ValidationError(_("A task needs a title."), code="title_required")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_assign(*, assigned_by, owner, title: str, description: str = "", due_date: datetime.date) -> AssignedTask:
    """Hand a task to ``owner`` (R-ORG-06) and tell them."""
    if not can_assign_task(user=assigned_by):
        raise PermissionDenied
    task_validate_assignment(owner=owner, title=title, due_date=due_date)
    title = title.strip()
    task = AssignedTask.objects.create(
        title=title,
        description=description.strip(),
        owner=owner,
        assigned_by=assigned_by,
        due_date=due_date,
    )
    TaskEvent.objects.create(task=task, actor=assigned_by, from_status="", to_status=task.status)
    if owner.pk != assigned_by.pk:
        notification_send(
            recipient=owner,
            title=gettext_lazy("New task: %(title)s"),
            body=gettext_lazy("%(by)s assigned you a task due %(due)s."),
            params={"title": task.title, "by": assigned_by.get_full_name(), "due": task.due_date},
            url=reverse("org:task_detail", args=[task.pk]),
        )
    return task


@transaction.atomic
def task_change_status(*, actor, task: AssignedTask, to_status: str, comment: str = "") -> AssignedTask:
    """Move a task to ``to_status`` if ``actor`` may, recording who, when and why."""
    if to_status not in Status.values:
        raise ValidationError(_("Unknown task status."), code="invalid_status")
    task.refresh_from_db(from_queryset=AssignedTask.objects.select_for_update())
    transition = (task.status, to_status)
    allowed = (transition in _OWNER_TRANSITIONS and can_work_on_task(user=actor, obj=task)) or (
        transition in _MANAGER_TRANSITIONS and can_manage_task(user=actor, obj=task)
    )
    if not allowed:
        if not (can_work_on_task(user=actor, obj=task) or can_manage_task(user=actor, obj=task)):
            raise PermissionDenied
        raise ValidationError(
            _("This task cannot go from “%(from)s” to “%(to)s”.")
            % {"from": task.get_status_display(), "to": Status(to_status).label},
            code="invalid_transition",
        )
    from_status = task.status
    task.status = to_status
    task.completed_at = timezone.now() if to_status == Status.DONE else None
    task.save(update_fields=["status", "completed_at", "updated_at"])
    TaskEvent.objects.create(
        task=task, actor=actor, from_status=from_status, to_status=to_status, comment=comment.strip()
    )
    # Tell the other side of the task what happened.
    other = task.assigned_by if actor.pk == task.owner_id else task.owner
    if other.pk != actor.pk:
        notification_send(
            recipient=other,
            title=gettext_lazy("Task “%(title)s” is now %(status)s"),
            body=gettext_lazy("Changed by %(by)s."),
            params={
                "title": task.title,
                "status": Status(to_status).label,
                "by": actor.get_full_name(),
            },
            url=reverse("org:task_detail", args=[task.pk]),
        )
    return task


def task_send_due_reminders(*, today: datetime.date | None = None) -> int:
    """Remind owners of open tasks due tomorrow or overdue; once per task and day."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    sent = 0
    tasks = AssignedTask.objects.filter(
        status__in=AssignedTask.OPEN_STATUSES, due_date__lte=tomorrow, owner__is_active=True
    ).select_related("owner")
    for task in tasks.iterator(chunk_size=500):
        if task.due_date < today:
            title = gettext_lazy("Overdue task: %(title)s")
            body = gettext_lazy("This task was due %(due)s.")
        else:
            title = gettext_lazy("Task due soon: %(title)s")
            body = gettext_lazy("This task is due %(due)s.")
        with transaction.atomic():
            created = notification_send(
                recipient=task.owner,
                title=title,
                body=body,
                params={"title": task.title, "due": task.due_date},
                url=reverse("org:task_detail", args=[task.pk]),
                dedupe_key=f"task-due:{task.pk}:{today.isoformat()}",
            )
        if created is not None:
            sent += 1
    return sent
