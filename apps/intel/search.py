"""Full-text search over intelligence reports (R-INTEL-05).

Interface used by the services and views; the implementation is filled in by the search work.
"""

from django.db.models import QuerySet


def report_reindex(*, report) -> None:
    """Recompute ``report.search_text`` (and its vector) from title, body and attachment text, and save them."""
    parts = [report.title, report.body, *(a.text for a in report.attachments.all() if not a.is_archived)]
    report.search_text = "\n".join(part for part in parts if part)
    type(report).objects.filter(pk=report.pk).update(search_text=report.search_text)


def report_search(*, queryset: QuerySet, query: str) -> QuerySet:
    """Return ``queryset`` narrowed to reports matching ``query``, best first."""
    return queryset.filter(search_text__icontains=query.strip())
