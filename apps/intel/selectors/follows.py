"""Reads of follows and of the dashboard's intelligence panels, scoped to the user and their clearance."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.core.choices import cached_for_models, cached_for_models_keys

from ..models import Follow, IntelReport, PriceObservation, ResearchPlan

LATEST_REPORTS_SHOWN = 5
DEADLINE_DAYS = 14
OPEN_PLAN_STATUSES = (ResearchPlan.Status.DRAFT, ResearchPlan.Status.APPROVED, ResearchPlan.Status.IN_PROGRESS)


def follows_of(*, user) -> QuerySet[Follow]:
    """The follows of ``user`` with the names the list shows (one query)."""
    return (
        Follow.objects.filter(user=user)
        .select_related("competitor", "product__competitor", "tag", "province")
        .order_by("target", "-created_at", "-pk")
    )


def follow_get(*, user, pk) -> Follow:
    """``user``'s own follow ``pk``; 404 for anyone else's."""
    return get_object_or_404(Follow.objects.filter(user=user), pk=pk)


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _followed_ids(user) -> dict[str, list[int]]:
    """The ids ``user`` follows, per target: cached per person until a follow is added or removed
    (``apps.core.choices``; one query on a miss). Only ids are cached, never a report."""
    return cached_for_models(
        "intel.followed_ids", (Follow,), lambda: _read_followed_ids(user), scope=f"user-{user.pk}", language=False
    )


def followed_ids_cache_keys(user) -> list[str]:
    """What ``followed_new_counts`` reads from the cache (to read ahead on the dashboard)."""
    return cached_for_models_keys("intel.followed_ids", (Follow,), scope=f"user-{user.pk}", language=False)


def _read_followed_ids(user) -> dict[str, list[int]]:
    columns = {
        Follow.Target.COMPETITOR: "competitor_id",
        Follow.Target.PRODUCT: "product_id",
        Follow.Target.TAG: "tag_id",
        Follow.Target.PROVINCE: "province_id",
    }
    ids: dict[str, list[int]] = {target: [] for target in columns}
    for target, *values in Follow.objects.filter(user=user).values_list("target", *columns.values()):
        value = values[list(columns).index(target)]
        if value is not None:
            ids[target].append(value)
    return ids


def followed_new_counts(*, user, today: datetime.date) -> dict:
    """How many live reports and prices ``user`` may see were filed this week (since Monday) on what
    they follow; items above the user's clearance are never counted.

    One query reads the follows; someone who follows nothing costs no more. Otherwise one count each
    for reports and prices, built from the followed ids: a subquery per target made the panel spend
    more time composing SQL than the database spent answering it.
    """
    since = week_start_of(today)
    ids = _followed_ids(user)
    counts = {"reports": 0, "prices": 0, "since": since}
    if not any(ids.values()):
        return counts
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    report_links = Q()
    for target, lookup in (
        (Follow.Target.COMPETITOR, "competitors__in"),
        (Follow.Target.PRODUCT, "products__in"),
        (Follow.Target.TAG, "tags__in"),
        (Follow.Target.PROVINCE, "provinces__in"),
    ):
        if ids[target]:
            report_links |= Q(**{lookup: ids[target]})
    # EXISTS over the report's links: each report counts once, however many follows match it.
    linked = IntelReport.objects.filter(report_links, pk=OuterRef("pk"))
    counts["reports"] = (
        IntelReport.objects.live().visible_to(user).filter(created_at__gte=start).filter(Exists(linked)).count()
    )
    price_links = Q()
    for target, lookup in (
        (Follow.Target.PROVINCE, "province_id__in"),
        (Follow.Target.PRODUCT, "competitor_product_id__in"),
        (Follow.Target.COMPETITOR, "competitor_product__competitor_id__in"),
    ):
        if ids[target]:
            price_links |= Q(**{lookup: ids[target]})
    if price_links:
        counts["prices"] = (
            PriceObservation.objects.visible_to(user)
            .filter(is_archived=False, created_at__gte=start)
            .filter(price_links)
            .count()
        )
    return counts


def latest_reports_for(*, user, limit: int = LATEST_REPORTS_SHOWN) -> list[IntelReport]:
    """The newest live reports ``user`` may see (one query)."""
    return list(
        IntelReport.objects.live()
        .visible_to(user)
        .only("pk", "title", "kind", "confidentiality", "reported_on")
        .order_by("-reported_on", "-pk")[:limit]
    )


def research_deadlines_for(*, user, today: datetime.date, days: int = DEADLINE_DAYS) -> list[ResearchPlan]:
    """``user``'s own open research plans due within ``days`` days, overdue ones included.

    Which plans those are is cached per person, clearance and day until a plan is saved
    (``apps.core.choices``; ids only, never a title): most people own no plan, and their dashboard
    then reads none. The plans themselves are read by id (one query).
    """

    def plan_ids():
        return list(_deadlines(user=user, today=today, days=days).values_list("pk", flat=True))

    ids = cached_for_models(
        "intel.deadline_ids", (ResearchPlan,), plan_ids, scope=_deadline_scope(user, today, days), language=False
    )
    if not ids:
        return []
    return list(
        _deadlines(user=user, today=today, days=days)
        .filter(pk__in=ids)
        .only("pk", "title", "due_on", "status", "confidentiality")
        .order_by("due_on", "pk")
    )


def _deadline_scope(user, today: datetime.date, days: int) -> str:
    return f"user-{user.pk}-clearance-{user.clearance}-{today.isoformat()}-{days}"


def deadline_ids_cache_keys(user, today: datetime.date, days: int = DEADLINE_DAYS) -> list[str]:
    """What ``research_deadlines_for`` reads from the cache (to read ahead on the dashboard)."""
    scope = _deadline_scope(user, today, days)
    return cached_for_models_keys("intel.deadline_ids", (ResearchPlan,), scope=scope, language=False)


def _deadlines(*, user, today: datetime.date, days: int) -> QuerySet[ResearchPlan]:
    return ResearchPlan.objects.visible_to(user).filter(
        owner=user,
        is_archived=False,
        status__in=OPEN_PLAN_STATUSES,
        due_on__lte=today + datetime.timedelta(days=days),
    )
