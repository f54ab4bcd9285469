from django.utils.translation import gettext_lazy as _

from apps.core import menu
from apps.core.menu import MenuGroup, MenuItem, request_has_perm

DEPARTMENT = "attendance.view_department_attendance"
ALL = "attendance.view_all_attendance"


def reads_department_attendance(request) -> bool:
    """The same people ``attendance_departments_visible_to`` gives a department: heads and the permitted."""
    from apps.leave.menus import heads_a_department

    return request_has_perm(request, ALL) or request_has_perm(request, DEPARTMENT) or heads_a_department(request)


def register() -> None:
    menu.register(
        MenuGroup(key="attendance", label=_("Attendance"), icon="bi-clock", order=20),
        MenuItem("attendance.today", "attendance", _("Check-in"), "attendance:today", icon="bi-geo-alt", order=10),
        MenuItem(
            "attendance.month", "attendance", _("My attendance"), "attendance:month", icon="bi-calendar-check", order=20
        ),
        MenuItem(
            "attendance.notices",
            "attendance",
            _("Field-work notices"),
            "attendance:notice_list",
            icon="bi-signpost",
            order=30,
        ),
        MenuItem(
            "attendance.notices_daily",
            "attendance",
            _("Field work by day"),
            "attendance:notices_daily",
            icon="bi-signpost-split",
            order=40,
            visible=reads_department_attendance,
        ),
        MenuItem(
            "attendance.summary",
            "attendance",
            _("Monthly attendance summary"),
            "attendance:summary",
            icon="bi-table",
            order=50,
            visible=reads_department_attendance,
        ),
    )
