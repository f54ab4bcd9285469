import datetime
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from apps.accounts.models import User
from apps.attendance.models import CheckIn
from apps.org.models import Department

from .models import ActingApprover, CompTimeEntry, CompTimeGrantRequest, ImportantPeriod, LeaveRequest, LeaveType

Status = LeaveRequest.Status


def acting_approver_for(*, department: Department, on_date: datetime.date) -> User | None:
    acting = (
        ActingApprover.objects.filter(
            department=department, is_active=True, start_date__lte=on_date, end_date__gte=on_date
        )
        .select_related("user")
        .order_by("-start_date", "-id")
        .first()
    )
    return acting.user if acting else None


def departments_approved_by(*, user, on_date: datetime.date) -> list[int]:
    """Return ids of departments whose members' leave ``user`` decides today (as head or acting)."""
    headed = set(Department.objects.filter(head=user).values_list("id", flat=True))
    acting = set(
        ActingApprover.objects.filter(
            user=user, is_active=True, start_date__lte=on_date, end_date__gte=on_date
        ).values_list("department_id", flat=True)
    )
    return sorted(headed | acting)


def leave_approval_queue(*, user, on_date: datetime.date) -> QuerySet[LeaveRequest]:
    """Pending requests waiting for ``user``: routed to them, or in a department they decide for."""
    departments = departments_approved_by(user=user, on_date=on_date)
    # A head's own leave goes up a level, so it never lands in their department's queue.
    members_of_departments = Q(user__department_id__in=departments) & ~Q(user__department__head=F("user"))
    return (
        LeaveRequest.objects.filter(status=Status.PENDING)
        .filter(Q(approver=user) | members_of_departments)
        .exclude(user=user)
        .select_related("user", "user__department", "leave_type", "handover_to")
        .order_by("start_date", "id")
    )


def leave_request_visible_to(*, user) -> QuerySet[LeaveRequest]:
    """Requests ``user`` may open: their own, handed over to them, routed to them, or all with the permission."""
    qs = LeaveRequest.objects.select_related(
        "user", "user__department", "leave_type", "handover_to", "approver", "decided_by"
    )
    if not user.is_active:
        return qs.none()
    if user.has_perm("leave.view_all_leave"):
        return qs
    departments = departments_approved_by(user=user, on_date=timezone.localdate())
    # Like the queue: deciding for a department (as head or acting) does not open the head's own leave.
    members = Q(user__department_id__in=departments) & ~Q(user__department__head=F("user"))
    return qs.filter(Q(user=user) | Q(handover_to=user) | Q(approver=user) | members).distinct()


def leave_requests_of(*, user) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(user=user).select_related("leave_type", "handover_to", "approver")


def handovers_to(*, user) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(handover_to=user, status__in=LeaveRequest.ACTIVE_STATUSES)
        .select_related("user", "leave_type")
        .order_by("start_date", "id")
    )


def leave_overlapping(*, user, start_slot: int, end_slot: int, exclude_pk=None) -> QuerySet[LeaveRequest]:
    qs = LeaveRequest.objects.filter(
        user=user, status__in=LeaveRequest.ACTIVE_STATUSES, start_slot__lte=end_slot, end_slot__gte=start_slot
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def important_periods_overlapping(*, department, start: datetime.date, end: datetime.date):
    return ImportantPeriod.objects.filter(
        Q(department__isnull=True) | Q(department=department),
        is_active=True,
        start_date__lte=end,
        end_date__gte=start,
    ).order_by("start_date")


def comp_time_balance(*, user) -> Decimal:
    return CompTimeEntry.objects.filter(user=user).aggregate(total=Sum("days"))["total"] or Decimal("0")


def comp_time_pending_spend(*, user, exclude_pk=None):
    """Comp-leave days requested but not yet decided: they are promised out of the balance."""
    qs = LeaveRequest.objects.filter(user=user, status=Status.PENDING, leave_type__spends_comp_time=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("days"))["total"] or Decimal("0")


def comp_grant_queue(*, user, on_date: datetime.date) -> QuerySet[CompTimeGrantRequest]:
    departments = departments_approved_by(user=user, on_date=on_date)
    # A check-in on the day worked is the evidence the head looks for.
    checked_in = CheckIn.objects.filter(user=OuterRef("user"), date=OuterRef("work_date"))
    return (
        CompTimeGrantRequest.objects.filter(status=CompTimeGrantRequest.Status.PENDING)
        .filter(Q(approver=user) | Q(user__department_id__in=departments))
        .exclude(user=user)
        .select_related("user")
        .annotate(checked_in_at=Subquery(checked_in.values("checked_in_at")[:1]))
        .order_by("work_date", "id")
    )


def leave_types_active() -> QuerySet[LeaveType]:
    return LeaveType.objects.filter(is_active=True)


def leave_in_range(*, start: datetime.date, end: datetime.date, department=None, statuses=None):
    qs = LeaveRequest.objects.filter(
        status__in=statuses or (Status.APPROVED,), start_date__lte=end, end_date__gte=start
    ).select_related("user", "leave_type")
    if department is not None:
        qs = qs.filter(user__department=department)
    return qs.order_by("start_date", "user__full_name")
