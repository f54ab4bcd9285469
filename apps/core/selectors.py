"""Reads of classified items that respect the user's clearance."""

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404


def classified_get(*, user, queryset: QuerySet, pk) -> Model:
    """Return the item ``pk`` if ``user`` is cleared for it; 404 when it is not or does not exist.

    Both cases give the same answer so that guessing ids reveals nothing.
    """
    return get_object_or_404(queryset.visible_to(user), pk=pk)
