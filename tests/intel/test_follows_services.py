"""follow_add / follow_remove: one follow per target, refused for non-readers and archived items."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.intel.models import Follow
from apps.intel.services.follows import follow_add, follow_remove
from tests.factories import UserFactory

from .factories_follows import CompetitorFactory, TagFactory, follow, reader

pytestmark = pytest.mark.django_db


def test_follow_is_unique_per_target():
    user, competitor = reader(), CompetitorFactory()
    first, created = follow_add(user=user, target="competitor", obj=competitor)
    again, created_again = follow_add(user=user, target="competitor", obj=competitor)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Follow.objects.filter(user=user).count() == 1


def test_a_concurrent_follow_returns_the_first_one(monkeypatch):
    """The row appears between the check and the insert: the unique constraint answers, not a 500."""
    user, tag = reader(), TagFactory()
    existing = follow(user, tag)
    real_filter = Follow.objects.filter
    calls = []

    def filter_missing_once(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if not calls:
            calls.append(1)
            return qs.none()
        return qs

    monkeypatch.setattr(Follow.objects, "filter", filter_missing_once)
    got, created = follow_add(user=user, target="tag", obj=tag)
    assert (got.pk, created) == (existing.pk, False)


def test_wrong_target_or_archived_item_is_refused():
    user = reader()
    with pytest.raises(ValidationError) as exc:
        follow_add(user=user, target="product", obj=CompetitorFactory())
    assert exc.value.code == "invalid_target"
    with pytest.raises(ValidationError) as exc:
        follow_add(user=user, target="competitor", obj=CompetitorFactory(is_active=False))
    assert exc.value.code == "archived_target"
    assert not Follow.objects.exists()


def test_only_intel_readers_follow_and_only_their_own_follows_are_removed():
    with pytest.raises(PermissionDenied):
        follow_add(user=UserFactory(), target="tag", obj=TagFactory())
    owner, other = reader(), reader()
    mine = follow(owner, TagFactory())
    with pytest.raises(PermissionDenied):
        follow_remove(user=other, follow=mine)
    assert Follow.objects.filter(pk=mine.pk).exists()
    follow_remove(user=owner, follow=mine)
    assert not Follow.objects.filter(pk=mine.pk).exists()
