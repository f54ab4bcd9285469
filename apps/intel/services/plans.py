"""Writes of market research plans (R-INTEL-04) and the deadline reminder.

Who did what to a plan is written to Django's admin log (``LogEntry``): the creation, each edit
and each status change with the old and the new status. The plan page shows that history.
"""

import datetime
import json

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.models import ConfidentialityLevel
from apps.core.services import classified_level_change
from apps.notifications.services import notification_resolve, notification_send

from ..models import ResearchPlan
from ..permissions import can_manage_research_plans

PLAN_FIELDS = ("title", "objective", "method", "sample", "starts_on", "due_on", "owner", "budget", "findings")
OPEN_STATUSES = (ResearchPlan.Status.DRAFT, ResearchPlan.Status.APPROVED, ResearchPlan.Status.IN_PROGRESS)
# Which status may follow which: a closed plan stays closed.
TRANSITIONS = {
    ResearchPlan.Status.DRAFT: {ResearchPlan.Status.APPROVED, ResearchPlan.Status.CANCELLED},
    ResearchPlan.Status.APPROVED: {ResearchPlan.Status.IN_PROGRESS, ResearchPlan.Status.CANCELLED},
    ResearchPlan.Status.IN_PROGRESS: {ResearchPlan.Status.COMPLETED, ResearchPlan.Status.CANCELLED},
    ResearchPlan.Status.COMPLETED: set(),
    ResearchPlan.Status.CANCELLED: set(),
}
REMIND_DAYS_AHEAD = 3
TITLES = {
    False: gettext_lazy("Research plan “%(title)s” is due on %(due)s"),
    True: gettext_lazy("Research plan “%(title)s” is overdue since %(due)s"),
}
TITLES_CLASSIFIED = {
    False: gettext_lazy("A research plan of yours is due on %(due)s"),
    True: gettext_lazy("A research plan of yours is overdue since %(due)s"),
}


def _check(*, user, plan: ResearchPlan | None = None) -> None:
    if not can_manage_research_plans(user=user):
        raise PermissionDenied
    if plan is not None and plan.confidentiality > user.clearance:
        raise PermissionDenied


def _check_fields(*, user, starts_on, due_on, owner, confidentiality=None) -> None:
    errors = {}
    if starts_on and due_on and due_on < starts_on:
        errors["due_on"] = ValidationError(_("The deadline cannot be before the start date."), code="due_before_start")
    if owner is not None and not owner.is_active:
        errors["owner"] = ValidationError(_("The owner must be an active user."), code="owner_inactive")
    if confidentiality is not None:
        if int(confidentiality) not in ConfidentialityLevel.values:
            errors["confidentiality"] = ValidationError(_("Choose a valid level."), code="invalid_level")
        elif int(confidentiality) > user.clearance:
            errors["confidentiality"] = ValidationError(
                _("You cannot set a level above your own clearance."), code="level_above_clearance"
            )
        elif owner is not None and int(confidentiality) > owner.clearance:
            errors["owner"] = ValidationError(_("The owner is not cleared for this level."), code="owner_not_cleared")
    if errors:
        raise ValidationError(errors)


def _log(*, user, plan: ResearchPlan, flag: int, message: str) -> None:
    LogEntry.objects.create(
        user_id=user.pk,
        content_type_id=ContentType.objects.get_for_model(ResearchPlan).pk,
        object_id=str(plan.pk),
        object_repr=str(plan)[:200],
        action_flag=flag,
        change_message=message,
    )


