"""Reads of market research plans (R-INTEL-04), scoped to the viewer's clearance."""

import json

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from apps.accounts.models import User
from apps.core.selectors import classified_get

from ..models import IntelReport, ResearchPlan


def research_plan_list(*, user) -> QuerySet:
    """Return the live plans ``user`` is cleared for, with their owners."""
    return ResearchPlan.objects.visible_to(user).filter(is_archived=False).select_related("owner")


def research_plan_get(*, user, pk) -> ResearchPlan:
    """Return the plan; 404 when it does not exist or ``user`` is not cleared for it."""
    return classified_get(user=user, queryset=ResearchPlan.objects.select_related("owner"), pk=pk)


def research_plan_reports(*, user, plan: ResearchPlan) -> list[IntelReport]:
    """Return the live reports that came out of ``plan`` and that ``user`` may see."""
    return list(IntelReport.objects.visible_to(user).live().filter(research_plan=plan).order_by("-reported_on", "-id"))


def research_plan_owners() -> QuerySet:
    return User.objects.filter(is_active=True).order_by("full_name", "username")


def research_plan_history(*, plan: ResearchPlan) -> list[dict]:
    """Return who created, edited or moved the plan and when, newest first."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ResearchPlan), object_id=str(plan.pk)
    ).select_related("user")
    labels = dict(ResearchPlan.Status.choices)
    history = []
    for entry in entries.order_by("-action_time", "-id"):
        try:
            change = json.loads(entry.change_message or "{}")
        except ValueError:
            change = {}
        if not isinstance(change, dict):
            change = {}
        old_status, new_status = (change.get("status") or [None, None])[:2]
        history.append(
            {
                "at": entry.action_time,
                "user": entry.user,
                "created": entry.is_addition(),
                "old_status": labels.get(old_status, ""),
                "new_status": labels.get(new_status, ""),
                "fields": [
                    str(ResearchPlan._meta.get_field(name).verbose_name)
                    for name in change.get("fields", [])
                    if name in {f.name for f in ResearchPlan._meta.fields}
                ],
            }
        )
    return history
