from django.utils.translation import gettext_lazy as _

from apps.core import menu
from apps.core.menu import MenuGroup, MenuItem

READ = "intel.view_intelreport"


def register() -> None:
    menu.register(
        MenuGroup(key="intel", label=_("Market intelligence"), icon="bi-binoculars", order=50),
        MenuItem(
            "intel.search", "intel", _("Search intelligence"), "intel:search", icon="bi-search", order=10, visible=READ
        ),
        MenuItem(
            "intel.reports",
            "intel",
            _("Intelligence reports"),
            "intel:report_list",
            icon="bi-journal-text",
            order=20,
            visible=READ,
        ),
        MenuItem(
            "intel.policies",
            "intel",
            _("Policies and announcements"),
            "intel:policy_list",
            icon="bi-bank",
            order=30,
            visible=READ,
        ),
        MenuItem(
            "intel.competitors",
            "intel",
            _("Competitors"),
            "intel:competitor_list",
            icon="bi-flag",
            order=40,
            visible=READ,
        ),
        MenuItem(
            "intel.prices",
            "intel",
            _("Price observations"),
            "intel:price_list",
            icon="bi-currency-yen",
            order=50,
            visible=READ,
        ),
        MenuItem(
            "intel.plans",
            "intel",
            _("Market research plans"),
            "intel:plan_list",
            icon="bi-clipboard-data",
            order=60,
            visible=READ,
        ),
        MenuItem("intel.follows", "intel", _("My alerts"), "intel:follow_list", icon="bi-star", order=70, visible=READ),
        MenuItem(
            "intel.access_log",
            "intel",
            _("Confidential access log"),
            "intel:access_log",
            icon="bi-shield-lock",
            order=80,
            visible="core.view_access_report",
        ),
    )
