from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from apps.accounts.models import User

from .models import AssignedTask, Department, Duty, LifecycleStage, Product, StageFocus


def task_list_visible_to(*, user) -> QuerySet[AssignedTask]:
    """Return the tasks ``user`` may see: their own, those they handed out, or all with the permission."""
    qs = AssignedTask.objects.select_related("owner", "assigned_by")
    if not user.is_active:
        return qs.none()
    if user.has_perm("org.view_all_tasks"):
        return qs
    return qs.filter(Q(owner=user) | Q(assigned_by=user))


def task_get_events(*, task: AssignedTask):
    return task.events.select_related("actor")


def task_open_for_owner(*, user) -> QuerySet[AssignedTask]:
    return (
        AssignedTask.objects.filter(owner=user, status__in=AssignedTask.OPEN_STATUSES)
        .select_related("assigned_by")
        .order_by("due_date", "id")
    )


def task_assignable_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name", "username")


def position_duties(*, user) -> list[Duty]:
    if user.position_id is None:
        return []
    return list(Duty.objects.filter(position_id=user.position_id).order_by("number"))


def department_function_duties() -> dict[str, list[Duty]]:
    """Return the department duties grouped by function, in the regulation's order."""
    grouped: dict[str, list[Duty]] = {value: [] for value in Duty.Function.values}
    for duty in Duty.objects.filter(position__isnull=True).order_by("number"):
        grouped[duty.function].append(duty)
    return grouped


def department_positions(*, department: Department):
    holders = User.objects.filter(is_active=True).order_by("full_name", "username")
    return department.positions.prefetch_related(
        Prefetch("holders", queryset=holders),
        Prefetch("duties", queryset=Duty.objects.order_by("number")),
    )


def lifecycle_stages_with_products():
    """Return every stage with its focus items and its active products."""
    return LifecycleStage.objects.prefetch_related(
        Prefetch("focus_items", queryset=StageFocus.objects.order_by("number")),
        Prefetch("products", queryset=Product.objects.filter(is_active=True).order_by("code")),
    )


def product_list(*, stage_code: str = "", search: str = "") -> QuerySet[Product]:
    qs = Product.objects.select_related("stage").filter(is_active=True)
    if stage_code:
        qs = qs.filter(stage__code=stage_code)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return qs.order_by("code")


def user_department(*, user) -> Department | None:
    """Return the person's department, or the marketing department for people outside any."""
    qs = Department.objects.select_related("head")
    if user.department_id is not None:
        return qs.filter(pk=user.department_id).first()
    return qs.filter(code=settings.MAIN_DEPARTMENT_CODE).first()
