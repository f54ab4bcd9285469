"""Reads of the search page: live reports the user is cleared for, matched, counted, paged."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from .. import search
from ..models import IntelReport
from ..search import (
    ParsedQuery,
    is_postgresql,
    query_parse,
    report_count,
    report_match,
    report_order,
    snippet,
)


def intel_search_queryset(*, user) -> QuerySet:
    """The reports a search may return for ``user``: live and within the user's clearance.

    Each carries ``competitor_list`` (a plain list, see ``intel_report_list_visible_to``).
    """
    return (
        IntelReport.objects.live()
        .visible_to(user)
        .prefetch_related(Prefetch("competitors", to_attr="competitor_list"))
        .defer("search_text", "search_vector", "impact_assessment")
    )


@dataclass
class SearchPage:
    parsed: ParsedQuery
    page_obj: Page | None  # None when there is nothing to search for
    more_than_limit: bool = False  # more than COUNT_LIMIT matches: only the first COUNT_LIMIT are paged

    @property
    def terms(self) -> tuple[str, ...]:
        return self.parsed.terms


def intel_search_page(*, queryset: QuerySet, query: str, page_number, per_page: int | None = None) -> SearchPage:
    """Match ``query`` in ``queryset`` (already narrowed by ``intel_search_queryset`` and the filters).

    The matches are counted once, up to COUNT_LIMIT + 1; the count chooses the order (see
    apps/intel/search.py) and is handed to the paginator, which would otherwise count again.
    """
    parsed = query_parse(query)
    if not parsed:
        return SearchPage(parsed=parsed, page_obj=None)
    matched = report_match(queryset=queryset, parsed=parsed)
    count = report_count(queryset=matched, parsed=parsed)
    more = count > search.COUNT_LIMIT
    count = min(count, search.COUNT_LIMIT)
    if is_postgresql():
        ordered = report_order(queryset=matched, parsed=parsed, count=count + more)
    else:
        ordered = matched.order_by("-reported_on", "-id")
    paginator = Paginator(ordered, per_page or settings.PAGE_SIZE)
    paginator.count = count  # a cached_property: set on the instance, the paginator does not count again
    page = paginator.get_page(page_number)
    for report in page.object_list:
        report.search_snippet = snippet(report.body, parsed.terms)
    return SearchPage(parsed=parsed, page_obj=page, more_than_limit=more)
