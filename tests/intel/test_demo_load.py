"""The intelligence demo desk: realistic, loads twice without duplicates, and keeps clearance."""

import pytest
from django.db.models import Count, F
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import ConfidentialityLevel as Level
from apps.intel import demo
from apps.intel.models import (
    Battlecard,
    BattlecardVersion,
    Competitor,
    CompetitorProduct,
    Follow,
    IntelReport,
    PriceObservation,
    ProductSpec,
    ResearchPlan,
    Tag,
)
from apps.org.demo import demo_data_load
from tests.clock import at_working_morning

pytestmark = [pytest.mark.django_db, at_working_morning]

MODELS = [
    Competitor,
    CompetitorProduct,
    ProductSpec,
    PriceObservation,
    Tag,
    IntelReport,
    ResearchPlan,
    Battlecard,
    BattlecardVersion,
    Follow,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded():
    demo_data_load()
    first = demo.intel_demo_load()
    return first


def test_the_second_load_creates_nothing(loaded):
    before = _counts()

    second = demo.intel_demo_load()

    assert set(second.values()) == {0}
    assert _counts() == before
    assert all(value > 0 for value in loaded.values()), loaded


def test_the_desk_is_realistic(loaded):
    counts = _counts()
    assert 5 <= counts["Competitor"] <= 6
    assert 10 <= counts["CompetitorProduct"] <= 15
    assert 180 <= counts["PriceObservation"] <= 220
    assert 35 <= counts["IntelReport"] <= 45
    assert 2 <= counts["ResearchPlan"] <= 3
    # Every competitor product is compared with one of ours and has key/value specifications.
    assert not CompetitorProduct.objects.filter(our_product__isnull=True).exists()
    assert not CompetitorProduct.objects.annotate(n=Count("specs")).filter(n=0).exists()
    # Every report type, at least eight policies with their issuer, and every level.
    kinds = set(IntelReport.objects.values_list("kind", flat=True))
    assert kinds == set(IntelReport.Kind.values)
    policies = IntelReport.objects.filter(kind=IntelReport.Kind.POLICY)
    assert policies.count() >= 8
    assert not policies.filter(issuer="").exists()
    assert set(IntelReport.objects.values_list("confidentiality", flat=True)) == set(Level.values)
    assert set(PriceObservation.objects.values_list("confidentiality", flat=True)) == set(Level.values)
    # Prices span about eighteen months; tender results are the most common channel.
    dates = PriceObservation.objects.order_by("observed_on").values_list("observed_on", flat=True)
    assert (dates.last() - dates.first()).days >= 450
    tenders = PriceObservation.objects.filter(channel="tender").count()
    assert tenders > counts["PriceObservation"] / 3
    # One plan in progress due within a week, one completed with findings and its reports.
    in_progress = ResearchPlan.objects.get(status=ResearchPlan.Status.IN_PROGRESS)
    assert 0 < (in_progress.due_on - timezone.localdate()).days <= 7
    completed = ResearchPlan.objects.get(status=ResearchPlan.Status.COMPLETED)
    assert completed.findings and completed.reports.count() >= 2
    # Each battlecard has two versions, the newest being current.
    for card in Battlecard.objects.select_related("current"):
        assert card.versions.count() == 2
        assert card.current.number == 2
    assert (
        Follow.objects.filter(user__username__in=["manager", "research", "staff"]).values("user").distinct().count()
        == 3
    )


def test_nobody_files_or_edits_what_they_may_not_read(loaded):
    assert not IntelReport.objects.filter(confidentiality__gt=F("author__clearance")).exists()
    assert not BattlecardVersion.objects.filter(battlecard__confidentiality__gt=F("edited_by__clearance")).exists()
    assert not ResearchPlan.objects.filter(confidentiality__gt=F("owner__clearance")).exists()


def test_r_intel_03_an_internal_user_sees_fewer_reports_and_prices_than_the_manager(loaded):
    staff = User.objects.get(username="staff")
    manager = User.objects.get(username="manager")
    assert staff.clearance == Level.INTERNAL and manager.clearance == Level.SECRET

    staff_reports = IntelReport.objects.visible_to(staff)
    manager_reports = IntelReport.objects.visible_to(manager)

    assert 0 < staff_reports.count() < manager_reports.count() == IntelReport.objects.count()
    assert not staff_reports.filter(confidentiality__gt=Level.INTERNAL).exists()
    assert PriceObservation.objects.visible_to(staff).count() < PriceObservation.objects.visible_to(manager).count()


def test_demo_reports_are_indexed_for_search(loaded):
    assert not IntelReport.objects.filter(search_text="").exists()
