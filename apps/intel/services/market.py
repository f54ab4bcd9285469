"""Writes of the market area: competitors, their products and specifications, battlecards.

Every service re-checks the permission (and, for battlecards, the clearance), so that admin,
shell and task callers are held to the same rules as the views.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import ConfidentialityLevel
from apps.core.services import classified_level_change

from ..models import Battlecard, BattlecardVersion, Competitor, CompetitorProduct, ProductSpec
from ..permissions import can_edit_battlecard, can_manage_competitors

COMPETITOR_FIELDS = ("name", "short_name", "website", "headquarters", "notes")
PRODUCT_FIELDS = (
    "name",
    "model_number",
    "methodology",
    "throughput_per_hour",
    "sample_types",
    "registration_number",
    "our_product",
    "notes",
)


def _require_manager(user) -> None:
    if not can_manage_competitors(user=user):
        raise PermissionDenied


def _check_competitor_name(*, name: str, exclude_pk=None) -> None:
    clashes = Competitor.objects.filter(name__iexact=name.strip())
    if exclude_pk is not None:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        raise ValidationError(
            {"name": ValidationError(_("A competitor with this name exists already."), code="duplicate_name")}
        )


@transaction.atomic
def competitor_create(
    *,
    user,
    name: str,
    short_name: str = "",
    website: str = "",
    headquarters: str = "",
    notes: str = "",
    strong_provinces: Iterable = (),
) -> Competitor:
    """Add a competitor."""
    _require_manager(user)
    _check_competitor_name(name=name)
    competitor = Competitor.objects.create(
        name=name.strip(), short_name=short_name, website=website, headquarters=headquarters, notes=notes
    )
    competitor.strong_provinces.set(strong_provinces)
    return competitor


@transaction.atomic
def competitor_update(
    *, user, competitor: Competitor, strong_provinces: Iterable | None = None, **fields
) -> Competitor:
    """Change a competitor's details (only the fields given)."""
    _require_manager(user)
    competitor.refresh_from_db(from_queryset=Competitor.objects.select_for_update())
    unknown = set(fields) - set(COMPETITOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown competitor fields: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _check_competitor_name(name=fields["name"], exclude_pk=competitor.pk)
    for field, value in fields.items():
        setattr(competitor, field, value)
    competitor.save()
    if strong_provinces is not None:
        competitor.strong_provinces.set(strong_provinces)
    return competitor


@transaction.atomic
def competitor_archive(*, user, competitor: Competitor, archived: bool = True) -> Competitor:
    """Hide a competitor from lists (or bring it back); nothing is deleted."""
    _require_manager(user)
    competitor.refresh_from_db(from_queryset=Competitor.objects.select_for_update())
    if competitor.is_active == (not archived):
        code = "already_archived" if archived else "not_archived"
        message = _("This competitor is archived already.") if archived else _("This competitor is not archived.")
        raise ValidationError(message, code=code)
    competitor.is_active = not archived
    competitor.save(update_fields=["is_active", "updated_at"])
    return competitor


def _specs_sync(*, product: CompetitorProduct, specs: Sequence[tuple[str, str]]) -> None:
    """Make the product's key/value specifications exactly ``specs`` (in that order)."""
    keys = [key.strip() for key, _value in specs]
    if len({k.casefold() for k in keys}) != len(keys):
        raise ValidationError(_("Each specification may appear only once."), code="duplicate_spec")
    existing = {spec.key: spec for spec in product.specs.all()}
    # The user removed these rows in the form: an explicit removal, not a silent one.
    product.specs.exclude(key__in=keys).delete()
    for order, (key, value) in enumerate(specs):
        key = key.strip()
        spec = existing.get(key)
        if spec is None:
            ProductSpec.objects.create(product=product, key=key, value=value, sort_order=order)
        elif spec.value != value or spec.sort_order != order:
            spec.value, spec.sort_order = value, order
            spec.save(update_fields=["value", "sort_order"])


def _check_product_name(*, competitor: Competitor, name: str, exclude_pk=None) -> None:
    clashes = CompetitorProduct.objects.filter(competitor=competitor, name__iexact=name.strip())
    if exclude_pk is not None:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        raise ValidationError(
            {
                "name": ValidationError(
                    _("This competitor has a product with this name already."), code="duplicate_product"
                )
            }
        )


@transaction.atomic
def competitor_product_create(
    *, user, competitor: Competitor, specs: Sequence[tuple[str, str]] = (), **fields
) -> CompetitorProduct:
    """Add a product of a competitor with its typed and key/value specifications."""
    _require_manager(user)
    competitor = Competitor.objects.select_for_update().get(pk=competitor.pk)
    if not competitor.is_active:
        raise ValidationError(_("This competitor is archived."), code="competitor_archived")
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product fields: {sorted(unknown)}")
    fields["name"] = fields.get("name", "").strip()
    _check_product_name(competitor=competitor, name=fields["name"])
    product = CompetitorProduct.objects.create(competitor=competitor, **fields)
    _specs_sync(product=product, specs=specs)
    return product


@transaction.atomic
def competitor_product_update(
    *, user, product: CompetitorProduct, specs: Sequence[tuple[str, str]] | None = None, **fields
) -> CompetitorProduct:
    """Change a competitor product; ``specs`` (when given) replaces its key/value specifications."""
    _require_manager(user)
    product.refresh_from_db(from_queryset=CompetitorProduct.objects.select_for_update())
    unknown = set(fields) - set(PRODUCT_FIELDS) - {"is_active"}
    if unknown:
        raise TypeError(f"Unknown product fields: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _check_product_name(competitor=product.competitor, name=fields["name"], exclude_pk=product.pk)
    for field, value in fields.items():
        setattr(product, field, value)
    product.save()
    if specs is not None:
        _specs_sync(product=product, specs=specs)
    return product


@transaction.atomic
def battlecard_save(
    *,
    user,
    competitor: Competitor,
    strengths: str,
    weaknesses: str,
    responses: str,
    latest_moves: str = "",
    summary: str = "",
    confidentiality: int | None = None,
    reason: str = "",
) -> BattlecardVersion:
    """Save a new version of the competitor's battlecard and make it current; never overwrite one.

    The first save creates the card. A level change is recorded as a ``core.LevelChange`` on the
    locked card; nobody may set a level above their own clearance.
    """
    if not can_edit_battlecard(user=user):
        raise PermissionDenied
    # The competitor row serialises the first save (two editors creating the card at once).
    competitor = Competitor.objects.select_for_update().get(pk=competitor.pk)
    card = Battlecard.objects.select_for_update().filter(competitor=competitor).first()
    level = ConfidentialityLevel.INTERNAL if confidentiality is None else int(confidentiality)
    if level not in ConfidentialityLevel.values:
        raise ValidationError({"confidentiality": ValidationError(_("Choose a valid level."), code="invalid_level")})
    if level > user.clearance:
        raise ValidationError(
            {
                "confidentiality": ValidationError(
                    _("You cannot set a level above your own clearance."), code="level_above_clearance"
                )
            }
        )
    if card is None:
        card = Battlecard.objects.create(competitor=competitor, confidentiality=level)
        number = 1
    else:
        if not can_edit_battlecard(user=user, battlecard=card):
            raise PermissionDenied
        number = (card.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = BattlecardVersion.objects.create(
        battlecard=card,
        number=number,
        strengths=strengths,
        weaknesses=weaknesses,
        responses=responses,
        latest_moves=latest_moves,
        summary=summary,
        edited_by=user,
    )
    card.current = version
    card.save(update_fields=["current", "updated_at"])
    if confidentiality is not None:
        classified_level_change(user=user, obj=card, new_level=level, reason=reason or summary)
    return version


@transaction.atomic
def battlecard_review(*, user, battlecard: Battlecard) -> Battlecard:
    """Mark the battlecard as reviewed today by ``user``."""
    battlecard.refresh_from_db(from_queryset=Battlecard.objects.select_for_update())
    if not can_edit_battlecard(user=user, battlecard=battlecard):
        raise PermissionDenied
    if battlecard.current_id is None:
        raise ValidationError(_("Write the battlecard before marking it reviewed."), code="no_version")
    battlecard.reviewed_on = timezone.localdate()
    battlecard.reviewed_by = user
    battlecard.save(update_fields=["reviewed_on", "reviewed_by", "updated_at"])
    return battlecard
