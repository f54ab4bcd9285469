"""Abandoned price-import uploads are removed every hour."""

from django.db import migrations

from apps.core.schedules import add_crontab_tasks, remove_crontab_tasks

SCHEDULES = [("Remove abandoned price-import uploads", "apps.intel.tasks.sweep_price_imports", "5", "*")]


def forwards(apps, schema_editor):
    add_crontab_tasks(apps, SCHEDULES)


def backwards(apps, schema_editor):
    remove_crontab_tasks(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [("intel", "0004_report_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
