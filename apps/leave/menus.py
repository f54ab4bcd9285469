from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core import menu
from apps.core.menu import MenuGroup, MenuItem, request_memo
from apps.org.models import Department

from .models import ActingApprover, CompTimeGrantRequest, LeaveRequest


def _approver_roles(request) -> dict:
    """Return which approver roles the user holds today, in one query, once per request."""

    def compute() -> dict:
        today = timezone.localdate()
        me = OuterRef("pk")
        row = (
            User.objects.filter(pk=request.user.pk)
            .annotate(
                heads=Exists(Department.objects.filter(head=me)),
                approves_heads=Exists(Department.objects.filter(leave_approver=me)),
                acting=Exists(
                    ActingApprover.objects.filter(user=me, is_active=True, start_date__lte=today, end_date__gte=today)
                ),
                routed_leave=Exists(LeaveRequest.objects.filter(approver=me, status=LeaveRequest.Status.PENDING)),
                routed_grant=Exists(
                    CompTimeGrantRequest.objects.filter(approver=me, status=CompTimeGrantRequest.Status.PENDING)
                ),
            )
            .values("heads", "approves_heads", "acting", "routed_leave", "routed_grant")
            .first()
        )
        return row or dict.fromkeys(("heads", "approves_heads", "acting", "routed_leave", "routed_grant"), False)

    return request_memo(request, "leave.approver_roles", compute)


def may_use_approval_queue(request) -> bool:
    """Heads, today's acting approvers, approvers of a head's leave, and anyone with requests routed to them."""
    return any(_approver_roles(request).values())


def heads_a_department(request) -> bool:
    return _approver_roles(request)["heads"]


def register() -> None:
    menu.register(
        MenuGroup(key="leave", label=_("Leave"), icon="bi-airplane", order=30),
        MenuItem("leave.create", "leave", _("Request leave"), "leave:create", icon="bi-plus-circle", order=10),
        MenuItem("leave.mine", "leave", _("My leave"), "leave:mine", icon="bi-journal-text", order=20),
        MenuItem(
            "leave.handovers", "leave", _("Handovers to me"), "leave:handovers", icon="bi-arrow-left-right", order=30
        ),
        MenuItem("leave.comp_time", "leave", _("Comp time"), "leave:comp_time", icon="bi-hourglass-split", order=40),
        MenuItem(
            "leave.queue",
            "leave",
            _("Approval queue"),
            "leave:queue",
            icon="bi-inbox",
            order=50,
            visible=may_use_approval_queue,
        ),
        MenuItem("leave.calendar", "leave", _("Leave calendar"), "leave:calendar", icon="bi-calendar3", order=60),
        MenuItem("leave.periods", "leave", _("Important-activity periods"), "leave:periods", icon="bi-flag", order=70),
        MenuItem(
            "leave.acting",
            "leave",
            _("Acting approver"),
            "leave:acting",
            icon="bi-person-check",
            order=80,
            visible=heads_a_department,
        ),
    )
