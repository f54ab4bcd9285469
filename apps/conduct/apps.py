from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "apps.conduct"
    label = "conduct"
    verbose_name = _("Department rules")

    def ready(self):
        from apps.core import choices

        from . import menus, panels
        from .models import Acknowledgement, RuleVersion

        menus.register()
        panels.register()
        choices.watch(RuleVersion, Acknowledgement)  # the dashboard's cached reminder
