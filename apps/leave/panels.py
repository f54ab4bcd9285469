from django.utils import timezone

from apps.core.dashboard import Panel, register_panel

from .models import LeaveRequest
from .selectors import handovers_to, leave_approval_queue, leave_requests_of


def _leave(request):
    user = request.user
    today = timezone.localdate()
    waiting = leave_approval_queue(user=user, on_date=today).count()
    handovers = list(handovers_to(user=user).filter(end_date__gte=today)[:5])
    mine = list(leave_requests_of(user=user).filter(status__in=LeaveRequest.ACTIVE_STATUSES, end_date__gte=today)[:5])
    return {"waiting": waiting, "handovers": handovers, "mine": mine}


def register() -> None:
    register_panel(Panel(key="leave.overview", template="leave/panels/overview.html", get_context=_leave, order=30))
