"""Factories of the follows, alerts, digest, panels and intelligence report-center tests."""

import datetime

import factory
from django.utils import timezone

from apps.core.models import ConfidentialityLevel
from apps.core.roles import RoleName
from apps.intel.models import (
    Competitor,
    CompetitorProduct,
    Follow,
    IntelReport,
    PriceChannel,
    PriceObservation,
    Province,
    ResearchPlan,
    Tag,
)
from tests.factories import UserFactory


def reader(*, clearance=ConfidentialityLevel.INTERNAL, **kwargs):
    """A staff member who reads intelligence, with ``clearance``."""
    kwargs.setdefault("roles", [RoleName.STAFF])
    return UserFactory(clearance=clearance, **kwargs)


def province(code="440000") -> Province:
    """A seeded province (广东 by default)."""
    return Province.objects.get(code=code)


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"竞争对手{n}")


class CompetitorProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetitorProduct

    competitor = factory.SubFactory(CompetitorFactory)
    name = factory.Sequence(lambda n: f"化学发光分析仪{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"标签{n}")


class IntelReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelReport
        skip_postgeneration_save = True

    kind = IntelReport.Kind.COMPETITOR_MOVE
    title = factory.Sequence(lambda n: f"情报报告{n}")
    body = "正文内容：不应出现在通知中。"
    source = "展会"
    reported_on = factory.LazyFunction(timezone.localdate)
    author = factory.SubFactory(UserFactory)
    confidentiality = ConfidentialityLevel.INTERNAL

    @factory.post_generation
    def competitors(self, create, extracted, **kwargs):
        if create and extracted:
            self.competitors.set(extracted)

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def provinces(self, create, extracted, **kwargs):
        if create and extracted:
            self.provinces.set(extracted)


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceObservation

    competitor_product = factory.SubFactory(CompetitorProductFactory)
    price = factory.Sequence(lambda n: 100 + n)
    observed_on = factory.LazyFunction(timezone.localdate)
    province = factory.LazyFunction(province)
    channel = PriceChannel.TENDER_RESULT
    source = "招标结果公告"
    confidentiality = ConfidentialityLevel.INTERNAL


class ResearchPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchPlan

    title = factory.Sequence(lambda n: f"调研计划{n}")
    objective = "了解市场"
    method = "访谈"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    owner = factory.SubFactory(UserFactory)
    status = ResearchPlan.Status.IN_PROGRESS
    confidentiality = ConfidentialityLevel.INTERNAL


def follow(user, obj) -> Follow:
    target = {
        Competitor: Follow.Target.COMPETITOR,
        CompetitorProduct: Follow.Target.PRODUCT,
        Tag: Follow.Target.TAG,
        Province: Follow.Target.PROVINCE,
    }[type(obj)]
    return Follow.objects.create(user=user, target=target, **{target: obj})
