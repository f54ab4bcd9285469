"""The weekly intelligence digest (每周情报摘要): each person's list of last week's reports and prices
they may see, what they follow first, sent as one notification (and its e-mail) per person and week.

Last week's items are read once for the highest clearance among the recipients and filtered per
person in memory, so the queries do not grow with the number of people beyond the one
notification each. ``DigestSent`` makes a second run for the same week send nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.models import LOGGED_LEVEL, ConfidentialityLevel
from apps.notifications.services import notification_send

from ..models import DigestSent, Follow, IntelReport, PriceObservation
from .follows import intel_readers, url_or_blank

# Items listed per group; the rest are counted ("and 12 more").
DIGEST_GROUP_LIMIT = 20


def digest_week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday and Sunday of the week before the one ``today`` falls in."""
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    return monday, monday + datetime.timedelta(days=6)


@dataclass
class DigestEntry:
    """One line of a digest. Labels stay lazy (and the province an object) so that each person's
    digest renders them in that person's language."""

    kind: str  # "report" or "price"
    level: int
    label: object  # the report's type, or the product's name
    title: str  # the report's title, or the price with its currency and unit
    url: str
    province: object = None
    day: datetime.date | None = None
    competitors: frozenset = frozenset()
    products: frozenset = frozenset()
    tags: frozenset = frozenset()
    provinces: frozenset = frozenset()

    @property
    def level_label(self):
        return ConfidentialityLevel(self.level).label

    @property
    def restricted(self) -> bool:
        """Confidential and above: the digest, which is e-mailed, names the item but not its content."""
        return self.level >= LOGGED_LEVEL

    def matches(self, follows: dict[str, set]) -> bool:
        return bool(
            self.competitors & follows["competitor"]
            or self.products & follows["product"]
            or self.tags & follows["tag"]
            or self.provinces & follows["province"]
        )


@dataclass
class DigestGroup:
    title: str
    entries: list = field(default_factory=list)
    more: int = 0


def _week_bounds(week_start: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(week_start, datetime.time.min))
    return start, start + datetime.timedelta(days=7)


def _ids_by(through_rows) -> dict[int, set]:
    result = defaultdict(set)
    for owner_id, target_id in through_rows:
        result[owner_id].add(target_id)
    return result


def _week_entries(*, week_start: datetime.date, max_level: int) -> list[DigestEntry]:
    """Every live report and price filed in the week, up to ``max_level``, newest first (8 queries)."""
    start, end = _week_bounds(week_start)
    reports = list(
        IntelReport.objects.live()
        .filter(created_at__gte=start, created_at__lt=end, confidentiality__lte=max_level)
        .only("pk", "title", "kind", "confidentiality", "reported_on")
        .order_by("-created_at", "-pk")
    )
    report_ids = [r.pk for r in reports]
    through = IntelReport
    competitors = _ids_by(
        through.competitors.through.objects.filter(intelreport_id__in=report_ids).values_list(
            "intelreport_id", "competitor_id"
        )
    )
    products = defaultdict(set)
    for report_id, product_id, competitor_id in through.products.through.objects.filter(
        intelreport_id__in=report_ids
    ).values_list("intelreport_id", "competitorproduct_id", "competitorproduct__competitor_id"):
        products[report_id].add(product_id)
        competitors[report_id].add(competitor_id)
    tags = _ids_by(
        through.tags.through.objects.filter(intelreport_id__in=report_ids).values_list("intelreport_id", "tag_id")
    )
    provinces = _ids_by(
        through.provinces.through.objects.filter(intelreport_id__in=report_ids).values_list(
            "intelreport_id", "province_id"
        )
    )
    entries = [
        DigestEntry(
            kind="report",
            level=r.confidentiality,
            label=IntelReport.Kind(r.kind).label,
            title=r.title,
            day=r.reported_on,
            url=url_or_blank("intel:report_detail", r.pk),
            competitors=frozenset(competitors.get(r.pk, ())),
            products=frozenset(products.get(r.pk, ())),
            tags=frozenset(tags.get(r.pk, ())),
            provinces=frozenset(provinces.get(r.pk, ())),
        )
        for r in reports
    ]
    prices = (
        PriceObservation.objects.filter(
            created_at__gte=start, created_at__lt=end, confidentiality__lte=max_level, is_archived=False
        )
        .select_related("competitor_product__competitor", "our_product", "province")
        .order_by("-created_at", "-pk")
    )
    for p in prices:
        product = p.competitor_product or p.our_product
        entries.append(
            DigestEntry(
                kind="price",
                level=p.confidentiality,
                label=f"{p.competitor_product.competitor} · {product}" if p.competitor_product_id else str(product),
                title=f"{p.price} {p.currency}" + (f"/{p.unit}" if p.unit else ""),
                province=p.province,
                day=p.observed_on,
                url=url_or_blank(
                    "intel:price_list",
                    query={"competitor_product": p.competitor_product_id}
                    if p.competitor_product_id
                    else {"our_product": p.our_product_id},
                ),
                competitors=frozenset([p.competitor_product.competitor_id] if p.competitor_product_id else ()),
                products=frozenset([p.competitor_product_id] if p.competitor_product_id else ()),
                provinces=frozenset([p.province_id]),
            )
        )
    return entries


