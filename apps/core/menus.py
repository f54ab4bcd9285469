from django.utils.translation import gettext_lazy as _

from apps.core import menu
from apps.core.menu import MenuGroup, MenuItem


def is_staff(request) -> bool:
    return request.user.is_active and request.user.is_staff


def register() -> None:
    menu.register(
        MenuGroup(key="admin", label=_("System"), icon="bi-gear", order=900),
        MenuItem(
            "admin.site",
            "admin",
            _("Administration site"),
            "admin:index",
            icon="bi-sliders",
            order=10,
            visible=is_staff,
        ),
    )
