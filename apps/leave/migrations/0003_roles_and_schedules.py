"""Permissions of the attendance and leave workflow, and its periodic reminders."""

from django.db import migrations

from apps.core.roles import RoleName, grant_role_permissions
from apps.core.schedules import add_crontab_tasks, remove_crontab_tasks

ROLE_PERMISSIONS = {
    RoleName.DEPARTMENT_MANAGER: [
        "leave.view_all_leave",
        "leave.declare_important_period",
        "leave.grant_comp_time",
        "attendance.view_department_attendance",
    ],
    RoleName.ASSISTANT: ["attendance.view_department_attendance"],
    RoleName.ADMINISTRATION: [
        "attendance.receive_field_notice",
        "attendance.view_department_attendance",
        "leave.view_all_leave",
    ],
}

# name, task, minute, hour
SCHEDULES = [
    ("Remind approvers of pending leave", "apps.leave.tasks.remind_leave_approvers", "30", "8"),
    ("Remind colleagues the day before a handover", "apps.leave.tasks.remind_handovers", "0", "16"),
    ("Remind people who have not checked in", "apps.attendance.tasks.remind_missing_checkins", "*/15", "8-12"),
    ("Load or report the state holiday calendar", "apps.workcalendar.tasks.check_calendar_coverage", "0", "7"),
]


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)
    add_crontab_tasks(apps, SCHEDULES)


def backwards(apps, schema_editor):
    remove_crontab_tasks(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("leave", "0002_leave_types"),
        ("attendance", "0001_initial"),
        ("workcalendar", "0002_load_statutory_days"),
        ("accounts", "0003_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