@transaction.atomic
def research_plan_create(
    *,
    user,
    title: str,
    objective: str,
    method: str,
    starts_on: datetime.date,
    due_on: datetime.date,
    owner,
    sample: str = "",
    budget=None,
    findings: str = "",
    confidentiality: int = ConfidentialityLevel.INTERNAL,
) -> ResearchPlan:
    """Create a draft research plan."""
    _check(user=user)
    _check_fields(user=user, starts_on=starts_on, due_on=due_on, owner=owner, confidentiality=confidentiality)
    plan = ResearchPlan.objects.create(
        title=title,
        objective=objective,
        method=method,
        sample=sample,
        starts_on=starts_on,
        due_on=due_on,
        owner=owner,
        budget=budget,
        findings=findings,
        confidentiality=int(confidentiality),
    )
    _log(user=user, plan=plan, flag=ADDITION, message=json.dumps({"status": [None, plan.status]}))
    return plan


@transaction.atomic
def research_plan_update(
    *, user, plan: ResearchPlan, confidentiality: int | None = None, reason: str = "", **fields
) -> ResearchPlan:
    """Change a plan's details and, audited, its level (only the fields given)."""
    plan.refresh_from_db(from_queryset=ResearchPlan.objects.select_for_update())
    _check(user=user, plan=plan)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    if plan.is_archived:
        raise ValidationError(_("This plan is archived."), code="archived")
    _check_fields(
        user=user,
        starts_on=fields.get("starts_on", plan.starts_on),
        due_on=fields.get("due_on", plan.due_on),
        owner=fields.get("owner", plan.owner),
        confidentiality=plan.confidentiality if confidentiality is None else confidentiality,
    )
    changed = sorted(field for field, value in fields.items() if getattr(plan, field) != value)
    for field, value in fields.items():
        setattr(plan, field, value)
    plan.save()
    if confidentiality is not None and classified_level_change(
        user=user, obj=plan, new_level=confidentiality, reason=reason
    ):
        changed.append("confidentiality")
    if changed:
        _log(user=user, plan=plan, flag=CHANGE, message=json.dumps({"fields": changed}))
    return plan


@transaction.atomic
def research_plan_status_change(*, user, plan: ResearchPlan, status: str) -> ResearchPlan:
    """Move a plan to ``status`` when the workflow allows it; record who and when."""
    plan.refresh_from_db(from_queryset=ResearchPlan.objects.select_for_update())
    _check(user=user, plan=plan)
    if status not in TRANSITIONS.get(plan.status, set()):
        raise ValidationError(
            _("A plan that is %(current)s cannot become %(new)s.")
            % {
                "current": plan.get_status_display(),
                "new": ResearchPlan.Status(status).label if status in ResearchPlan.Status.values else status,
            },
            code="bad_transition",
        )
    old = plan.status
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    _log(user=user, plan=plan, flag=CHANGE, message=json.dumps({"status": [old, status]}))
    if status not in OPEN_STATUSES:
        notification_resolve(action_key=_reminder_action_key(plan))
    return plan


def _reminder_action_key(plan: ResearchPlan) -> str:
    return f"research-plan-due:{plan.pk}"


def research_plan_deadlines_remind(*, today: datetime.date) -> int:
    """Remind each owner of their open plans due within three days or overdue; once per plan and day.

    An owner is only told about a plan they are cleared to read (its title is in the message).
    Return the number of reminders sent.
    """
    plans = (
        ResearchPlan.objects.filter(
            status__in=OPEN_STATUSES,
            is_archived=False,
            due_on__lte=today + datetime.timedelta(days=REMIND_DAYS_AHEAD),
            owner__is_active=True,
            confidentiality__lte=F("owner__clearance"),
        )
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    sent = 0
    for plan in plans:
        overdue = plan.due_on < today
        # A confidential plan's title stays out of notifications and e-mails: the link tells.
        title = TITLES_CLASSIFIED[overdue] if plan.read_is_logged else TITLES[overdue]
        created = notification_send(
            recipient=plan.owner,
            title=title,
            params={"title": plan.title, "due": plan.due_on},
            url=reverse("intel:plan_detail", args=[plan.pk]),
            dedupe_key=f"research-plan-due:{plan.pk}:{today.isoformat()}",
            action_key=_reminder_action_key(plan),
        )
        sent += created is not None
    return sent
