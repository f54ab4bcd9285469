from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "apps.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from . import menus, panels

        menus.register()
        panels.register()