def _group(title: str, entries: list) -> DigestGroup:
    shown = entries[:DIGEST_GROUP_LIMIT]
    return DigestGroup(title=title, entries=shown, more=len(entries) - len(shown))


def digest_groups(*, entries: list[DigestEntry], clearance: int, follows: dict[str, set]) -> list[DigestGroup]:
    """The groups of one person's digest: what they follow, then the other reports and prices.
    Only entries at or below ``clearance`` are listed or counted. Call in the person's language."""
    visible = [e for e in entries if e.level <= clearance]
    followed = [e for e in visible if e.matches(follows)]
    others = [e for e in visible if not e.matches(follows)]
    groups = [
        _group(_("On what you follow"), followed),
        _group(_("Other reports"), [e for e in others if e.kind == "report"]),
        _group(_("Other prices"), [e for e in others if e.kind == "price"]),
    ]
    return [g for g in groups if g.entries]


def _follows_by_user(user_ids) -> dict[int, dict[str, set]]:
    result = defaultdict(lambda: {target: set() for target in Follow.Target.values})
    for user_id, target, competitor, product, tag, province in Follow.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "target", "competitor_id", "product_id", "tag_id", "province_id"
    ):
        result[user_id][target].add(competitor or product or tag or province)
    return result


def weekly_digests_send(*, today: datetime.date) -> int:
    """Send each reader the digest of the week before ``today``'s; return how many were sent.

    People with nothing to see that week get nothing. Safe to run twice: ``DigestSent`` (and the
    notification's ``dedupe_key``) keeps one digest per person and week.
    """
    week_start, week_end = digest_week(today)
    people = list(
        intel_readers()
        .exclude(pk__in=DigestSent.objects.filter(week_start=week_start).values("user_id"))
        .order_by("pk")
    )
    if not people:
        return 0
    entries = _week_entries(week_start=week_start, max_level=max(p.clearance for p in people))
    if not entries:
        return 0
    follows = _follows_by_user([p.pk for p in people])
    sent = 0
    for person in people:
        sent += _digest_send_one(
            person=person, entries=entries, follows=follows[person.pk], week=(week_start, week_end)
        )
    return sent


@transaction.atomic
def _digest_send_one(*, person, entries, follows, week) -> int:
    week_start, week_end = week
    with translation.override(person.language):
        groups = digest_groups(entries=entries, clearance=person.clearance, follows=follows)
        if not groups:
            return 0
        count = sum(len(g.entries) + g.more for g in groups)
        title = ngettext(
            "Intelligence digest, week of %(start)s: %(count)s new item",
            "Intelligence digest, week of %(start)s: %(count)s new items",
            count,
        ) % {"start": formats.date_format(week_start, "DATE_FORMAT"), "count": count}
        body = render_to_string(
            "intel/emails/digest.txt",
            {"groups": groups, "week_start": week_start, "week_end": week_end, "count": count},
        ).strip()
    _record, created = DigestSent.objects.get_or_create(
        user=person, week_start=week_start, defaults={"item_count": count}
    )
    if not created:
        return 0
    notification_send(
        recipient=person,
        title=title,
        body=body,
        url=url_or_blank("intel:report_list"),
        dedupe_key=f"intel-digest:{week_start:%Y-%m-%d}",
    )
    return 1
