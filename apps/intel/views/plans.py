"""Pages of market research plans (R-INTEL-04)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_error
from apps.core.models import AccessLog
from apps.core.pagination import paginate
from apps.core.services import classified_record_read
from apps.core.text import join_messages

from ..filters.plans import ResearchPlanFilter
from ..forms.plans import PlanStatusForm, ResearchPlanForm
from ..models import ResearchPlan
from ..permissions import can_manage_research_plans, require_intel_viewer
from ..selectors.plans import research_plan_get, research_plan_history, research_plan_list, research_plan_reports
from ..services.plans import TRANSITIONS, research_plan_create, research_plan_status_change, research_plan_update

STATUS_ACTIONS = {
    ResearchPlan.Status.APPROVED: (gettext_lazy("Approve"), "success"),
    ResearchPlan.Status.IN_PROGRESS: (gettext_lazy("Start"), "primary"),
    ResearchPlan.Status.COMPLETED: (gettext_lazy("Mark completed"), "success"),
    ResearchPlan.Status.CANCELLED: (gettext_lazy("Cancel the plan"), "outline-danger"),
}


def plan_list(request):
    require_intel_viewer(request.user)
    filterset = ResearchPlanFilter(
        request.GET or None, queryset=research_plan_list(user=request.user).order_by("-starts_on", "-id")
    )
    if filterset.is_bound and not filterset.is_valid():
        messages.warning(request, _("Some filters could not be read and were left out."))
    page = paginate(request, filterset.qs)
    return render(
        request,
        "intel/plans/plan_list.html",
        {"page_obj": page, "filter": filterset, "can_manage": can_manage_research_plans(user=request.user)},
    )


def plan_detail(request, pk: int):
    require_intel_viewer(request.user)
    plan = research_plan_get(user=request.user, pk=pk)
    classified_record_read(user=request.user, obj=plan, action=AccessLog.Action.VIEW, request=request)
    can_manage = can_manage_research_plans(user=request.user)
    actions = []
    if can_manage:
        for status in ResearchPlan.Status:
            if status in TRANSITIONS.get(plan.status, set()):
                label, style = STATUS_ACTIONS[status]
                actions.append({"status": status.value, "label": label, "style": style})
    return render(
        request,
        "intel/plans/plan_detail.html",
        {
            "plan": plan,
            "reports": research_plan_reports(user=request.user, plan=plan),
            "history": research_plan_history(plan=plan),
            "can_manage": can_manage,
            "actions": actions,
        },
    )


def plan_create(request):
    user = request.user
    if not can_manage_research_plans(user=user):
        raise PermissionDenied
    form = ResearchPlanForm(request.POST or None, user=user, initial={"owner": user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            plan = research_plan_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The research plan has been created."))
            return redirect("intel:plan_detail", pk=plan.pk)
    return render(request, "intel/plans/plan_form.html", {"form": form, "plan": None})


def plan_edit(request, pk: int):
    user = request.user
    if not can_manage_research_plans(user=user):
        raise PermissionDenied
    plan = research_plan_get(user=user, pk=pk)
    if request.method != "POST":
        # The form shows the whole plan: a read like the detail page.
        classified_record_read(user=user, obj=plan, action=AccessLog.Action.VIEW, request=request)
    form = ResearchPlanForm(request.POST or None, instance=plan, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            # The form has written its values on ``plan``; the service reloads the row under lock.
            research_plan_update(user=user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The research plan has been saved."))
            return redirect("intel:plan_detail", pk=plan.pk)
    return render(request, "intel/plans/plan_form.html", {"form": form, "plan": plan})


@require_POST
def plan_status(request, pk: int):
    user = request.user
    if not can_manage_research_plans(user=user):
        raise PermissionDenied
    plan = research_plan_get(user=user, pk=pk)
    form = PlanStatusForm(request.POST)
    if not form.is_valid():
        messages.warning(request, _("Choose a valid status."))
        return redirect("intel:plan_detail", pk=plan.pk)
    try:
        plan = research_plan_status_change(user=user, plan=plan, status=form.cleaned_data["status"])
    except ValidationError as exc:
        messages.warning(request, join_messages(exc.messages))
    else:
        messages.success(request, _("The plan is now %(status)s.") % {"status": plan.get_status_display()})
    return redirect("intel:plan_detail", pk=plan.pk)
