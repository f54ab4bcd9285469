"""Roles are Django Groups holding permissions; migrations grant them through this helper.

Code checks permissions, never group names. Each app that adds permissions for a role adds
a data migration that calls :func:`grant_role_permissions` with its own part of the map.
"""

from django.contrib.auth.management import create_permissions


class RoleName:
    """Group names as stored in the database (shown translated in the UI)."""

    DEPARTMENT_MANAGER = "Department manager"
    ASSISTANT = "Manager's assistant"
    RESEARCH = "Research & planning specialist"
    CUSTOMER_SERVICE = "Customer-service specialist"
    STAFF = "Staff"
    ADMINISTRATION = "Administration"

    ALL = (DEPARTMENT_MANAGER, ASSISTANT, RESEARCH, CUSTOMER_SERVICE, STAFF, ADMINISTRATION)


def _ensure_permissions(apps) -> None:
    # Permissions are normally created after migrate; a data migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_role_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Create the groups and add ``"app_label.codename"`` permissions to them."""
    _ensure_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, perms in role_permissions.items():
        group, _created = group_model.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            group.permissions.add(permission)
