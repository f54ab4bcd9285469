"""Remind the calendar admins every Monday, from 1 November, while next year's calendar is missing."""

from django.db import migrations

from apps.core.schedules import add_crontab_tasks, remove_crontab_tasks

# name, task, minute, hour, day of week (1 = Monday)
SCHEDULES = [
    (
        "Remind the admins weekly to load next year's holiday calendar",
        "apps.workcalendar.tasks.remind_next_year_calendar",
        "0",
        "9",
        "1",
    ),
]


def forwards(apps, schema_editor):
    add_crontab_tasks(apps, SCHEDULES)


def backwards(apps, schema_editor):
    remove_crontab_tasks(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("workcalendar", "0003_calendar_year_source_and_import_permission"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
