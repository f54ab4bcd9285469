from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "apps.intel"
    label = "intel"
    verbose_name = _("Market intelligence")

    def ready(self):
        from django.contrib.contenttypes.models import ContentType

        from apps.accounts.models import User
        from apps.core import choices
        from apps.org.models import Product

        from . import menus, panels
        from .models import Competitor, CompetitorProduct, Follow, IntelReport, Province, ResearchPlan, Tag

        menus.register()
        panels.register()
        # What the filter forms' cached options are read from (apps/intel/filters/fields.cache_options).
        choices.watch(Competitor, CompetitorProduct, Province, Tag, IntelReport, IntelReport.tags.through)
        choices.watch(Product, ContentType)
        # People are offered by name: a log-in (last_login) or a password or language change is no change.
        choices.watch(User, quiet_fields=("last_login", "password", "language", "phone"))
        # The dashboard's cached follows and research deadlines (selectors/follows.py).
        choices.watch(Follow, ResearchPlan)
