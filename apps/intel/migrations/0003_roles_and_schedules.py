"""Who may read and file intelligence, and the periodic digest and research reminders."""

from django.db import migrations

from apps.core.roles import RoleName, grant_role_permissions
from apps.core.schedules import add_crontab_tasks, remove_crontab_tasks

READ = [
    "intel.view_competitor",
    "intel.view_competitorproduct",
    "intel.view_priceobservation",
    "intel.view_intelreport",
    "intel.view_battlecard",
    "intel.view_researchplan",
]
FILE = [
    "intel.add_competitor",
    "intel.change_competitor",
    "intel.add_competitorproduct",
    "intel.change_competitorproduct",
    "intel.add_priceobservation",
    "intel.change_priceobservation",
    "intel.import_prices",
    "intel.add_intelreport",
    "intel.change_intelreport",
    "intel.change_battlecard",
    "intel.add_researchplan",
    "intel.change_researchplan",
]

ROLE_PERMISSIONS = {
    RoleName.DEPARTMENT_MANAGER: [*READ, *FILE, "core.view_access_report"],
    RoleName.RESEARCH: [*READ, *FILE],
    RoleName.ASSISTANT: READ,
    RoleName.CUSTOMER_SERVICE: READ,
    RoleName.STAFF: READ,
}

# name, task, minute, hour[, day of week]
SCHEDULES = [
    ("Send the weekly intelligence digest", "apps.intel.tasks.send_weekly_digests", "0", "8", "1"),
    ("Remind owners of research plan deadlines", "apps.intel.tasks.remind_research_deadlines", "45", "8"),
]


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)
    add_crontab_tasks(apps, SCHEDULES)


def backwards(apps, schema_editor):
    remove_crontab_tasks(apps, SCHEDULES)


class Migration(migrations.Migration):
    dependencies = [
        ("intel", "0002_provinces"),
        ("accounts", "0003_roles"),
        ("core", "0002_levelchange"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
