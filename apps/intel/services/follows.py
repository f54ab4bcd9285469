"""Follows (关注) and the alerts they bring: a person follows a competitor, a competitor product, a
tag or a province, and is told when a report or a price is filed on it that they are cleared to see.

Alerts are sent in a fixed number of queries whatever the number of followers: the recipients are
chosen in one query (follow, active, permission, clearance, not yet alerted) and their
notifications are written with one ``bulk_create``. A second run for the same item finds everybody
already alerted (the notification's ``dedupe_key``) and sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.cache_keys import badges_changed
from apps.core.models import LOGGED_LEVEL, ConfidentialityLevel
from apps.notifications.models import Notification
from apps.notifications.services import localize_param, notification_send, pending_email_keep, single_line
from mktdept.celery import task_send

from ..models import Competitor, CompetitorProduct, Follow, IntelReport, PriceObservation, Province, Tag
from ..permissions import can_view_intel

logger = logging.getLogger(__name__)

VIEW_PERMISSION = ("intel", "view_intelreport")

# The field of Follow that holds each kind of target, and the model it points at.
TARGET_MODELS = {
    Follow.Target.COMPETITOR: Competitor,
    Follow.Target.PRODUCT: CompetitorProduct,
    Follow.Target.TAG: Tag,
    Follow.Target.PROVINCE: Province,
}


def url_or_blank(name: str, *args, query: dict | None = None) -> str:
    """Return the URL of ``name``, or "" while the page of another area does not exist yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


# ---------------------------------------------------------------------------------------------
# Follows


@transaction.atomic
def follow_add(*, user, target: str, obj) -> tuple[Follow, bool]:
    """Follow ``obj`` (a competitor, competitor product, tag or province); return the follow and
    whether it is new. Following the same thing again returns the existing follow."""
    if not can_view_intel(user=user):
        raise PermissionDenied
    model = TARGET_MODELS.get(target)
    if model is None or not isinstance(obj, model) or obj.pk is None:
        raise ValidationError(_("Choose what to follow."), code="invalid_target")
    if getattr(obj, "is_active", True) is False:
        raise ValidationError(_("This item is archived and cannot be followed."), code="archived_target")
    lookup = {"user": user, target: obj}
    existing = Follow.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            follow = Follow.objects.create(target=target, **lookup)
    except IntegrityError:
        # The same follow was added at the same moment (a double click): keep the first one.
        return Follow.objects.get(**lookup), False
    return follow, True


@transaction.atomic
def follow_remove(*, user, follow: Follow) -> None:
    """Stop following. A follow is a personal setting, not a record: it is deleted."""
    if follow.user_id != user.pk:
        raise PermissionDenied
    Follow.objects.filter(pk=follow.pk, user=user).delete()


# ---------------------------------------------------------------------------------------------
# Alerts


@dataclass(frozen=True)
class AlertItem:
    """What the alert needs to know about a new report or price: who follows it is matched on
    ``follow_q``; nothing of its text beyond the title goes into the notification."""

    key: str
    level: int
    filed_by_id: int | None
    title: str
    url: str
    follow_q: Q


def _report_item(pk) -> AlertItem | None:
    report = IntelReport.objects.live().filter(pk=pk).only("pk", "title", "confidentiality", "author_id").first()
    if report is None:
        return None
    products = list(CompetitorProduct.objects.filter(reports=report).values_list("pk", "competitor_id"))
    competitor_ids = set(Competitor.objects.filter(reports=report).values_list("pk", flat=True))
    competitor_ids |= {competitor_id for _pk, competitor_id in products}
    follow_q = (
        Q(competitor_id__in=competitor_ids)
        | Q(product_id__in=[product_pk for product_pk, _c in products])
        | Q(tag_id__in=Tag.objects.filter(reports=report).values("pk"))
        | Q(province_id__in=Province.objects.filter(reports=report).values("pk"))
    )
    return AlertItem(
        key=f"intel-alert:report:{report.pk}",
        level=report.confidentiality,
        filed_by_id=report.author_id,
        title=report.title,
        url=url_or_blank("intel:report_detail", report.pk),
        follow_q=follow_q,
    )


def _price_item(pk) -> AlertItem | None:
    price = (
        PriceObservation.objects.filter(pk=pk, is_archived=False)
        .select_related("competitor_product", "our_product", "province")
        .first()
    )
    if price is None:
        return None
    follow_q = Q(province_id=price.province_id)
    # The price list's filters (apps/intel/filters/prices.py) narrowed to this product and province.
    query = {"province": price.province_id}
    if price.our_product_id:
        query["our_product"] = price.our_product_id
    if price.competitor_product_id:
        follow_q |= Q(product_id=price.competitor_product_id) | Q(competitor_id=price.competitor_product.competitor_id)
        query["competitor_product"] = price.competitor_product_id
    product = price.competitor_product or price.our_product
    return AlertItem(
        key=f"intel-alert:price:{price.pk}",
        level=price.confidentiality,
        filed_by_id=price.recorded_by_id,
        title=f"{product} · {price.province}",
        url=url_or_blank("intel:price_list", query=query),
        follow_q=follow_q,
    )


