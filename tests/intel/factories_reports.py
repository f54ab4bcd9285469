"""Factories of the reports area: competitors, reports, policies and attachments."""

import datetime
import io
import zipfile

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import ConfidentialityLevel
from apps.core.roles import RoleName
from apps.intel.models import Competitor, IntelAttachment, IntelReport, Tag
from tests.factories import UserFactory

# The smallest files whose content ``filetype`` recognises.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_upload(name: str = "报告.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_upload(name: str, folder: str) -> SimpleUploadedFile:
    """A minimal Office Open XML file: ``folder`` "word" gives a .docx, "xl" an .xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml" if folder == "word" else f"{folder}/workbook.xml", "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def html_upload(name: str = "page.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", content_type="application/pdf")


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"竞争公司{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"标签{n}")


class IntelReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelReport

    kind = IntelReport.Kind.COMPETITOR_MOVE
    title = factory.Sequence(lambda n: f"情报报告{n}")
    body = "某竞争对手在华东地区降价。"
    source = "经销商"
    reported_on = datetime.date(2026, 11, 20)
    confidentiality = ConfidentialityLevel.INTERNAL
    author = factory.SubFactory(UserFactory)


class PolicyFactory(IntelReportFactory):
    kind = IntelReport.Kind.POLICY
    title = factory.Sequence(lambda n: f"关于体外诊断试剂集中带量采购的通知{n}")
    issuer = "国家医疗保障局"
    issuer_kind = IntelReport.IssuerKind.GOVERNMENT
    document_number = factory.Sequence(lambda n: f"医保发〔2026〕{n}号")
    effective_on = datetime.date(2027, 1, 1)


class IntelAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelAttachment

    report = factory.SubFactory(IntelReportFactory)
    file = factory.LazyFunction(lambda: pdf_upload("stored.pdf"))
    original_name = factory.Sequence(lambda n: f"附件{n}.pdf")
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SelfAttribute("report.author")
    confidentiality = factory.SelfAttribute("report.confidentiality")


@pytest.fixture
def researcher(marketing):
    """A research & planning specialist cleared for internal items only: files and edits reports."""
    return UserFactory(
        username="research1", full_name="赵研究", department=marketing, roles=[RoleName.RESEARCH, RoleName.STAFF]
    )


@pytest.fixture
def internal_report(db):
    return IntelReportFactory(title="华东渠道动态", confidentiality=ConfidentialityLevel.INTERNAL)


@pytest.fixture
def secret_report(db):
    return IntelReportFactory(title="绝密降价计划", confidentiality=ConfidentialityLevel.SECRET)
