"""Factories of the search area: reports indexed for search, attachments with text."""

import datetime

import factory

from apps.core.models import ConfidentialityLevel
from apps.intel.models import IntelAttachment, IntelReport
from apps.intel.search import report_reindex
from tests.factories import UserFactory


class SearchReportFactory(factory.django.DjangoModelFactory):
    """A report written to the search index, as the services leave it."""

    class Meta:
        model = IntelReport
        skip_postgeneration_save = True

    kind = IntelReport.Kind.COMPETITOR_MOVE
    title = factory.Sequence(lambda n: f"情报{n}")
    body = "某竞争对手在华东地区降价。"
    source = "经销商"
    reported_on = datetime.date(2026, 11, 20)
    confidentiality = ConfidentialityLevel.INTERNAL
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        if create and extracted is not False:
            report_reindex(report=self)


def attachment_with_text(*, report, text: str, archived: bool = False) -> IntelAttachment:
    return IntelAttachment.objects.create(
        report=report,
        file="attachments/2026/11/x.pdf",
        original_name="附件.pdf",
        content_type="application/pdf",
        size=10,
        text=text,
        uploaded_by=report.author,
        confidentiality=report.confidentiality,
        is_archived=archived,
    )
