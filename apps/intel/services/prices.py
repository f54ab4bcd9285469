"""Writes of price observations: record, archive, import from a spreadsheet; reads logged (R-INTEL-01/03)."""

import datetime
import json
import re
import uuid
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.models import AccessLog
from apps.core.services import client_ip
from apps.org.models import Product

from .. import alerts
from ..importing import PriceFileError, price_rows_check
from ..models import CompetitorProduct, PriceChannel, PriceObservation, Province
from ..permissions import can_import_prices, can_record_price

# An uploaded price file waits this long for its confirmation, then is refused (and removed).
IMPORT_FILE_LIFETIME = datetime.timedelta(hours=1)
IMPORT_FOLDER = "price-imports"
_TOKEN = re.compile(r"[0-9a-f]{32}")


def can_archive_price(*, user, observation=None) -> bool:
    """Archiving takes the right to record and to change prices, and clearance for the observation."""
    if not (can_record_price(user=user) and user.has_perm("intel.change_priceobservation")):
        return False
    return observation is None or observation.confidentiality <= user.clearance


def _check_level(*, user, confidentiality) -> int:
    level = int(confidentiality)
    if level > user.clearance:
        raise ValidationError(
            {"confidentiality": ValidationError(_("The level is above your clearance."), code="level_above_clearance")}
        )
    return level


def _alert_on_commit(pk: int) -> None:
    transaction.on_commit(partial(alerts.alerts_item_filed, model="price", pk=pk))


@transaction.atomic
def price_observation_create(
    *,
    user,
    competitor_product: CompetitorProduct | None = None,
    our_product: Product | None = None,
    price: Decimal,
    currency: str = "CNY",
    unit: str = "",
    observed_on: datetime.date,
    province: Province,
    city: str = "",
    channel: str,
    source: str,
    institution: str = "",
    notes: str = "",
    confidentiality: int,
) -> PriceObservation:
    """Record one observed price of a competitor product or of ours, at or below the filer's clearance."""
    if not can_record_price(user=user):
        raise PermissionDenied
    level = _check_level(user=user, confidentiality=confidentiality)
    if (competitor_product is None) == (our_product is None):
        raise ValidationError(_("Choose either a competitor product or one of ours."), code="one_product")
    if price is None or Decimal(price) <= 0:
        raise ValidationError(
            {"price": ValidationError(_("The price must be more than zero."), code="price_not_positive")}
        )
    if observed_on > timezone.localdate():
        raise ValidationError(
            {"observed_on": ValidationError(_("The date observed cannot be in the future."), code="observed_in_future")}
        )
    if channel not in PriceChannel.values:
        raise ValidationError({"channel": ValidationError(_("Choose a channel."), code="invalid_channel")})
    observation = PriceObservation(
        competitor_product=competitor_product,
        our_product=our_product,
        price=price,
        currency=(currency or "CNY").upper(),
        unit=unit,
        observed_on=observed_on,
        province=province,
        city=city,
        channel=channel,
        source=source,
        institution=institution,
        notes=notes,
        confidentiality=level,
        recorded_by=user,
    )
    observation.full_clean(exclude=["recorded_by"])
    observation.save()
    _alert_on_commit(observation.pk)
    return observation


@transaction.atomic
def price_observation_archive(*, user, observation: PriceObservation) -> PriceObservation:
    """Archive an observation: it leaves lists, charts and comparisons, and is never deleted."""
    if not can_archive_price(user=user):
        raise PermissionDenied
    observation.refresh_from_db(from_queryset=PriceObservation.objects.select_for_update())
    if observation.confidentiality > user.clearance:
        raise PermissionDenied
    if observation.is_archived:
        raise ValidationError(_("This price observation is already archived."), code="already_archived")
    observation.is_archived = True
    observation.save(update_fields=["is_archived", "updated_at"])
    return observation


