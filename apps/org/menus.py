from django.utils.translation import gettext_lazy as _

from apps.core import menu
from apps.core.menu import MenuGroup, MenuItem


def register() -> None:
    menu.register(
        MenuGroup(key="org", label=_("Organisation"), icon="bi-building", order=10),
        MenuItem("org.dashboard", "org", _("Dashboard"), "org:dashboard", icon="bi-speedometer2", order=10),
        MenuItem(
            "org.position", "org", _("My position and duties"), "org:my_position", icon="bi-person-badge", order=15
        ),
        MenuItem("org.department", "org", _("Department"), "org:department", icon="bi-diagram-3", order=20),
        MenuItem("org.tasks", "org", _("Assigned tasks"), "org:task_list", icon="bi-list-check", order=30),
        MenuItem("org.products", "org", _("Products"), "org:product_list", icon="bi-box-seam", order=40),
    )
