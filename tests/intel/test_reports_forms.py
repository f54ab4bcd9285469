"""Filing, editing, archiving and re-levelling reports through the pages (R-INTEL-02, R-INTEL-03)."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.core.models import ConfidentialityLevel, LevelChange
from apps.intel.models import IntelAttachment, IntelReport
from tests.clock import at_working_morning
from tests.intel import factories_reports
from tests.intel.factories_reports import CompetitorFactory, IntelReportFactory, html_upload, pdf_upload

pytestmark = [pytest.mark.django_db, at_working_morning]

researcher = factories_reports.researcher
internal_report = factories_reports.internal_report
secret_report = factories_reports.secret_report

INTERNAL = ConfidentialityLevel.INTERNAL
CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
SECRET = ConfidentialityLevel.SECRET


def _form(**overrides):
    data = {
        "kind": "competitor",
        "title": "竞品在华南降价",
        "body": "据经销商反馈，降价约一成。",
        "source": "经销商",
        "reported_on": "2026-11-30",
        "confidentiality": str(INTERNAL),
        "tags": "降价、华南",
    }
    return {**data, **overrides}


def test_r_intel_02_create_page_needs_the_permission(client_for, staff, researcher):
    url = reverse("intel:report_create")
    assert client_for(staff).get(url).status_code == 403
    assert client_for(staff).post(url, _form()).status_code == 403
    assert client_for(researcher).get(url).status_code == 200
    assert not IntelReport.objects.exists()


def test_r_intel_02_create_files_the_report_with_tags_and_attachment(client_for, researcher):
    competitor = CompetitorFactory()
    with mock.patch("apps.intel.alerts.alerts_item_filed"):
        response = client_for(researcher).post(
            reverse("intel:report_create"),
            _form(competitors=[competitor.pk], attachment=pdf_upload("价目表.pdf")),
        )
    report = IntelReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intel:report_detail", args=[report.pk])
    assert sorted(report.tags.values_list("name", flat=True)) == ["华南", "降价"]
    assert list(report.competitors.all()) == [competitor]
    assert report.attachments.get().original_name == "价目表.pdf"


def test_r_intel_03_level_above_clearance_refused_with_a_message_and_input_kept(client_for, researcher, manager):
    response = client_for(researcher).post(reverse("intel:report_create"), _form(confidentiality=str(SECRET)))
    assert response.status_code == 200
    assert response.context["form"].errors["confidentiality"]
    assert "竞品在华南降价" in response.content.decode()
    assert not IntelReport.objects.exists()
    ok = client_for(manager).post(reverse("intel:report_create"), _form(confidentiality=str(SECRET)))
    assert ok.status_code == 302
    assert IntelReport.objects.get().confidentiality == SECRET


def test_r_intel_02_policy_needs_an_issuer_on_the_form(client_for, researcher):
    response = client_for(researcher).post(reverse("intel:report_create"), _form(kind="policy"))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["issuer"]] == ["issuer_required"]
    ok = client_for(researcher).post(
        reverse("intel:report_create"),
        _form(kind="policy", issuer="国家卫健委", issuer_kind="government", document_number="国卫医发〔2026〕3号",
              effective_on="2027-01-01", impact_assessment="影响较大"),
    )  # fmt: skip
    assert ok.status_code == 302
    policy = IntelReport.objects.get()
    assert (policy.issuer, policy.document_number, str(policy.effective_on)) == (
        "国家卫健委",
        "国卫医发〔2026〕3号",
        "2027-01-01",
    )


def test_r_intel_02_bad_input_gives_messages_not_a_500(client_for, researcher):
    response = client_for(researcher).post(
        reverse("intel:report_create"),
        _form(
            reported_on="0001-01-01", confidentiality="9", competitors=["x"], attachment=html_upload(), tags="a" * 41
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    for field in ("reported_on", "confidentiality", "competitors", "attachment", "tags"):
        assert field in errors
    assert not IntelReport.objects.exists()
    assert not IntelAttachment.objects.exists()


def test_r_intel_02_edit_keeps_the_level_and_needs_clearance(client_for, researcher, internal_report, secret_report):
    url = reverse("intel:report_edit", args=[internal_report.pk])
    assert client_for(researcher).get(url).status_code == 200
    response = client_for(researcher).post(url, _form(title="改过的标题", confidentiality=str(SECRET)))
    assert response.status_code == 302
    internal_report.refresh_from_db()
    assert (internal_report.title, internal_report.confidentiality) == ("改过的标题", INTERNAL)
    assert client_for(researcher).get(reverse("intel:report_edit", args=[secret_report.pk])).status_code == 404


def test_r_intel_02_staff_cannot_edit(client_for, staff, internal_report):
    assert client_for(staff).get(reverse("intel:report_edit", args=[internal_report.pk])).status_code == 403
    assert client_for(staff).post(reverse("intel:report_edit", args=[internal_report.pk]), _form()).status_code == 403


def test_r_intel_02_archive_asks_first_then_archives(client_for, staff, manager, internal_report):
    url = reverse("intel:report_archive", args=[internal_report.pk])
    confirm = client_for(manager).get(url)
    assert confirm.status_code == 200
    internal_report.refresh_from_db()
    assert not internal_report.is_archived
    assert client_for(staff).post(url).status_code == 403
    response = client_for(manager).post(url)
    assert response.status_code == 302
    internal_report.refresh_from_db()
    assert internal_report.is_archived
    assert client_for(manager).get(reverse("intel:report_detail", args=[internal_report.pk])).status_code == 404


def test_r_intel_03_archive_of_a_secret_report_is_404_for_the_uncleared(client_for, researcher, secret_report):
    assert client_for(researcher).post(reverse("intel:report_archive", args=[secret_report.pk])).status_code == 404
    secret_report.refresh_from_db()
    assert not secret_report.is_archived


def test_r_intel_03_attachment_add_page(client_for, staff, manager, internal_report):
    url = reverse("intel:attachment_add", args=[internal_report.pk])
    assert client_for(staff).post(url, {"attachment": pdf_upload()}).status_code == 403
    bad = client_for(manager).post(
        url, {"attachment": pdf_upload(), "confidentiality": str(ConfidentialityLevel.PUBLIC)}
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors
    wrong_type = client_for(manager).post(url, {"attachment": html_upload()})
    assert wrong_type.status_code == 200 and wrong_type.context["form"].errors["attachment"]
    ok = client_for(manager).post(url, {"attachment": pdf_upload("标书.pdf"), "confidentiality": str(SECRET)})
    assert ok.status_code == 302
    attachment = internal_report.attachments.get()
    assert (attachment.original_name, attachment.confidentiality) == ("标书.pdf", SECRET)


def test_r_intel_03_level_page_refuses_a_level_above_clearance_with_a_message(client_for, researcher, internal_report):
    url = reverse("intel:report_level", args=[internal_report.pk])
    response = client_for(researcher).post(url, {"new_level": str(SECRET), "reason": "涉及底价"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["new_level"]] == ["level_above_clearance"]
    assert "涉及底价" in response.content.decode()
    assert not LevelChange.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_r_intel_03_level_change_through_the_view_locks_and_audits(client_for, manager):
    report = IntelReportFactory(confidentiality=INTERNAL)
    url = reverse("intel:report_level", args=[report.pk])
    response = client_for(manager).post(url, {"new_level": str(SECRET), "reason": "含投标底价"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.confidentiality == SECRET
    change = LevelChange.objects.get()
    assert (change.old_level, change.new_level, change.reason, change.changed_by) == (
        INTERNAL,
        SECRET,
        "含投标底价",
        manager,
    )
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
