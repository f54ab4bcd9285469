"""The sweeper that sends the e-mails kept while the broker was down."""

from django.db import migrations

from apps.core.schedules import add_crontab_tasks, remove_crontab_tasks

# name, task, minute, hour
SCHEDULES = [
    ("Send e-mails kept while the broker was down", "apps.notifications.tasks.send_pending_emails", "*/2", "*"),
]


def forwards(apps, schema_editor):
    add_crontab_tasks(apps, SCHEDULES)


def backwards(apps, schema_editor):
    remove_crontab_tasks(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_action_key_and_pending_email"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
