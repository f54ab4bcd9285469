"""Reads of follows and of the dashboard's intelligence panels, scoped to the user and their clearance."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

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


def _followed_report_q(user) -> Q:
    mine = Follow.objects.filter(user=user)
    return (
        Q(competitors__in=mine.filter(target=Follow.Target.COMPETITOR).values("competitor_id"))
        | Q(products__in=mine.filter(target=Follow.Target.PRODUCT).values("product_id"))
        | Q(tags__in=mine.filter(target=Follow.Target.TAG).values("tag_id"))
        | Q(provinces__in=mine.filter(target=Follow.Target.PROVINCE).values("province_id"))
    )


def followed_new_counts(*, user, today: datetime.date) -> dict:
    """How many live reports and prices ``user`` may see were filed this week (since Monday) on what
    they follow. Two queries; items above the user's clearance are never counted."""
    start = timezone.make_aware(datetime.datetime.combine(week_start_of(today), datetime.time.min))
    mine = Follow.objects.filter(user=user)
    # EXISTS over the report's links: each report counts once, however many follows match it.
    report_ids = IntelReport.objects.filter(_followed_report_q(user)).values("pk")
    reports = (
        IntelReport.objects.live()
        .visible_to(user)
        .filter(created_at__gte=start)
        .filter(Exists(report_ids.filter(pk=OuterRef("pk"))))
        .count()
    )
    prices = (
        PriceObservation.objects.visible_to(user)
        .filter(is_archived=False, created_at__gte=start)
        .filter(
            Q(province_id__in=mine.filter(target=Follow.Target.PROVINCE).values("province_id"))
            | Q(competitor_product_id__in=mine.filter(target=Follow.Target.PRODUCT).values("product_id"))
            | Q(
                competitor_product__competitor_id__in=mine.filter(target=Follow.Target.COMPETITOR).values(
                    "competitor_id"
                )
            )
        )
        .count()
    )
    return {"reports": reports, "prices": prices, "since": week_start_of(today)}


def latest_reports_for(*, user, limit: int = LATEST_REPORTS_SHOWN) -> list[IntelReport]:
    """The newest live reports ``user`` may see (one query)."""
    return list(
        IntelReport.objects.live()
        .visible_to(user)
        .only("pk", "title", "kind", "confidentiality", "reported_on")
        .order_by("-reported_on", "-pk")[:limit]
    )


def research_deadlines_for(*, user, today: datetime.date, days: int = DEADLINE_DAYS) -> list[ResearchPlan]:
    """``user``'s own open research plans due within ``days`` days, overdue ones included (one query)."""
    return list(
        ResearchPlan.objects.visible_to(user)
        .filter(
            owner=user,
            is_archived=False,
            status__in=OPEN_PLAN_STATUSES,
            due_on__lte=today + datetime.timedelta(days=days),
        )
        .only("pk", "title", "due_on", "status", "confidentiality")
        .order_by("due_on", "pk")
    )
