from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "apps.leave"
    label = "leave"
    verbose_name = _("Leave")

    def ready(self):
        from apps.core import choices

        from . import menus, panels
        from .models import LeaveType

        menus.register()
        panels.register()
        choices.watch(LeaveType)  # the request form's cached leave types
