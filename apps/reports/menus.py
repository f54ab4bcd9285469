from django.utils.translation import gettext_lazy as _

from apps.core import menu
from apps.core.menu import MenuGroup, MenuItem

from .registry import report_types


def may_request_a_report(request) -> bool:
    """Only people who may request at least one report type; the rest would find an empty page."""
    return any(r.user_may_request(request.user) for r in report_types())


def register() -> None:
    menu.register(
        MenuGroup(key="reports", label=_("Report center"), icon="bi-file-earmark-bar-graph", order=40),
        MenuItem(
            "reports.index",
            "reports",
            _("Reports"),
            "reports:index",
            icon="bi-file-earmark-spreadsheet",
            order=10,
            visible=may_request_a_report,
        ),
    )
