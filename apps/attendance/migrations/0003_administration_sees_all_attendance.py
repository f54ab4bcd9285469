"""Administration keeps the whole company's attendance; everyone else sees the departments they head."""

from django.db import migrations

from apps.core.roles import RoleName, grant_role_permissions

ROLE_PERMISSIONS = {RoleName.ADMINISTRATION: ["attendance.view_all_attendance"]}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0002_view_all_attendance_permission"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