def price_observations_record_reads(*, user, observations, action=AccessLog.Action.VIEW, request=None) -> int:
    """Log the read of every confidential or secret observation in ``observations`` with one insert.

    Refuse, as ``classified_record_read`` does, any observation above the reader's clearance.
    Return the number of entries written.
    """
    if not user.is_active:
        raise PermissionDenied
    logged = []
    for observation in observations:
        if observation.confidentiality > user.clearance:
            raise PermissionDenied
        if observation.read_is_logged:
            logged.append(observation)
    if not logged:
        return 0
    content_type = ContentType.objects.get_for_model(PriceObservation)
    ip_address = client_ip(request)
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user,
                content_type=content_type,
                object_id=str(observation.pk),
                object_repr=str(observation)[:255],
                confidentiality=observation.confidentiality,
                action=action,
                ip_address=ip_address,
            )
            for observation in logged
        ]
    )
    return len(logged)


def price_chart_record_read(
    *, user, product: CompetitorProduct, classified: int, level: int | None, request=None
) -> AccessLog | None:
    """Log one read of ``product``'s price chart when confidential or secret prices went into it.

    The chart shows monthly aggregates, not the observations, so one entry stands for the read:
    the competitor product as the item, ``level`` (the highest level aggregated) as its level, and
    a description naming how many classified prices were covered. Refuse a level above the
    reader's clearance, as every read does. Return the entry, or None when nothing was classified.
    """
    return price_aggregate_record_read(user=user, item=product, classified=classified, level=level, request=request)


def price_aggregate_record_read(*, user, item, classified: int, level: int | None, request=None) -> AccessLog | None:
    """Log one read of figures aggregated over ``item``'s prices (a competitor product or one of
    ours) when confidential or secret prices went into them; see ``price_chart_record_read``."""
    if not user.is_active or (level is not None and level > user.clearance):
        raise PermissionDenied
    if not classified:
        return None
    # The log is read by the department, whatever language the reader used: written in the site's.
    with translation.override(settings.LANGUAGE_CODE):
        description = ngettext(
            "Price chart of %(product)s: %(count)s classified price aggregated",
            "Price chart of %(product)s: %(count)s classified prices aggregated",
            classified,
        ) % {"product": item, "count": classified}
    return AccessLog.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=str(item.pk),
        object_repr=description[:255],
        confidentiality=level,
        action=AccessLog.Action.VIEW,
        ip_address=client_ip(request),
    )


# ---------------------------------------------------------------------------------------------
# Import: the uploaded file waits in the private "intel" storage between preview and confirmation,
# under a generated token in the uploader's own folder, so no client can name another's file or
# change the file or its level between the two steps.


def _import_paths(*, user, token: str) -> tuple[str, str]:
    if not _TOKEN.fullmatch(token or ""):
        raise ValidationError(_("This upload has expired. Upload the file again."), code="import_expired")
    folder = f"{IMPORT_FOLDER}/{user.pk}"
    return f"{folder}/{token}.data", f"{folder}/{token}.json"


def price_import_file_store(*, user, content: bytes, file_format: str, default_level: int, name: str) -> str:
    """Keep an uploaded price file for its confirmation; return the token that names it."""
    if not can_import_prices(user=user):
        raise PermissionDenied
    level = _check_level(user=user, confidentiality=default_level)
    token = uuid.uuid4().hex
    data_path, meta_path = _import_paths(user=user, token=token)
    storage = storages["intel"]
    storage.save(data_path, ContentFile(content))
    meta = {"format": file_format, "level": level, "name": name, "stored_at": timezone.now().isoformat()}
    storage.save(meta_path, ContentFile(json.dumps(meta).encode()))
    return token


