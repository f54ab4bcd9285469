"""Create the roles (Django Groups) with the permissions of the foundation."""

from django.db import migrations

from apps.core.roles import RoleName, grant_role_permissions

ROLE_PERMISSIONS = {
    RoleName.DEPARTMENT_MANAGER: [
        "org.assign_task",
        "org.view_all_tasks",
        "org.view_product",
        "org.change_product",
        "conduct.view_acknowledgement_status",
        "conduct.add_ruleversion",
        "conduct.view_ruleversion",
        "core.view_access_report",
    ],
    RoleName.ASSISTANT: [
        "org.view_all_tasks",
        "org.view_product",
        "conduct.view_acknowledgement_status",
        "conduct.add_ruleversion",
        "conduct.view_ruleversion",
    ],
    RoleName.RESEARCH: ["org.view_product", "org.change_product"],
    RoleName.CUSTOMER_SERVICE: ["org.view_product"],
    RoleName.STAFF: ["org.view_product"],
    RoleName.ADMINISTRATION: ["org.view_product"],
}


def create_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("org", "0001_initial"),
        ("conduct", "0001_initial"),
        ("core", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
