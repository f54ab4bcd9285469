"""R-ORG-06: work a superior hands over, tracked to done, with history and reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.org.models import AssignedTask, TaskEvent
from apps.org.services import task_assign, task_change_status, task_send_due_reminders
from apps.org.tasks import remind_due_tasks
from tests.clock import at_working_morning
from tests.factories import AssignedTaskFactory, UserFactory

Status = AssignedTask.Status

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = at_working_morning


def _today():
    return timezone.localdate()


@pytest.mark.django_db
def test_r_org_06_manager_assigns_task_owner_is_notified(manager, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = task_assign(
            assigned_by=manager, owner=staff, title=" 整理招标信息 ", due_date=_today() + datetime.timedelta(days=2)
        )

    assert (task.title, task.status, task.owner, task.assigned_by) == ("整理招标信息", Status.OPEN, staff, manager)
    assert list(task.events.values_list("to_status", flat=True)) == [Status.OPEN]
    note = Notification.objects.get(recipient=staff)
    assert "整理招标信息" in note.title
    assert note.url == reverse("org:task_detail", args=[task.pk])
    assert [m.to for m in mail.outbox] == [[staff.email]]


@pytest.mark.django_db
def test_r_org_06_staff_cannot_assign_tasks(staff, other_staff):
    with pytest.raises(PermissionDenied):
        task_assign(assigned_by=staff, owner=other_staff, title="x", due_date=_today())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("owner_kwargs", "due_offset", "title", "code_field"),
    [
        ({"is_active": False}, 1, "ok", "owner"),
        ({}, -1, "ok", "due_date"),
        ({}, 1, "   ", "title"),
    ],
)
def test_r_org_06_assignment_rules(manager, owner_kwargs, due_offset, title, code_field):
    owner = UserFactory(**owner_kwargs)

    with pytest.raises(ValidationError) as exc:
        task_assign(
            assigned_by=manager, owner=owner, title=title, due_date=_today() + datetime.timedelta(days=due_offset)
        )

    assert list(exc.value.error_dict) == [code_field]
    assert not AssignedTask.objects.exists()


@pytest.mark.django_db
def test_r_org_06_owner_works_task_to_done_with_history(manager, staff):
    task = AssignedTaskFactory(owner=staff, assigned_by=manager)

    task_change_status(actor=staff, task=task, to_status=Status.IN_PROGRESS)
    task_change_status(actor=staff, task=task, to_status=Status.DONE, comment="已提交报告")

    task.refresh_from_db()
    assert task.status == Status.DONE
    assert task.completed_at is not None
    history = list(
        TaskEvent.objects.filter(task=task).values_list("actor__username", "from_status", "to_status", "comment")
    )
    assert history == [
        ("staff1", Status.OPEN, Status.IN_PROGRESS, ""),
        ("staff1", Status.IN_PROGRESS, Status.DONE, "已提交报告"),
    ]
    assert Notification.objects.filter(recipient=manager).count() == 2


@pytest.mark.django_db
def test_r_org_06_only_the_owner_completes_and_only_the_assigner_cancels(manager, staff, other_staff):
    task = AssignedTaskFactory(owner=staff, assigned_by=manager)

    with pytest.raises(PermissionDenied):
        task_change_status(actor=other_staff, task=task, to_status=Status.DONE)
    with pytest.raises(ValidationError) as exc:
        task_change_status(actor=staff, task=task, to_status=Status.CANCELLED)
    assert exc.value.code == "invalid_transition"

    task_change_status(actor=manager, task=task, to_status=Status.CANCELLED)
    task.refresh_from_db()
    assert task.status == Status.CANCELLED


@pytest.mark.django_db
def test_r_org_06_done_task_cannot_be_completed_twice(manager, staff):
    task = AssignedTaskFactory(owner=staff, assigned_by=manager, status=Status.DONE)

    with pytest.raises(ValidationError) as exc:
        task_change_status(actor=staff, task=task, to_status=Status.DONE)

    assert exc.value.code == "invalid_transition"


@pytest.mark.django_db
def test_unknown_status_is_refused(manager, staff):
    task = AssignedTaskFactory(owner=staff, assigned_by=manager)

    with pytest.raises(ValidationError) as exc:
        task_change_status(actor=staff, task=task, to_status="finished")

    assert exc.value.code == "invalid_status"


@pytest.mark.django_db
def test_r_job_01_reminder_for_tasks_due_tomorrow_or_overdue_once_a_day(manager, staff):
    today = _today()
    due_tomorrow = AssignedTaskFactory(owner=staff, assigned_by=manager, due_date=today + datetime.timedelta(days=1))
    overdue = AssignedTaskFactory(owner=staff, assigned_by=manager, due_date=today - datetime.timedelta(days=3))
    AssignedTaskFactory(owner=staff, assigned_by=manager, due_date=today + datetime.timedelta(days=5))
    AssignedTaskFactory(owner=staff, assigned_by=manager, due_date=today, status=Status.DONE)

    assert task_send_due_reminders(today=today) == 2
    assert task_send_due_reminders(today=today) == 0

    titles = sorted(Notification.objects.filter(recipient=staff).values_list("title", flat=True))
    assert len(titles) == 2
    assert any(due_tomorrow.title in t for t in titles)
    assert any(overdue.title in t for t in titles)
    assert task_send_due_reminders(today=today + datetime.timedelta(days=1)) == 2


@pytest.mark.django_db
def test_r_job_01_reminder_is_in_the_recipients_language(manager):
    english_owner = UserFactory(language="en")
    AssignedTaskFactory(owner=english_owner, assigned_by=manager, due_date=_today())

    remind_due_tasks.delay()

    assert Notification.objects.get(recipient=english_owner).title.startswith("Task due soon")


@pytest.mark.django_db
def test_reminder_schedule_is_stored_in_the_database():
    from django_celery_beat.models import PeriodicTask

    periodic = PeriodicTask.objects.get(task="apps.org.tasks.remind_due_tasks")
    assert periodic.enabled
    assert str(periodic.crontab.timezone) == "Asia/Shanghai"