def price_import_file_load(*, user, token: str) -> tuple[bytes, dict]:
    """Return the kept file and its details; refuse a token that is not the user's or has expired."""
    data_path, meta_path = _import_paths(user=user, token=token)
    storage = storages["intel"]
    try:
        with storage.open(meta_path, "rb") as handle:
            meta = json.loads(handle.read().decode())
        with storage.open(data_path, "rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        raise ValidationError(_("This upload has expired. Upload the file again."), code="import_expired") from None
    stored_at = datetime.datetime.fromisoformat(meta["stored_at"])
    if timezone.now() - stored_at > IMPORT_FILE_LIFETIME:
        price_import_file_discard(user=user, token=token)
        raise ValidationError(_("This upload has expired. Upload the file again."), code="import_expired")
    return content, meta


def price_import_file_discard(*, user, token: str) -> None:
    """Remove a kept upload (the uploaded copy only; no observation is touched)."""
    storage = storages["intel"]
    for path in _import_paths(user=user, token=token):
        if storage.exists(path):
            storage.delete(path)


def prices_preview(*, user, token: str):
    """Return the checked rows of a kept upload (nothing saved) and its details."""
    if not can_import_prices(user=user):
        raise PermissionDenied
    content, meta = price_import_file_load(user=user, token=token)
    _check_level(user=user, confidentiality=meta["level"])
    try:
        rows = price_rows_check(user=user, default_level=meta["level"], content=content, file_format=meta["format"])
    except PriceFileError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    return rows, meta


@transaction.atomic
def prices_import(*, user, token: str) -> dict:
    """Import the valid rows of a kept upload in one transaction; rows with problems are left out.

    The rows are checked again here (the preview may be old and the caller is not trusted):
    the importer's permission and clearance, each row's level, each product and province.
    Every new observation queues its alert after the commit. Return the counts.
    """
    data_path, meta_path = _import_paths(user=user, token=token)
    # Two confirmations of the same upload (a double click, two tabs) take turns here; the first
    # marks the kept file as imported before its commit, so the second finds the mark and imports nothing.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"intel:price-import:{token}"])
    storage = storages["intel"]
    try:
        with storage.open(meta_path, "rb") as handle:
            already_imported = bool(json.loads(handle.read().decode()).get("imported"))
    except (OSError, ValueError, AttributeError):
        already_imported = False  # missing or unreadable: the load below refuses it as expired
    if already_imported:
        raise ValidationError(
            _("This file has already been imported. Check the price list before uploading it again."),
            code="import_already_done",
        )
    rows, meta = prices_preview(user=user, token=token)
    new = [row.instance for row in rows if row.is_valid]
    if not new:
        raise ValidationError(_("No row of the file can be imported."), code="nothing_to_import")
    for observation in new:
        _check_level(user=user, confidentiality=observation.confidentiality)
        observation.recorded_by = user
    created = PriceObservation.objects.bulk_create(new)
    for observation in created:
        _alert_on_commit(observation.pk)
    # Mark the upload as imported (inside the lock, before the commit); the sweep removes the mark later.
    storage.delete(data_path)
    storage.delete(meta_path)
    storage.save(meta_path, ContentFile(json.dumps({**meta, "imported": True}).encode()))
    return {"created": len(created), "skipped": len(rows) - len(new)}


def price_import_files_sweep() -> int:
    """Remove kept uploads whose confirmation time has passed; return how many were removed.

    For a periodic task: an upload that was previewed and never confirmed or cancelled would
    otherwise stay in the private storage.
    """
    storage = storages["intel"]
    if not storage.exists(IMPORT_FOLDER):
        return 0
    removed = 0
    now = timezone.now()
    user_folders, _files = storage.listdir(IMPORT_FOLDER)
    for folder in user_folders:
        _dirs, names = storage.listdir(f"{IMPORT_FOLDER}/{folder}")
        for name in names:
            if not name.endswith(".json"):
                continue
            path = f"{IMPORT_FOLDER}/{folder}/{name}"
            try:
                with storage.open(path, "rb") as handle:
                    stored_at = datetime.datetime.fromisoformat(json.loads(handle.read().decode())["stored_at"])
            except (OSError, ValueError, KeyError):
                stored_at = None
            if stored_at is None or now - stored_at > IMPORT_FILE_LIFETIME:
                token = name.removesuffix(".json")
                for stale in (path, f"{IMPORT_FOLDER}/{folder}/{token}.data"):
                    if storage.exists(stale):
                        storage.delete(stale)
                removed += 1
    return removed
