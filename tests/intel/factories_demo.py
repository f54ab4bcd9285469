"""Factories for the admin and demo tests (inteldemo's area); other areas keep their own."""

import datetime

import factory

from apps.core.models import ConfidentialityLevel
from apps.intel.models import Competitor, IntelReport
from tests.factories import UserFactory


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"竞品公司{n}")


class IntelReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelReport

    kind = IntelReport.Kind.COMPETITOR_MOVE
    title = factory.Sequence(lambda n: f"情报报告{n}")
    body = "竞品在华东地区调整了试剂价格。"
    source = "经销商反馈"
    reported_on = datetime.date(2026, 11, 20)
    author = factory.SubFactory(UserFactory)
    confidentiality = ConfidentialityLevel.INTERNAL
