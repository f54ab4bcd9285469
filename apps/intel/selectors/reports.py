"""Reads of intelligence reports, their attachments and the confidential access log, scoped to the user.

Every read goes through ``visible_to(user)``: a report above the user's clearance is as absent as a
report that does not exist (404 in detail views, left out of lists, counts and exports).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from apps.core.models import AccessLog, ClassifiedModel, LevelChange
from apps.core.selectors import classified_get, log_entries_cleared_for

from ..models import IntelAttachment, IntelReport, ResearchPlan


def intel_report_list_visible_to(*, user) -> QuerySet:
    """Return the live reports ``user`` is cleared for, with what the lists show.

    Each report carries ``competitor_list``, ``province_list`` and ``tag_list`` (plain lists): a
    prefetch into an attribute builds no related manager and no queryset per row, which a page of
    25 rows would otherwise spend a few milliseconds on.
    """
    return (
        IntelReport.objects.live()
        .visible_to(user)
        .select_related("author")
        .prefetch_related(
            Prefetch("competitors", to_attr="competitor_list"),
            Prefetch("provinces", to_attr="province_list"),
            Prefetch("tags", to_attr="tag_list"),
        )
        .defer("search_text", "search_vector")
    )


def intel_policy_list_visible_to(*, user) -> QuerySet:
    """Return the live policies and announcements ``user`` is cleared for."""
    return intel_report_list_visible_to(user=user).filter(kind=IntelReport.Kind.POLICY)


def intel_report_get(*, user, pk) -> IntelReport:
    """Return the live report ``pk`` with everything the detail page shows; 404 when ``user`` is not cleared."""
    queryset = (
        IntelReport.objects.live()
        .select_related("author")
        .prefetch_related("competitors", "products__competitor", "our_products", "provinces", "tags")
        .defer("search_text", "search_vector")
    )
    return classified_get(user=user, queryset=queryset, pk=pk)


def intel_report_research_plan(*, user, report: IntelReport) -> ResearchPlan | None:
    """Return the report's research plan if ``user`` is cleared for it (plans carry their own level)."""
    if report.research_plan_id is None:
        return None
    return ResearchPlan.objects.visible_to(user).filter(pk=report.research_plan_id).first()


def intel_attachments_visible_to(*, user, report: IntelReport) -> QuerySet:
    """Return the live attachments of ``report`` that ``user`` is cleared for (the others are not even counted)."""
    if report.confidentiality > getattr(user, "clearance", -1):
        return IntelAttachment.objects.none()
    return (
        IntelAttachment.objects.filter(report=report, is_archived=False)
        .visible_to(user)
        .select_related("uploaded_by")
        .defer("text")
    )


def intel_attachment_get(*, user, pk) -> IntelAttachment:
    """Return attachment ``pk`` when ``user`` is cleared for it and for its live report; else 404."""
    reports = IntelReport.objects.live().visible_to(user)
    queryset = IntelAttachment.objects.filter(is_archived=False, report__in=reports).select_related("report")
    return classified_get(user=user, queryset=queryset, pk=pk)


def intel_report_level_changes(*, user, report: IntelReport, attachment_ids=()) -> QuerySet:
    """Return the level changes of ``report`` and of the given (visible) attachments, newest first."""
    report_type = ContentType.objects.get_for_model(IntelReport)
    attachment_type = ContentType.objects.get_for_model(IntelAttachment)
    condition = Q(content_type=report_type, object_id=str(report.pk))
    if attachment_ids:
        condition |= Q(content_type=attachment_type, object_id__in=[str(pk) for pk in attachment_ids])
    return _level_changes_within_clearance(user, LevelChange.objects.filter(condition)).select_related("changed_by")


def _level_changes_within_clearance(user, queryset: QuerySet) -> QuerySet:
    # A change from or to a level above the reader's clearance, or of an item now above it, names
    # an item they may not see.
    return log_entries_cleared_for(queryset, user=user)


def classified_content_types() -> QuerySet:
    """Return the log's item types: every model that carries a confidentiality level, and the products
    (a competitor's or ours) whose price charts are logged as one read of aggregated prices."""
    from apps.org.models import Product

    from ..models import CompetitorProduct

    models = [model for model in apps.get_models() if issubclass(model, ClassifiedModel)]
    models += [CompetitorProduct, Product]
    return ContentType.objects.filter(pk__in=[ct.pk for ct in ContentType.objects.get_for_models(*models).values()])


def access_log_list(*, user) -> QuerySet:
    """Return the confidential access log the manager reads, limited to items within their own clearance."""
    return (
        log_entries_cleared_for(AccessLog.objects.all(), user=user)
        .select_related("user", "content_type")
        .order_by("-created_at", "-id")
    )


def level_change_list(*, user) -> QuerySet:
    """Return every confidentiality level change within ``user``'s clearance, newest first."""
    return _level_changes_within_clearance(
        user, LevelChange.objects.select_related("changed_by", "content_type")
    ).order_by("-created_at", "-id")


def intel_report_for_change(*, user, pk) -> IntelReport:
    """Return the live report ``pk`` for an edit or an action (no prefetch); 404 when not cleared."""
    return classified_get(user=user, queryset=IntelReport.objects.live().select_related("author"), pk=pk)


def intel_report_for_export(*, queryset: QuerySet) -> QuerySet:
    """Return the filtered visible reports (from :func:`intel_report_list_visible_to`) with what the CSV holds."""
    return queryset.prefetch_related("products")
