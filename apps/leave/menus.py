from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.core import badges, menu
from apps.core.menu import MenuGroup, MenuItem
from apps.org.models import Department

from .models import ActingApprover, CompTimeGrantRequest, LeaveRequest

ROLES = ("heads", "approves_heads", "acting", "routed_leave", "routed_grant")


def _count(queryset):
    return Coalesce(Subquery(queryset.order_by().values("status").annotate(n=Count("pk")).values("n")[:1]), 0)


def _annotations(today) -> dict:
    """The user's approver roles on ``today`` and what waits for them, as annotations on ``User``.

    ``waiting`` mirrors ``leave_approval_queue`` plus ``comp_grant_queue`` (a test holds them equal).
    """
    me = OuterRef("pk")
    outer_me = OuterRef(OuterRef("pk"))
    acting_today = ActingApprover.objects.filter(is_active=True, start_date__lte=today, end_date__gte=today)
    # Departments the user decides for today (as in ``departments_approved_by``), two levels down.
    decided = Department.objects.filter(
        Q(head=outer_me)
        | Q(
            acting_approvers__user=outer_me,
            acting_approvers__is_active=True,
            acting_approvers__start_date__lte=today,
            acting_approvers__end_date__gte=today,
        )
    ).values("pk")
    waiting_leave = (
        LeaveRequest.objects.filter(status=LeaveRequest.Status.PENDING)
        .exclude(user=me)
        .filter(Q(approver=me) | (Q(user__department__in=decided) & ~Q(user__department__head=F("user"))))
    )
    waiting_grants = (
        CompTimeGrantRequest.objects.filter(status=CompTimeGrantRequest.Status.PENDING)
        .exclude(user=me)
        .filter(Q(approver=me) | Q(user__department__in=decided))
    )
    return {
        "heads": Exists(Department.objects.filter(head=me)),
        "approves_heads": Exists(Department.objects.filter(leave_approver=me)),
        "acting": Exists(acting_today.filter(user=me)),
        "routed_leave": Exists(LeaveRequest.objects.filter(approver=me, status=LeaveRequest.Status.PENDING)),
        "routed_grant": Exists(
            CompTimeGrantRequest.objects.filter(approver=me, status=CompTimeGrantRequest.Status.PENDING)
        ),
        "waiting_leave": _count(waiting_leave),
        "waiting_grants": _count(waiting_grants),
    }


NAMES = (*ROLES, "waiting_leave", "waiting_grants")
PREFIX = "leave_"


def _register_badges() -> None:
    """Add the roles and counts to the navigation's one badge query (``apps/core/badges.py``)."""
    for name in NAMES:
        badges.register(
            PREFIX + name,
            lambda today, name=name: _annotations(today)[name],
            default=0 if name.startswith("waiting") else False,
        )


def _approver_roles(request) -> dict:
    """Return the user's approver roles today and what waits for them: part of the cached badge row."""
    row = badges.user_badges(request)
    return {name: row[PREFIX + name] for name in NAMES}


def may_use_approval_queue(request) -> bool:
    """Heads, today's acting approvers, approvers of a head's leave, and anyone with requests routed to them."""
    roles = _approver_roles(request)
    return any(roles[role] for role in ROLES)


def approvals_waiting(request) -> int:
    """Leave and comp-time requests waiting for the user's decision: the approval queue's badge."""
    roles = _approver_roles(request)
    return roles["waiting_leave"] + roles["waiting_grants"]


def heads_a_department(request) -> bool:
    return _approver_roles(request)["heads"]


def register() -> None:
    _register_badges()
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
            badge=approvals_waiting,
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
