"""Factories of the market and plans areas: competitors, products, reports, prices, battlecards, plans."""

import datetime

import factory
import pytest

from apps.core.models import ConfidentialityLevel
from apps.core.roles import RoleName
from apps.intel.models import (
    Battlecard,
    BattlecardVersion,
    Competitor,
    CompetitorProduct,
    IntelReport,
    PriceObservation,
    Province,
    ResearchPlan,
)
from tests.factories import ProductFactory, UserFactory

INTERNAL = ConfidentialityLevel.INTERNAL
CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
SECRET = ConfidentialityLevel.SECRET


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"竞争公司{n}")
    headquarters = "上海"


class CompetitorProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetitorProduct

    competitor = factory.SubFactory(CompetitorFactory)
    name = factory.Sequence(lambda n: f"化学发光分析仪{n}")
    methodology = "clia"


class IntelReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelReport
        skip_postgeneration_save = True

    kind = IntelReport.Kind.COMPETITOR_MOVE
    title = factory.Sequence(lambda n: f"情报{n}")
    body = "正文"
    source = "展会"
    reported_on = datetime.date(2026, 11, 20)
    author = factory.SubFactory(UserFactory)
    confidentiality = INTERNAL

    @factory.post_generation
    def competitors(self, create, extracted, **kwargs):
        if create and extracted:
            self.competitors.set(extracted)

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)

    @factory.post_generation
    def our_products(self, create, extracted, **kwargs):
        if create and extracted:
            self.our_products.set(extracted)


class PriceObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceObservation

    competitor_product = factory.SubFactory(CompetitorProductFactory)
    price = 12.5
    observed_on = datetime.date(2026, 11, 1)
    province = factory.LazyFunction(lambda: Province.objects.get(code="310000"))
    channel = "tender"
    source = "招标结果公示"
    confidentiality = INTERNAL


class ResearchPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchPlan

    title = factory.Sequence(lambda n: f"调研计划{n}")
    objective = "了解市场"
    method = "问卷"
    starts_on = datetime.date(2026, 11, 1)
    due_on = datetime.date(2026, 12, 31)
    owner = factory.SubFactory(UserFactory)
    confidentiality = INTERNAL


def battlecard_make(*, competitor, editor, level=INTERNAL, strengths="渠道广", reviewed_on=None) -> Battlecard:
    """Return a battlecard with one version, written directly (the service is tested on its own)."""
    card = Battlecard.objects.create(competitor=competitor, confidentiality=level, reviewed_on=reviewed_on)
    version = BattlecardVersion.objects.create(
        battlecard=card, number=1, strengths=strengths, weaknesses="价格高", responses="强调服务", edited_by=editor
    )
    card.current = version
    if reviewed_on:
        card.reviewed_by = editor
    card.save()
    return card


@pytest.fixture
def researcher(marketing):
    """The research & planning specialist: manages competitors, battlecards and plans; confidential clearance."""
    return UserFactory(
        username="research",
        full_name="赵调研",
        department=marketing,
        roles=[RoleName.RESEARCH, RoleName.STAFF],
        clearance=CONFIDENTIAL,
    )


@pytest.fixture
def our_product(db):
    return ProductFactory(name="全自动化学发光免疫分析仪")
