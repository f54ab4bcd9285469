"""Reads of the market area, scoped to the viewer's clearance.

Competitors, competitor products and our products carry no level; everything hanging off them
that does (reports, prices, battlecards) is filtered with ``visible_to`` here, counts included,
so that nothing the viewer may not see changes a number on a page.
"""

import datetime
import difflib

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.org.models import Product, StageFocus

from ..models import (
    Battlecard,
    BattlecardVersion,
    Competitor,
    CompetitorProduct,
    IntelReport,
    PriceObservation,
)

BATTLECARD_REVIEW_DAYS = 90
LATEST_MOVES = 5
LATEST_PRICES = 10
LATEST_REPORTS = 10


def visible_reports(*, user) -> QuerySet:
    """Return the live reports ``user`` is cleared for, newest first."""
    return IntelReport.objects.visible_to(user).live().order_by("-reported_on", "-id")


def visible_prices(*, user) -> QuerySet:
    return PriceObservation.objects.visible_to(user).filter(is_archived=False)


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    """A correlated COUNT subquery: one number per row, without multiplying the outer join."""
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def competitor_list(*, user) -> QuerySet:
    """Return the active competitors with their product count and the count of reports ``user`` may see."""
    return (
        Competitor.objects.filter(is_active=True)
        .annotate(
            product_count=_count(CompetitorProduct.objects.filter(is_active=True), "competitor"),
            report_count=_count(visible_reports(user=user), "competitors"),
        )
        .prefetch_related("strong_provinces")
        .order_by("name")
    )


def competitor_get(*, user, pk) -> Competitor:
    """Return a competitor (archived ones too, marked as such) with its strong provinces and products."""
    queryset = Competitor.objects.prefetch_related(
        "strong_provinces",
        Prefetch(
            "products",
            queryset=CompetitorProduct.objects.filter(is_active=True).select_related("our_product").order_by("name"),
        ),
        Prefetch("battlecard", queryset=Battlecard.objects.visible_to(user)),
    )
    return get_object_or_404(queryset, pk=pk)


def competitor_battlecard(*, user, competitor: Competitor) -> Battlecard | None:
    """Return the competitor's battlecard when ``user`` is cleared for it (from the prefetch)."""
    try:
        card = competitor.battlecard
    except Battlecard.DoesNotExist:
        return None
    return card if card.confidentiality <= user.clearance else None


def competitor_reports(*, user, competitor: Competitor, limit: int = LATEST_REPORTS) -> list[IntelReport]:
    return list(visible_reports(user=user).filter(competitors=competitor)[:limit])


def competitor_product_get(*, user, pk) -> CompetitorProduct:
    queryset = CompetitorProduct.objects.select_related(
        "competitor", "our_product", "our_product__stage"
    ).prefetch_related("specs")
    return get_object_or_404(queryset, pk=pk)


def product_reports(*, user, product: CompetitorProduct, limit: int = LATEST_REPORTS) -> list[IntelReport]:
    return list(visible_reports(user=user).filter(products=product)[:limit])


def battlecard_get(*, user, competitor_pk) -> Battlecard:
    """Return the competitor's battlecard; 404 when there is none or ``user`` is not cleared for it."""
    queryset = Battlecard.objects.visible_to(user).select_related(
        "competitor", "current", "current__edited_by", "reviewed_by"
    )
    return get_object_or_404(queryset, competitor_id=competitor_pk)


def battlecard_latest_moves(*, user, competitor: Competitor, limit: int = LATEST_MOVES) -> list[IntelReport]:
    """Return the latest competitor-move reports about ``competitor`` that ``user`` may see."""
    reports = visible_reports(user=user).filter(kind=IntelReport.Kind.COMPETITOR_MOVE, competitors=competitor)
    return list(reports[:limit])


def battlecard_latest_prices(*, user, competitor: Competitor, limit: int = LATEST_PRICES) -> list[PriceObservation]:
    """Return the latest price observations of the competitor's products that ``user`` may see."""
    prices = (
        visible_prices(user=user)
        .filter(competitor_product__competitor=competitor)
        .select_related("competitor_product", "province")
        .order_by("-observed_on", "-id")
    )
    return list(prices[:limit])


def battlecard_review_overdue(*, battlecard: Battlecard, today: datetime.date | None = None) -> bool:
    """Tell whether the card was never reviewed or not within the last 90 days."""
    today = today or timezone.localdate()
    if battlecard.reviewed_on is None:
        return True
    return (today - battlecard.reviewed_on).days > BATTLECARD_REVIEW_DAYS


def battlecard_versions(*, battlecard: Battlecard) -> list[BattlecardVersion]:
    return list(battlecard.versions.select_related("edited_by").order_by("-number"))


VERSION_FIELDS = ("strengths", "weaknesses", "responses", "latest_moves")


def battlecard_version_diff(*, version: BattlecardVersion, previous: BattlecardVersion | None) -> list[dict]:
    """Return, per text field, the lines added and removed since the previous version."""
    sections = []
    for field in VERSION_FIELDS:
        old = getattr(previous, field, "").splitlines() if previous else []
        new = getattr(version, field).splitlines()
        lines = []
        for line in difflib.ndiff(old, new):
            tag, text = line[:1], line[2:]
            if tag in "+-":
                lines.append({"kind": "added" if tag == "+" else "removed", "text": text})
            elif tag == " ":
                lines.append({"kind": "same", "text": text})
        sections.append(
            {
                "label": BattlecardVersion._meta.get_field(field).verbose_name,
                "lines": lines,
                "changed": any(line["kind"] != "same" for line in lines),
            }
        )
    return sections


def our_product_get(*, pk) -> Product:
    """Return our product with its stage, the stage's focus items and their duties."""
    queryset = Product.objects.select_related("stage").prefetch_related(
        Prefetch(
            "stage__focus_items",
            queryset=StageFocus.objects.order_by("number").prefetch_related("duties"),
        ),
        Prefetch(
            "competitor_products",
            queryset=CompetitorProduct.objects.filter(is_active=True, competitor__is_active=True)
            .select_related("competitor")
            .order_by("competitor__name", "name"),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def our_product_reports(*, user, product: Product, limit: int = LATEST_REPORTS) -> list[IntelReport]:
    """Return the latest reports ``user`` may see about our product or a competitor product compared with it."""
    touching = IntelReport.objects.filter(Q(our_products=product) | Q(products__our_product=product)).values("pk")
    return list(visible_reports(user=user).filter(pk__in=touching)[:limit])
