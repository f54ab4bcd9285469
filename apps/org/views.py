from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.cache_keys import prefetched
from apps.core.dashboard import dashboard_cache_keys, dashboard_panels
from apps.core.pagination import paginate

from .filters import TaskFilter
from .forms import ProductFilterForm, TaskAssignForm, TaskStatusForm
from .models import AssignedTask, Duty, LifecycleStage
from .permissions import can_assign_task, can_manage_task, can_work_on_task
from .selectors import (
    department_function_duties,
    department_positions,
    lifecycle_cache_keys,
    lifecycle_stages_with_products,
    position_cache_keys,
    position_summary,
    product_list,
    task_get_events,
    task_list_visible_to,
    user_department,
)
from .services import task_assign, task_change_status


def dashboard(request):
    user = request.user
    # The cached values the page reads (the position and lifecycle text, every panel's) in one round
    # trip, the sidebar's numbers having come with the permissions (PermissionCacheMiddleware); the
    # board's rows, keyed by the departments, in one more.
    keys = [
        *position_cache_keys(user=user),
        *lifecycle_cache_keys(),
        *dashboard_cache_keys(request),
    ]
    with prefetched(keys):
        return render(
            request,
            "org/dashboard.html",
            {
                "position": position_summary(user=user),
                "stages": lifecycle_stages_with_products(),
                "panels": dashboard_panels(request),
            },
        )


def my_position(request):
    return render(request, "org/position.html", {"position": position_summary(user=request.user)})


def department_detail(request):
    department = user_department(user=request.user)
    grouped = department_function_duties()
    functions = [(value, label, grouped[value]) for value, label in Duty.Function.choices]
    return render(
        request,
        "org/department_detail.html",
        {
            "department": department,
            "functions": functions,
            "positions": department_positions(department=department) if department else [],
            "stages": lifecycle_stages_with_products(),
        },
    )


def task_list(request):
    task_filter = TaskFilter(request.GET, queryset=task_list_visible_to(user=request.user), request=request)
    page = paginate(request, task_filter.qs)
    return render(
        request,
        "org/task_list.html",
        {"filter": task_filter, "page_obj": page, "can_assign": can_assign_task(user=request.user)},
    )


def task_create(request):
    if not can_assign_task(user=request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = TaskAssignForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                task = task_assign(assigned_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The task has been assigned."))
                return redirect("org:task_detail", pk=task.pk)
    else:
        form = TaskAssignForm(user=request.user)
    return render(request, "org/task_form.html", {"form": form})


def task_detail(request, pk: int):
    task = get_object_or_404(task_list_visible_to(user=request.user), pk=pk)
    user = request.user
    actions = []
    if can_work_on_task(user=user, obj=task):
        if task.status == AssignedTask.Status.OPEN:
            actions.append((AssignedTask.Status.IN_PROGRESS, _("Start"), "primary"))
        if task.is_open:
            actions.append((AssignedTask.Status.DONE, _("Mark done"), "success"))
    if can_manage_task(user=user, obj=task):
        if task.is_open:
            actions.append((AssignedTask.Status.CANCELLED, _("Cancel task"), "outline-danger"))
        elif task.status == AssignedTask.Status.DONE:
            actions.append((AssignedTask.Status.IN_PROGRESS, _("Reopen"), "outline-secondary"))
        else:
            actions.append((AssignedTask.Status.OPEN, _("Reopen"), "outline-secondary"))
    return render(
        request,
        "org/task_detail.html",
        {"task": task, "events": task_get_events(task=task), "actions": actions, "status_form": TaskStatusForm()},
    )


@require_POST
def task_change_status_view(request, pk: int):
    task = get_object_or_404(task_list_visible_to(user=request.user), pk=pk)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("org:task_detail", pk=task.pk)
    try:
        task_change_status(
            actor=request.user,
            task=task,
            to_status=form.cleaned_data["to_status"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The task is now “%(status)s”.") % {"status": task.get_status_display()})
    return redirect("org:task_detail", pk=task.pk)


def product_list_view(request):
    stages = list(LifecycleStage.objects.all())
    form = ProductFilterForm(request.GET, stages=stages)
    if not form.is_valid():
        messages.warning(request, _("A filter could not be read and was ignored."))
    stage_code = form.cleaned_data.get("stage", "")
    search = form.cleaned_data.get("q", "")
    page = paginate(request, product_list(stage_code=stage_code, search=search))
    # A refused search stays in the box as typed, minus what cannot be shown.
    shown_search = search if "q" in form.cleaned_data else form.data.get("q", "").replace("\x00", "")
    return render(
        request,
        "org/product_list.html",
        {"page_obj": page, "stages": stages, "stage_code": stage_code, "q": shown_search},
    )
