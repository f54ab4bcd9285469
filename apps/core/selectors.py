"""Reads of classified items that respect the user's clearance."""

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404


def classified_get(*, user, queryset: QuerySet, pk) -> Model:
    """Return the item ``pk`` if ``user`` is cleared for it; 404 when it is not or does not exist.

    Both cases give the same answer so that guessing ids reveals nothing.
    """
    return get_object_or_404(queryset.visible_to(user), pk=pk)


def log_entries_cleared_for(queryset: QuerySet, *, user) -> QuerySet:
    """Keep the access-log or level-change entries whose item ``user`` may still see.

    An entry names its item (``object_repr``). It is shown only when the levels it records are
    within the reader's clearance (for an access-log entry ``confidentiality``, for a level change
    both ``old_level`` and ``new_level``) and the item's current level is too: an item raised
    above the reader's clearance after the entry was written takes its old entries with it. The
    current level is the newest level change of the item; an item never changed keeps its entries.
    """
    from .models import AccessLog, LevelChange

    clearance = user.clearance if user.is_active else -1
    if queryset.model is AccessLog:
        queryset = queryset.filter(confidentiality__lte=clearance)
    else:
        queryset = queryset.filter(old_level__lte=clearance, new_level__lte=clearance)
    current = (
        LevelChange.objects.filter(content_type=OuterRef("content_type"), object_id=OuterRef("object_id"))
        .order_by("-created_at", "-id")
        .values("new_level")[:1]
    )
    return queryset.annotate(current_level=Subquery(current)).filter(
        Q(current_level__isnull=True) | Q(current_level__lte=clearance)
    )
