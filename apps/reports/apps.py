from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Report center")

    def ready(self):
        # Each app declares its report types in its own reports.py (see registry.py).
        autodiscover_modules("reports")
        from . import menus

        menus.register()