def intel_readers():
    """Active people who hold ``intel.view_intelreport`` (directly, through a role, or as superuser),
    as one filter that needs no join (so no DISTINCT)."""
    app_label, codename = VIEW_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return User.objects.filter(
        Q(is_superuser=True)
        | Q(pk__in=User.groups.through.objects.filter(group__permissions__in=permission).values("user_id"))
        | Q(pk__in=User.user_permissions.through.objects.filter(permission__in=permission).values("user_id")),
        is_active=True,
    )


def _alert_texts(item: AlertItem, model: str):
    """The notification's title and body for ``item``. Above INTERNAL the title names neither the
    item nor its subject: notifications are e-mailed and stay in the list after a clearance drops."""
    level = ConfidentialityLevel(item.level)
    if item.level >= LOGGED_LEVEL:
        title = (
            gettext_lazy("New %(level)s intelligence report on what you follow")
            if model == "report"
            else gettext_lazy("New %(level)s price on what you follow")
        )
        params = {"level": level.label}
    elif model == "report":
        title, params = gettext_lazy("New intelligence report: %(title)s"), {"title": item.title}
    else:
        title, params = gettext_lazy("New price: %(title)s"), {"title": item.title}
    body = gettext_lazy("It concerns something you follow. Open the link to read it (level: %(level)s).")
    return title, body, {**params, "level": level.label}


def _queue_alert_email(notification_id: int) -> None:
    from apps.notifications.tasks import notification_email

    if not task_send(notification_email, args=[notification_id]):
        pending_email_keep(notification_id=notification_id, error="broker unreachable")


def _notify_many(*, recipients, title, body, params: dict, url: str, dedupe_key: str) -> int:
    """Write one notification per recipient, each in their language, with one INSERT; e-mail after commit.

    The same as :func:`apps.notifications.services.notification_send` for each recipient, in a
    fixed number of queries. Should a concurrent run have alerted someone first, fall back to
    ``notification_send``, whose ``dedupe_key`` check skips them.
    """
    rows = []
    for recipient in recipients:
        with translation.override(recipient.language):
            localized = {key: localize_param(value) for key, value in params.items()}
            rows.append(
                Notification(
                    recipient=recipient,
                    title=single_line(str(title) % localized)[:200],
                    body=str(body) % localized,
                    url=url,
                    dedupe_key=dedupe_key,
                )
            )
    if not rows:
        return 0
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        created = [
            n
            for recipient in recipients
            if (
                n := notification_send(
                    recipient=recipient, title=title, body=body, params=params, url=url, dedupe_key=dedupe_key
                )
            )
        ]
        return len(created)
    badges_changed(user_ids=[n.recipient_id for n in created])
    by_id = {recipient.pk: recipient for recipient in recipients}
    for notification in created:
        if by_id[notification.recipient_id].email:
            transaction.on_commit(lambda pk=notification.pk: _queue_alert_email(pk))
    return len(created)


def followers_alert(*, model: str, pk) -> int:
    """Alert the followers of the new report or price ``pk`` who may see it; return how many.

    A follower is alerted when they are active, hold ``intel.view_intelreport``, are cleared for
    the item's level, and follow one of its competitors, products, tags or provinces; once, however
    many of their follows match, and never for an item they filed themselves. An archived or
    missing item alerts nobody.
    """
    if model == "report":
        item = _report_item(pk)
    elif model == "price":
        item = _price_item(pk)
    else:
        raise ValueError(f"unknown alert model {model!r}")
    if item is None:
        return 0
    recipients = (
        intel_readers()
        .filter(clearance__gte=item.level)
        .filter(Exists(Follow.objects.filter(item.follow_q, user=OuterRef("pk"))))
        .exclude(Exists(Notification.objects.filter(recipient=OuterRef("pk"), dedupe_key=item.key)))
        .only("pk", "language", "email")
        .order_by("pk")
    )
    if item.filed_by_id is not None:
        recipients = recipients.exclude(pk=item.filed_by_id)
    title, body, params = _alert_texts(item, model)
    with transaction.atomic():
        return _notify_many(
            recipients=list(recipients), title=title, body=body, params=params, url=item.url, dedupe_key=item.key
        )
