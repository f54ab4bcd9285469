"""The shared confidentiality mechanism (R-INTEL-03): clearance filter and access log."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.core.models import AccessLog, ConfidentialityLevel
from apps.core.selectors import classified_get
from apps.core.services import classified_record_read
from tests.classified_app.models import SampleDocument
from tests.factories import UserFactory

Level = ConfidentialityLevel


@pytest.fixture
def documents(db):
    return {level: SampleDocument.objects.create(title=f"doc-{level.name}", confidentiality=level) for level in Level}


@pytest.mark.parametrize("clearance", list(Level))
def test_r_intel_03_visible_to_never_returns_items_above_clearance(documents, clearance):
    user = UserFactory(clearance=clearance)

    visible = set(SampleDocument.objects.visible_to(user).values_list("confidentiality", flat=True))

    assert visible == {level.value for level in Level if level <= clearance}


def test_r_intel_03_anonymous_and_inactive_users_see_nothing(documents):
    inactive = UserFactory(clearance=Level.SECRET, is_active=False)

    assert not SampleDocument.objects.visible_to(AnonymousUser()).exists()
    assert not SampleDocument.objects.visible_to(inactive).exists()
    assert not SampleDocument.objects.visible_to(None).exists()


def test_r_intel_03_superuser_is_bound_by_clearance_too(documents):
    admin = UserFactory(is_superuser=True, is_staff=True, clearance=Level.INTERNAL)

    assert not SampleDocument.objects.visible_to(admin).filter(confidentiality=Level.SECRET).exists()


def test_r_intel_03_get_above_clearance_is_404_like_a_missing_id(documents):
    user = UserFactory(clearance=Level.INTERNAL)
    allowed = documents[Level.INTERNAL]
    secret = documents[Level.SECRET]

    assert classified_get(user=user, queryset=SampleDocument.objects.all(), pk=allowed.pk) == allowed
    with pytest.raises(Http404):
        classified_get(user=user, queryset=SampleDocument.objects.all(), pk=secret.pk)
    with pytest.raises(Http404):
        classified_get(user=user, queryset=SampleDocument.objects.all(), pk=secret.pk + 1000)


def test_r_intel_03_reads_of_confidential_items_are_logged_and_lower_ones_are_not(documents, rf):
    user = UserFactory(clearance=Level.SECRET)
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")

    assert classified_record_read(user=user, obj=documents[Level.INTERNAL], request=request) is None
    entry = classified_record_read(user=user, obj=documents[Level.CONFIDENTIAL], request=request)
    classified_record_read(user=user, obj=documents[Level.SECRET], action=AccessLog.Action.DOWNLOAD)

    assert entry is not None
    logged = list(AccessLog.objects.order_by("id").values_list("object_repr", "confidentiality", "action"))
    assert logged == [
        ("doc-CONFIDENTIAL", Level.CONFIDENTIAL, "view"),
        ("doc-SECRET", Level.SECRET, "download"),
    ]
    assert entry.ip_address == "10.1.2.3"
    assert entry.user == user


def test_r_intel_03_record_read_refuses_a_read_above_clearance(documents):
    user = UserFactory(clearance=Level.CONFIDENTIAL)

    with pytest.raises(PermissionDenied):
        classified_record_read(user=user, obj=documents[Level.SECRET])
    assert not AccessLog.objects.exists()
