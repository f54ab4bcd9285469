from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.pagination import paginate

from .selectors import notification_list
from .services import notification_mark_all_read, notification_mark_read


def notification_list_view(request):
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, notification_list(user=request.user, unread_only=unread_only))
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page, "unread_only": unread_only},
    )


@require_POST
def notification_open(request, pk: int):
    """Mark a notification read and follow its link."""
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    count = notification_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")
