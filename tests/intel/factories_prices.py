"""Factories and fixtures of the price area: competitor products, observations, and two readers."""

import datetime
from decimal import Decimal

import factory
import pytest

from apps.core.models import ConfidentialityLevel
from apps.core.roles import RoleName
from apps.intel.models import Competitor, CompetitorProduct, PriceChannel, PriceObservation, Province
from tests.factories import ProductFactory, UserFactory

PUBLIC = ConfidentialityLevel.PUBLIC
INTERNAL = ConfidentialityLevel.INTERNAL
CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
SECRET = ConfidentialityLevel.SECRET


class PriceCompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"价格竞争公司{n}")
    short_name = factory.Sequence(lambda n: f"竞{n}")


class PriceCompetitorProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetitorProduct

    competitor = factory.SubFactory(PriceCompetitorFactory)
    name = factory.Sequence(lambda n: f"肌钙蛋白I测定试剂盒{n}")
    methodology = "clia"
    registration_number = factory.Sequence(lambda n: f"国械注准2026340{n:04d}")


def province(code: str = "440000") -> Province:
    return Province.objects.get(code=code)


class PriceObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceObservation

    competitor_product = factory.SubFactory(PriceCompetitorProductFactory)
    our_product = None
    price = Decimal("28.50")
    currency = "CNY"
    unit = "人份"
    observed_on = datetime.date(2026, 11, 20)
    province = factory.LazyFunction(province)
    city = "广州市"
    channel = PriceChannel.TENDER_RESULT
    source = "广东省药品交易中心"
    confidentiality = INTERNAL


@pytest.fixture
def researcher(marketing):
    """The research & planning specialist: records and imports prices, cleared for secret items."""
    return UserFactory(
        username="research",
        full_name="周研究",
        department=marketing,
        roles=[RoleName.RESEARCH, RoleName.STAFF],
        clearance=SECRET,
    )


@pytest.fixture
def internal_researcher(marketing):
    """A research specialist cleared for internal items only."""
    return UserFactory(
        username="research2",
        full_name="吴研究",
        department=marketing,
        roles=[RoleName.RESEARCH, RoleName.STAFF],
        clearance=INTERNAL,
    )


@pytest.fixture
def reader(marketing):
    """A staff member with internal clearance: reads intelligence, files nothing."""
    return UserFactory(username="reader", full_name="陈员工", department=marketing, roles=[RoleName.STAFF])


@pytest.fixture
def secret_reader(marketing):
    """A staff member cleared for secret items: reads intelligence, files nothing."""
    return UserFactory(
        username="reader2", full_name="李员工", department=marketing, roles=[RoleName.STAFF], clearance=SECRET
    )


@pytest.fixture
def our_product(db):
    return ProductFactory(code="HS-CTNI", name="高敏肌钙蛋白I检测试剂盒")
