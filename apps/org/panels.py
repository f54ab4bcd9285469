from django.utils import timezone

from apps.core.dashboard import Panel, register_panel

from .permissions import can_assign_task
from .selectors import task_open_for_owner


def _my_tasks(request):
    tasks = list(task_open_for_owner(user=request.user)[:10])
    return {"tasks": tasks, "can_assign": can_assign_task(user=request.user), "today": timezone.localdate()}


def register() -> None:
    register_panel(Panel(key="org.my_tasks", template="org/panels/my_tasks.html", get_context=_my_tasks, order=50))
