from django.utils.translation import gettext_lazy as _

from apps.core import menu
from apps.core.menu import MenuGroup, MenuItem


def register() -> None:
    menu.register(
        MenuGroup(key="conduct", label=_("Department rules"), icon="bi-journal-bookmark", order=50),
        MenuItem("conduct.current", "conduct", _("Current rules"), "conduct:current", icon="bi-book", order=10),
        MenuItem(
            "conduct.status",
            "conduct",
            _("Who has not acknowledged"),
            "conduct:status",
            icon="bi-person-exclamation",
            order=20,
            visible="conduct.view_acknowledgement_status",
        ),
        MenuItem(
            "conduct.publish",
            "conduct",
            _("Publish a new version"),
            "conduct:publish",
            icon="bi-upload",
            order=30,
            visible="conduct.add_ruleversion",
        ),
    )
