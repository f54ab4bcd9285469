from django.utils.translation import gettext_lazy as _

from apps.core import menu
from apps.core.menu import MenuGroup


def register() -> None:
    menu.register(MenuGroup(key="intel", label=_("Market intelligence"), icon="bi-binoculars", order=50))
