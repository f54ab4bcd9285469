"""Pages of the market area: competitors, their products, battlecards and our product's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_error
from apps.core.models import AccessLog
from apps.core.pagination import paginate
from apps.core.services import classified_record_read
from apps.core.text import join_messages

from ..filters.market import CompetitorFilter
from ..forms.market import BattlecardForm, CompetitorForm, CompetitorProductForm, ProductSpecFormSet
from ..models import Competitor
from ..permissions import can_edit_battlecard, can_manage_competitors, require_intel_viewer
from ..selectors.market import (
    battlecard_get,
    battlecard_latest_moves,
    battlecard_latest_prices,
    battlecard_review_overdue,
    battlecard_version_diff,
    battlecard_versions,
    competitor_battlecard,
    competitor_get,
    competitor_list,
    competitor_product_get,
    competitor_reports,
    our_product_get,
    our_product_reports,
    product_reports,
)
from ..services.market import (
    battlecard_review,
    battlecard_save,
    competitor_archive,
    competitor_create,
    competitor_product_create,
    competitor_product_update,
    competitor_update,
)
from ..services.prices import price_observations_record_reads

# ---------------------------------------------------------------------------------------------
# Competitors


def competitor_list_view(request):
    require_intel_viewer(request.user)
    filterset = CompetitorFilter(request.GET or None, queryset=competitor_list(user=request.user))
    if filterset.is_bound and not filterset.is_valid():
        messages.warning(request, _("Some filters could not be read and were left out."))
    page = paginate(request, filterset.qs)
    return render(
        request,
        "intel/market/competitor_list.html",
        {"page_obj": page, "filter": filterset, "can_manage": can_manage_competitors(user=request.user)},
    )


def competitor_detail(request, pk: int):
    require_intel_viewer(request.user)
    competitor = competitor_get(user=request.user, pk=pk)
    card = competitor_battlecard(user=request.user, competitor=competitor)
    return render(
        request,
        "intel/market/competitor_detail.html",
        {
            "competitor": competitor,
            "battlecard": card,
            "reports": competitor_reports(user=request.user, competitor=competitor),
            "can_manage": can_manage_competitors(user=request.user),
            "can_edit_battlecard": can_edit_battlecard(user=request.user, battlecard=card),
        },
    )


def competitor_create_view(request):
    if not can_manage_competitors(user=request.user):
        raise PermissionDenied
    form = CompetitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            competitor = competitor_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The competitor has been added."))
            return redirect("intel:competitor_detail", pk=competitor.pk)
    return render(request, "intel/market/competitor_form.html", {"form": form, "competitor": None})


def competitor_edit(request, pk: int):
    if not can_manage_competitors(user=request.user):
        raise PermissionDenied
    competitor = competitor_get(user=request.user, pk=pk)
    form = CompetitorForm(request.POST or None, instance=competitor)
    if request.method == "POST" and form.is_valid():
        try:
            competitor_update(user=request.user, competitor=competitor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The competitor has been saved."))
            return redirect("intel:competitor_detail", pk=competitor.pk)
    return render(request, "intel/market/competitor_form.html", {"form": form, "competitor": competitor})


@require_POST
def competitor_archive_view(request, pk: int):
    if not can_manage_competitors(user=request.user):
        raise PermissionDenied
    competitor = competitor_get(user=request.user, pk=pk)
    archived = request.POST.get("archived", "1") != "0"
    try:
        competitor_archive(user=request.user, competitor=competitor, archived=archived)
    except ValidationError as exc:
        messages.warning(request, join_messages(exc.messages))
    else:
        if archived:
            messages.success(request, _("The competitor has been archived."))
        else:
            messages.success(request, _("The competitor is active again."))
    return redirect("intel:competitor_detail", pk=competitor.pk)


# ---------------------------------------------------------------------------------------------
# Competitor products


def product_detail(request, pk: int):
    require_intel_viewer(request.user)
    product = competitor_product_get(user=request.user, pk=pk)
    return render(
        request,
        "intel/market/product_detail.html",
        {
            "product": product,
            "specs": list(product.specs.all()),
            "reports": product_reports(user=request.user, product=product),
            "can_manage": can_manage_competitors(user=request.user),
        },
    )


def _product_form_page(request, *, product=None):
    if not can_manage_competitors(user=request.user):
        raise PermissionDenied
    editing = product is not None
    initial = {}
    if not editing and request.GET.get("competitor", "").isdigit():
        initial["competitor"] = request.GET["competitor"]
    data = request.POST if request.method == "POST" else None
    form = CompetitorProductForm(data, instance=product, initial=initial, editing=editing)
    spec_initial = [{"key": spec.key, "value": spec.value} for spec in product.specs.all()] if editing else []
    formset = ProductSpecFormSet(data, initial=spec_initial, prefix="specs")
    if data is not None and form.is_valid() and formset.is_valid():
        fields = dict(form.cleaned_data)
        try:
            if editing:
                product = competitor_product_update(user=request.user, product=product, specs=formset.specs(), **fields)
            else:
                product = competitor_product_create(user=request.user, specs=formset.specs(), **fields)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "duplicate_spec":
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                add_service_error(form, exc)
        else:
            messages.success(request, _("The product has been saved."))
            return redirect("intel:product_detail", pk=product.pk)
    return render(request, "intel/market/product_form.html", {"form": form, "formset": formset, "product": product})


def product_create(request):
    return _product_form_page(request)


def product_edit(request, pk: int):
    if not can_manage_competitors(user=request.user):
        raise PermissionDenied
    return _product_form_page(request, product=competitor_product_get(user=request.user, pk=pk))


# ---------------------------------------------------------------------------------------------
# Battlecards


def battlecard_detail(request, pk: int):
    require_intel_viewer(request.user)
    card = battlecard_get(user=request.user, competitor_pk=pk)
    classified_record_read(user=request.user, obj=card, action=AccessLog.Action.VIEW, request=request)
    competitor = card.competitor
    prices = list(battlecard_latest_prices(user=request.user, competitor=competitor))
    price_observations_record_reads(user=request.user, observations=prices, request=request)
    return render(
        request,
        "intel/market/battlecard_detail.html",
        {
            "card": card,
            "competitor": competitor,
            "version": card.current,
            "moves": battlecard_latest_moves(user=request.user, competitor=competitor),
            "prices": prices,
            "review_overdue": battlecard_review_overdue(battlecard=card),
            "can_edit": can_edit_battlecard(user=request.user, battlecard=card),
        },
    )


def battlecard_edit(request, pk: int):
    user = request.user
    if not can_edit_battlecard(user=user):
        raise PermissionDenied
    competitor = competitor_get(user=user, pk=pk)
    try:
        card = battlecard_get(user=user, competitor_pk=pk)
    except Http404:
        card = None
        if Competitor.objects.filter(pk=pk, battlecard__isnull=False).exists():
            raise  # a card exists above the editor's clearance: as if it did not exist
    if card is not None:
        classified_record_read(user=user, obj=card, action=AccessLog.Action.VIEW, request=request)
    version = card.current if card else None
    initial = {"confidentiality": card.confidentiality if card else 1}
    form = BattlecardForm(
        request.POST or None, instance=version if request.method != "POST" else None, initial=initial, user=user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = battlecard_save(user=user, competitor=competitor, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Version %(number)s of the battlecard has been saved.") % {"number": saved.number}
            )
            return redirect("intel:battlecard_detail", pk=competitor.pk)
    return render(request, "intel/market/battlecard_form.html", {"form": form, "competitor": competitor, "card": card})


@require_POST
def battlecard_review_view(request, pk: int):
    card = battlecard_get(user=request.user, competitor_pk=pk)
    try:
        battlecard_review(user=request.user, battlecard=card)
    except ValidationError as exc:
        messages.warning(request, join_messages(exc.messages))
    else:
        messages.success(request, _("The battlecard is marked as reviewed today."))
    return redirect("intel:battlecard_detail", pk=pk)


def battlecard_history(request, pk: int):
    require_intel_viewer(request.user)
    card = battlecard_get(user=request.user, competitor_pk=pk)
    classified_record_read(user=request.user, obj=card, action=AccessLog.Action.VIEW, request=request)
    versions = battlecard_versions(battlecard=card)
    shown = versions[0] if versions else None
    wanted = request.GET.get("version", "")
    if wanted:
        shown = next((v for v in versions if str(v.number) == wanted), None)
        if shown is None:
            raise Http404
    previous = next((v for v in versions if shown and v.number < shown.number), None)
    return render(
        request,
        "intel/market/battlecard_history.html",
        {
            "card": card,
            "competitor": card.competitor,
            "versions": versions,
            "shown": shown,
            "previous": previous,
            "diff": battlecard_version_diff(version=shown, previous=previous) if shown else [],
        },
    )


# ---------------------------------------------------------------------------------------------
# Our product (R-ORG-04)


def our_product(request, pk: int):
    require_intel_viewer(request.user)
    product = our_product_get(pk=pk)
    focus_items = list(product.stage.focus_items.all())
    return render(
        request,
        "intel/market/our_product.html",
        {
            "product": product,
            "focus_items": focus_items,
            "competitor_products": list(product.competitor_products.all()),
            "reports": our_product_reports(user=request.user, product=product),
            "today": timezone.localdate(),
        },
    )
