from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "apps.intel"
    label = "intel"
    verbose_name = _("Market intelligence")

    def ready(self):
        from . import menus, panels

        menus.register()
        panels.register()
