"""Who may do what with organisation records; one condition per line."""

from .models import AssignedTask


def can_assign_task(*, user) -> bool:
    return user.is_active and user.has_perm("org.assign_task")


def can_view_task(*, user, obj: AssignedTask) -> bool:
    if not user.is_active:
        return False
    if obj.owner_id == user.pk:
        return True
    if obj.assigned_by_id == user.pk:
        return True
    return user.has_perm("org.view_all_tasks")


def can_work_on_task(*, user, obj: AssignedTask) -> bool:
    """The owner starts and completes their own task."""
    return user.is_active and obj.owner_id == user.pk


def can_manage_task(*, user, obj: AssignedTask) -> bool:
    """Who handed the task out (or may hand out tasks) cancels and reopens it."""
    if not user.is_active:
        return False
    if obj.assigned_by_id == user.pk:
        return True
    return user.has_perm("org.assign_task") and user.has_perm("org.view_all_tasks")
