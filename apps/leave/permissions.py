"""Who may decide, see and change leave; one condition per line."""

from django.utils import timezone

from .models import LeaveRequest
from .selectors import departments_approved_by


def can_decide_leave(*, user, obj: LeaveRequest) -> bool:
    if not user.is_active:
        return False
    if obj.user_id == user.pk:
        return False  # R-ATT-09: nobody approves their own request
    if obj.approver_id == user.pk:
        return True
    requester_department = obj.user.department
    if requester_department is None or requester_department.head_id == obj.user_id:
        return False  # a head's own leave is decided one level up, by the routed approver only
    return requester_department.pk in departments_approved_by(user=user, on_date=timezone.localdate())


def can_withdraw_leave(*, user, obj: LeaveRequest) -> bool:
    return obj.user_id == user.pk and obj.status == LeaveRequest.Status.PENDING


def can_cancel_leave(*, user, obj: LeaveRequest) -> bool:
    return obj.user_id == user.pk and obj.status == LeaveRequest.Status.APPROVED


def can_view_attachment(*, user, obj: LeaveRequest) -> bool:
    if obj.user_id == user.pk:
        return True
    if user.has_perm("leave.view_all_leave"):
        return True
    return can_decide_leave(user=user, obj=obj) or obj.approver_id == user.pk


def can_view_leave_reason(*, user, obj: LeaveRequest) -> bool:
    """The reason, the attachment and the decision comments; the handover colleague may not see private ones."""
    if not obj.leave_type.reason_private:
        return True
    if obj.user_id == user.pk:
        return True
    if user.has_perm("leave.view_all_leave"):
        return True
    if obj.approver_id == user.pk or obj.decided_by_id == user.pk:
        return True
    return can_decide_leave(user=user, obj=obj)
