"""Who may do what with intelligence. Clearance is separate: every read also goes through ``visible_to``."""

from django.core.exceptions import PermissionDenied


def can_view_intel(*, user) -> bool:
    return user.is_active and user.has_perm("intel.view_intelreport")


def can_file_report(*, user) -> bool:
    return user.is_active and user.has_perm("intel.add_intelreport")


def can_edit_report(*, user, report) -> bool:
    return user.is_active and user.has_perm("intel.change_intelreport") and report.confidentiality <= user.clearance


def can_record_price(*, user) -> bool:
    return user.is_active and user.has_perm("intel.add_priceobservation")


def can_import_prices(*, user) -> bool:
    return user.is_active and user.has_perm("intel.import_prices")


def can_manage_competitors(*, user) -> bool:
    return user.is_active and user.has_perm("intel.change_competitor")


def can_edit_battlecard(*, user, battlecard=None) -> bool:
    if not (user.is_active and user.has_perm("intel.change_battlecard")):
        return False
    return battlecard is None or battlecard.confidentiality <= user.clearance


def can_manage_research_plans(*, user) -> bool:
    return user.is_active and user.has_perm("intel.change_researchplan")


def can_view_access_log(*, user) -> bool:
    return user.is_active and user.has_perm("core.view_access_report")


def require_intel_viewer(user) -> None:
    """Refuse (403) a person who may not read intelligence at all; clearance is checked per item."""
    if not can_view_intel(user=user):
        raise PermissionDenied
