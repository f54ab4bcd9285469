"""Pages of intelligence reports: clearance side by side, filters, detail, export, download (R-INTEL-02/03/05)."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.core.models import AccessLog, ConfidentialityLevel, LevelChange
from apps.intel.models import CompetitorProduct, IntelReport, Province
from tests.clock import at_working_morning
from tests.factories import ProductFactory
from tests.intel import factories_reports
from tests.intel.factories_reports import (
    CompetitorFactory,
    IntelAttachmentFactory,
    IntelReportFactory,
    PolicyFactory,
    TagFactory,
)

pytestmark = [pytest.mark.django_db, at_working_morning]

internal_report = factories_reports.internal_report
secret_report = factories_reports.secret_report

SECRET = ConfidentialityLevel.SECRET
CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
INTERNAL = ConfidentialityLevel.INTERNAL


def _ids(response) -> set[int]:
    return {report.pk for report in response.context["page_obj"].object_list}


# ----- list and counts


def test_r_intel_03_list_and_count_hide_reports_above_clearance(
    client_for, staff, manager, internal_report, secret_report
):
    staff_page = client_for(staff).get(reverse("intel:report_list"))
    manager_page = client_for(manager).get(reverse("intel:report_list"))
    assert _ids(staff_page) == {internal_report.pk}
    assert _ids(manager_page) == {internal_report.pk, secret_report.pk}
    assert staff_page.context["page_obj"].paginator.count == 1
    assert manager_page.context["page_obj"].paginator.count == 2
    assert "绝密降价计划" not in staff_page.content.decode()
    assert "绝密降价计划" in manager_page.content.decode()


def test_r_intel_02_archived_reports_leave_the_list(client_for, manager, internal_report, secret_report):
    secret_report.is_archived = True
    secret_report.save()
    assert _ids(client_for(manager).get(reverse("intel:report_list"))) == {internal_report.pk}


def test_r_intel_05_filters_by_competitor_product_type_province_tag_level_and_dates(client_for, manager):
    competitor, other = CompetitorFactory(), CompetitorFactory()
    tag = TagFactory(name="集采")
    province = Province.objects.get(code="310000")
    match = IntelReportFactory(
        kind=IntelReport.Kind.PRICING, reported_on=datetime.date(2026, 11, 10), confidentiality=CONFIDENTIAL
    )
    match.competitors.add(competitor)
    match.tags.add(tag)
    match.provinces.add(province)
    decoy = IntelReportFactory(kind=IntelReport.Kind.PRICING, reported_on=datetime.date(2026, 11, 10))
    decoy.competitors.add(other)
    client = client_for(manager)
    url = reverse("intel:report_list")
    assert _ids(client.get(url, {"competitor": competitor.pk})) == {match.pk}
    assert _ids(client.get(url, {"tag": tag.pk})) == {match.pk}
    assert _ids(client.get(url, {"province": province.pk})) == {match.pk}
    assert _ids(client.get(url, {"level": CONFIDENTIAL})) == {match.pk}
    assert _ids(client.get(url, {"kind": "pricing"})) == {match.pk, decoy.pk}
    assert _ids(client.get(url, {"kind": "policy"})) == set()
    assert _ids(client.get(url, {"date_from": "2026-11-11"})) == set()
    assert _ids(client.get(url, {"date_from": "2026-11-01", "date_to": "2026-11-10"})) == {match.pk, decoy.pk}


def test_r_intel_05_product_filter(client_for, manager):
    from apps.intel.models import CompetitorProduct

    product = CompetitorProduct.objects.create(competitor=CompetitorFactory(), name="化学发光分析仪 X1")
    match, _decoy = IntelReportFactory(), IntelReportFactory()
    match.products.add(product)
    assert _ids(client_for(manager).get(reverse("intel:report_list"), {"product": product.pk})) == {match.pk}


def test_r_intel_05_bad_filter_values_give_a_message_not_an_error(client_for, staff, internal_report):
    response = client_for(staff).get(
        reverse("intel:report_list"), {"date_from": "0001-01-01", "competitor": "abc", "level": "9", "page": "x"}
    )
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert _ids(response) == {internal_report.pk}


def test_r_intel_03_level_filter_offers_only_levels_within_clearance(client_for, staff, manager):
    staff_choices = [
        value
        for value, _label in client_for(staff)
        .get(reverse("intel:report_list"))
        .context["filter"]
        .form.fields["level"]
        .choices
    ]
    manager_choices = [
        value
        for value, _label in client_for(manager)
        .get(reverse("intel:report_list"))
        .context["filter"]
        .form.fields["level"]
        .choices
    ]
    assert SECRET not in staff_choices
    assert SECRET in manager_choices


def test_r_intel_03_secret_level_filter_shows_the_staff_member_nothing(client_for, staff, secret_report):
    response = client_for(staff).get(reverse("intel:report_list"), {"level": SECRET})
    assert response.status_code == 200
    assert _ids(response) != {secret_report.pk}
    assert secret_report.pk not in _ids(response)


def test_r_intel_02_policy_list_shows_policies_with_issuer_and_number(client_for, staff, manager, internal_report):
    policy = PolicyFactory(document_number="国医保发〔2026〕7号")
    secret_policy = PolicyFactory(confidentiality=SECRET)
    staff_page = client_for(staff).get(reverse("intel:policy_list"))
    manager_page = client_for(manager).get(reverse("intel:policy_list"))
    assert _ids(staff_page) == {policy.pk}
    assert _ids(manager_page) == {policy.pk, secret_policy.pk}
    html = staff_page.content.decode()
    assert "国医保发〔2026〕7号" in html
    assert "国家医疗保障局" in html


# ----- detail


def test_r_intel_03_detail_of_a_secret_report_is_404_for_internal_staff(client_for, staff, manager, secret_report):
    url = reverse("intel:report_detail", args=[secret_report.pk])
    assert client_for(staff).get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 200
    missing = reverse("intel:report_detail", args=[secret_report.pk + 1000])
    assert client_for(manager).get(missing).status_code == 404


def test_r_intel_03_confidential_read_is_logged_internal_read_is_not(client_for, manager, internal_report):
    confidential = IntelReportFactory(confidentiality=CONFIDENTIAL)
    client = client_for(manager)
    client.get(reverse("intel:report_detail", args=[internal_report.pk]))
    client.get(reverse("intel:report_detail", args=[confidential.pk]))
    logged = AccessLog.objects.filter(user=manager)
    assert [(entry.object_id, entry.action) for entry in logged] == [(str(confidential.pk), AccessLog.Action.VIEW)]


def test_r_intel_03_detail_lists_only_attachments_the_viewer_is_cleared_for(
    client_for, staff, manager, internal_report
):
    visible = IntelAttachmentFactory(report=internal_report, original_name="公开附件.pdf")
    hidden = IntelAttachmentFactory(report=internal_report, original_name="绝密附件.pdf", confidentiality=SECRET)
    staff_page = client_for(staff).get(reverse("intel:report_detail", args=[internal_report.pk]))
    manager_page = client_for(manager).get(reverse("intel:report_detail", args=[internal_report.pk]))
    assert [a.pk for a in staff_page.context["attachments"]] == [visible.pk]
    assert "绝密附件" not in staff_page.content.decode()
    assert [a.pk for a in manager_page.context["attachments"]] == [visible.pk, hidden.pk]


def test_r_intel_02_detail_shows_policy_fields_and_relations(client_for, staff):
    policy = PolicyFactory(impact_assessment="对华东市场影响较大")
    policy.tags.add(TagFactory(name="带量采购"))
    competitor = CompetitorFactory(name="迈瑞医疗")
    policy.competitors.add(competitor)
    product = CompetitorProduct.objects.create(competitor=competitor, name="全自动化学发光分析仪")
    policy.products.add(product)
    ours = ProductFactory(name="我方发光仪")
    policy.our_products.add(ours)
    html = client_for(staff).get(reverse("intel:report_detail", args=[policy.pk])).content.decode()
    shown = (
        "国家医疗保障局",
        policy.document_number,
        "对华东市场影响较大",
        "带量采购",
        "全自动化学发光分析仪",
        "我方发光仪",
    )
    for text in shown:
        assert text in html
    assert reverse("intel:competitor_detail", args=[competitor.pk]) in html
    assert reverse("intel:product_detail", args=[product.pk]) in html
    assert reverse("intel:our_product", args=[ours.pk]) in html


def test_r_intel_03_research_plan_above_clearance_is_not_named(client_for, staff, manager, internal_report):
    from apps.intel.models import ResearchPlan

    plan = ResearchPlan.objects.create(
        title="绝密调研计划", objective="o", method="m", starts_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 31), owner=manager, confidentiality=SECRET,
    )  # fmt: skip
    internal_report.research_plan = plan
    internal_report.save()
    url = reverse("intel:report_detail", args=[internal_report.pk])
    plan_url = reverse("intel:plan_detail", args=[plan.pk])
    staff_html = client_for(staff).get(url).content.decode()
    manager_html = client_for(manager).get(url).content.decode()
    assert "绝密调研计划" not in staff_html and plan_url not in staff_html
    assert "绝密调研计划" in manager_html and plan_url in manager_html


def test_r_intel_03_editors_see_the_level_history_readers_do_not(client_for, staff, manager, internal_report):
    LevelChange.objects.create(
        content_type=ContentType.objects.get_for_model(IntelReport), object_id=str(internal_report.pk),
        object_repr=internal_report.title, old_level=0, new_level=1, reason="含客户信息", changed_by=manager,
    )  # fmt: skip
    url = reverse("intel:report_detail", args=[internal_report.pk])
    assert "含客户信息" in client_for(manager).get(url).content.decode()
    assert "含客户信息" not in client_for(staff).get(url).content.decode()


# ----- export


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_r_intel_03_export_holds_only_visible_filtered_rows_and_logs_confidential_ones(
    client_for, staff, manager, internal_report, secret_report, django_assert_num_queries
):
    confidential = IntelReportFactory(title="=HYPERLINK(1)", confidentiality=CONFIDENTIAL)
    staff_rows = _csv_rows(client_for(staff).get(reverse("intel:report_export")))
    manager_response = client_for(manager).get(reverse("intel:report_export"))
    manager_rows = _csv_rows(manager_response)
    assert {row[0] for row in staff_rows[1:]} == {str(internal_report.pk)}
    assert {row[0] for row in manager_rows[1:]} == {
        str(internal_report.pk),
        str(secret_report.pk),
        str(confidential.pk),
    }
    assert manager_response["Cache-Control"] == "private, no-store"
    assert "'=HYPERLINK(1)" in [row[2] for row in manager_rows]
    exported = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    assert sorted((e.user_id, e.object_id) for e in exported) == sorted(
        [(manager.pk, str(secret_report.pk)), (manager.pk, str(confidential.pk))]
    )


def test_r_intel_05_export_follows_the_filters(client_for, manager, internal_report, secret_report):
    rows = _csv_rows(client_for(manager).get(reverse("intel:report_export"), {"level": SECRET}))
    assert [row[0] for row in rows[1:]] == [str(secret_report.pk)]


def test_r_intel_03_export_query_count_is_fixed(client_for, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(manager)
    IntelReportFactory.create_batch(2, confidentiality=SECRET)
    client.get(reverse("intel:report_list"))  # warm the per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("intel:report_export"))
    IntelReportFactory.create_batch(20, confidentiality=SECRET)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("intel:report_export"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 2 + 22
    one_insert = [q for q in many.captured_queries if q["sql"].startswith('INSERT INTO "core_accesslog"')]
    assert len(one_insert) == 1


# ----- download


def test_r_intel_03_attachment_download_checks_clearance(client_for, staff, manager, internal_report):
    secret_file = IntelAttachmentFactory(report=internal_report, confidentiality=SECRET, original_name="底价.pdf")
    url = reverse("intel:attachment_download", args=[secret_file.pk])
    assert client_for(staff).get(url).status_code == 404
    response = client_for(manager).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AccessLog.objects.filter(
        user=manager, action=AccessLog.Action.DOWNLOAD, object_id=str(secret_file.pk)
    ).exists()


def test_r_intel_03_attachment_of_a_secret_report_is_404_even_at_a_low_level(client_for, staff, manager, secret_report):
    attachment = IntelAttachmentFactory(report=secret_report, confidentiality=SECRET)
    attachment.confidentiality = INTERNAL  # inconsistent on purpose: the report's level still protects it
    attachment.save()
    url = reverse("intel:attachment_download", args=[attachment.pk])
    assert client_for(staff).get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 200


def test_r_intel_03_internal_download_is_not_logged(client_for, staff, internal_report):
    attachment = IntelAttachmentFactory(report=internal_report)
    response = client_for(staff).get(reverse("intel:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert not AccessLog.objects.exists()


def test_r_intel_02_archived_report_attachment_is_not_served(client_for, manager, internal_report):
    attachment = IntelAttachmentFactory(report=internal_report)
    internal_report.is_archived = True
    internal_report.save()
    assert client_for(manager).get(reverse("intel:attachment_download", args=[attachment.pk])).status_code == 404
