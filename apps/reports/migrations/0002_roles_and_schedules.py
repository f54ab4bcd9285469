"""Who may build which report, and the report center's periodic tasks."""

from django.db import migrations

from apps.core.roles import RoleName, grant_role_permissions
from apps.core.schedules import add_crontab_tasks, remove_crontab_tasks

ROLE_PERMISSIONS = {
    RoleName.DEPARTMENT_MANAGER: ["reports.view_attendance_report", "reports.view_leave_report"],
    RoleName.ASSISTANT: ["reports.view_attendance_report", "reports.view_leave_report"],
    RoleName.ADMINISTRATION: ["reports.view_attendance_report", "reports.view_leave_report"],
}

# name, task, minute, hour
SCHEDULES = [
    (
        "Send last month's attendance report to department heads (first working day)",
        "apps.attendance.tasks.send_monthly_attendance_reports",
        "0",
        "8",
    ),
    ("Send queued report jobs to the worker again", "apps.reports.tasks.sweep_report_jobs", "*/2", "*"),
    ("Remove report files past the retention period", "apps.reports.tasks.cleanup_report_files", "30", "3"),
]


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)
    add_crontab_tasks(apps, SCHEDULES)


def backwards(apps, schema_editor):
    remove_crontab_tasks(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("accounts", "0003_roles"),
        ("leave", "0003_roles_and_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
