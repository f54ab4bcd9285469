from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "apps.conduct"
    label = "conduct"
    verbose_name = _("Department rules")

    def ready(self):
        from . import menus, panels

        menus.register()
        panels.register()
