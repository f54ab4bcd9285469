""" "My alerts": what I follow, and forms to follow more or stop following."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_error
from apps.core.pagination import paginate

from ..forms.follows import follow_forms
from ..models import Follow
from ..permissions import require_intel_viewer
from ..selectors.follows import follow_get, follows_of
from ..services.follows import follow_add, follow_remove


def _render_list(request, forms, status=200):
    page = paginate(request, follows_of(user=request.user))
    return render(request, "intel/follows/follow_list.html", {"page_obj": page, "forms": forms}, status=status)


def follow_list_view(request):
    require_intel_viewer(request.user)
    return _render_list(request, follow_forms(user=request.user))


@require_POST
def follow_add_view(request):
    require_intel_viewer(request.user)
    target = request.POST.get("target")
    if target not in Follow.Target.values:
        messages.error(request, _("Choose what to follow."))
        return redirect("intel:follow_list")
    forms = follow_forms(request.POST, user=request.user)
    form = next(f for f in forms if f.target == target)
    if form.is_valid():
        item = form.cleaned_data["item"]
        try:
            _follow, created = follow_add(user=request.user, target=target, obj=item)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if created:
                messages.success(request, _("You now follow %(name)s.") % {"name": item})
            else:
                messages.info(request, _("You already follow %(name)s.") % {"name": item})
            return redirect("intel:follow_list")
    return _render_list(request, forms)


@require_POST
def follow_remove_view(request, pk):
    require_intel_viewer(request.user)
    follow = follow_get(user=request.user, pk=pk)
    name = str(follow.competitor or follow.product or follow.tag or follow.province)
    follow_remove(user=request.user, follow=follow)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": name})
    return redirect("intel:follow_list")
