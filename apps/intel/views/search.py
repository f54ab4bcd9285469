"""The search page over intelligence reports (R-INTEL-05)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import search as search_module
from ..filters.search import IntelSearchFilter
from ..permissions import can_view_intel
from ..selectors.search import intel_search_page, intel_search_queryset


@require_GET
def search(request):
    if not can_view_intel(user=request.user):
        raise PermissionDenied
    filterset = IntelSearchFilter(
        request.GET or None, queryset=intel_search_queryset(user=request.user), user=request.user
    )
    query = ""
    if filterset.is_bound:
        filterset.is_valid()  # an unreadable filter is shown as an error on its field and left out
        query = filterset.form.cleaned_data.get("q") or ""
    result = intel_search_page(queryset=filterset.qs, query=query, page_number=request.GET.get("page"))
    return render(
        request,
        "intel/search/search.html",
        {
            "filter": filterset,
            "query": query,
            "terms": result.terms,
            "page_obj": result.page_obj,
            "more_than_limit": result.more_than_limit,
            "count_limit": search_module.COUNT_LIMIT,
            "too_short": bool(query.strip()) and not result.parsed,
        },
    )
