from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.pagination import paginate

from .forms import RuleVersionForm
from .selectors import rule_acknowledged, rule_acknowledgement_status, rule_version_current
from .services import rule_acknowledge, rule_version_publish


def rules_current(request):
    version = rule_version_current()
    acknowledged = version is not None and rule_acknowledged(user=request.user, version=version)
    return render(request, "conduct/rules_current.html", {"version": version, "acknowledged": acknowledged})


@require_POST
def rules_acknowledge(request):
    version = rule_version_current()
    if version is None:
        raise Http404
    posted = request.POST.get("version", "")
    if posted != str(version.number):
        messages.error(request, _("The rules changed while you were reading. Please read the current version."))
        return redirect("conduct:current")
    try:
        rule_acknowledge(user=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you. Your acknowledgement has been recorded."))
    return redirect("conduct:current")


def acknowledgement_status(request):
    if not request.user.has_perm("conduct.view_acknowledgement_status"):
        raise PermissionDenied
    version = rule_version_current()
    if version is None:
        raise Http404
    people = rule_acknowledgement_status(version=version)
    show = request.GET.get("show", "pending")
    if show == "pending":
        people = people.filter(has_acknowledged=False)
    page = paginate(request, people)
    return render(
        request,
        "conduct/acknowledgement_status.html",
        {"version": version, "page_obj": page, "show": show},
    )


def rules_publish(request):
    if not request.user.has_perm("conduct.add_ruleversion"):
        raise PermissionDenied
    current = rule_version_current()
    if request.method == "POST":
        form = RuleVersionForm(request.POST)
        if form.is_valid():
            try:
                version = rule_version_publish(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Version %(number)s of the rules is published.") % {"number": version.number}
                )
                return redirect("conduct:current")
    else:
        initial = {}
        if current is not None:
            initial = {
                "title": current.title,
                "title_en": current.title_en,
                "body": current.body,
                "body_en": current.body_en,
            }
        form = RuleVersionForm(initial=initial)
    return render(request, "conduct/rules_publish.html", {"form": form, "current": current})
