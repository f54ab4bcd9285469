"""Services of intelligence reports: permission and clearance re-checked for every caller (R-INTEL-02, R-INTEL-03)."""

import datetime
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AccessLog, ConfidentialityLevel, LevelChange
from apps.intel.models import IntelAttachment, IntelReport, Tag
from apps.intel.search import report_reindex, report_search
from apps.intel.selectors.reports import (
    intel_attachment_get,
    intel_attachments_visible_to,
    intel_report_get,
    intel_report_list_visible_to,
)
from apps.intel.services.reports import (
    intel_attachment_add,
    intel_report_archive,
    intel_report_create,
    intel_report_level_change,
    intel_report_update,
    intel_reports_export_log,
    tag_names_parse,
)
from tests.clock import at_working_morning
from tests.intel import factories_reports
from tests.intel.factories_reports import (
    IntelAttachmentFactory,
    IntelReportFactory,
    html_upload,
    office_upload,
    pdf_upload,
)
from tests.stamps import without_stamps

pytestmark = [pytest.mark.django_db, at_working_morning]

researcher = factories_reports.researcher
internal_report = factories_reports.internal_report
secret_report = factories_reports.secret_report

INTERNAL = ConfidentialityLevel.INTERNAL
CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
SECRET = ConfidentialityLevel.SECRET


def _values(**overrides):
    values = {
        "kind": IntelReport.Kind.COMPETITOR_MOVE,
        "title": "某公司发布新款化学发光仪",
        "body": "在华南地区试点。",
        "source": "展会",
        "reported_on": datetime.date(2026, 11, 30),
        "confidentiality": INTERNAL,
    }
    return {**values, **overrides}


def _edit_values(**overrides):
    values = _values(**overrides)
    del values["confidentiality"]
    return values


# ----- selectors


def test_r_intel_03_selectors_side_by_side(staff, manager, internal_report, secret_report):
    assert set(intel_report_list_visible_to(user=staff)) == {internal_report}
    assert set(intel_report_list_visible_to(user=manager)) == {internal_report, secret_report}
    assert intel_report_get(user=manager, pk=secret_report.pk) == secret_report
    from django.http import Http404

    with pytest.raises(Http404):
        intel_report_get(user=staff, pk=secret_report.pk)


def test_r_intel_03_attachments_need_both_report_and_attachment_cleared(staff, manager, internal_report, secret_report):
    low = IntelAttachmentFactory(report=internal_report)
    high = IntelAttachmentFactory(report=internal_report, confidentiality=SECRET)
    under_secret = IntelAttachmentFactory(report=secret_report)
    assert list(intel_attachments_visible_to(user=staff, report=internal_report)) == [low]
    assert list(intel_attachments_visible_to(user=manager, report=internal_report)) == [low, high]
    assert list(intel_attachments_visible_to(user=staff, report=secret_report)) == []
    from django.http import Http404

    assert intel_attachment_get(user=manager, pk=under_secret.pk) == under_secret
    for pk in (high.pk, under_secret.pk):
        with pytest.raises(Http404):
            intel_attachment_get(user=staff, pk=pk)


# ----- create


def test_r_intel_02_create_with_tags_relations_and_alert_after_commit(researcher, django_capture_on_commit_callbacks):
    Tag.objects.create(name="集采")
    with (
        mock.patch("apps.intel.alerts.alerts_item_filed") as alert,
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = intel_report_create(user=researcher, **_values(tags=tag_names_parse("集采、 化学发光，华南, 集采")))
    assert sorted(report.tags.values_list("name", flat=True)) == sorted(["集采", "化学发光", "华南"])
    assert Tag.objects.filter(name="集采").count() == 1
    alert.assert_called_once_with(model="report", pk=report.pk)
    assert report.author == researcher


def test_r_intel_02_no_alert_when_the_transaction_rolls_back(researcher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        intel_report_create(user=researcher, **_values())
    assert len(without_stamps(callbacks)) == 1
    with django_capture_on_commit_callbacks(execute=False) as failed, pytest.raises(ValidationError):
        intel_report_create(user=researcher, **_values(kind=IntelReport.Kind.POLICY))
    assert without_stamps(failed) == []


def test_r_intel_02_create_needs_the_permission(staff, researcher):
    intel_report_create(user=researcher, **_values())
    with pytest.raises(PermissionDenied):
        intel_report_create(user=staff, **_values())


def test_r_intel_03_level_above_the_filers_clearance_is_refused(researcher, manager):
    assert intel_report_create(user=manager, **_values(confidentiality=SECRET)).confidentiality == SECRET
    with pytest.raises(ValidationError) as exc:
        intel_report_create(user=researcher, **_values(confidentiality=CONFIDENTIAL))
    assert exc.value.error_dict["confidentiality"][0].code == "level_above_clearance"
    assert not IntelReport.objects.filter(author=researcher).exists()


def test_r_intel_02_policy_needs_an_issuer_other_types_drop_policy_fields(researcher):
    with pytest.raises(ValidationError) as exc:
        intel_report_create(user=researcher, **_values(kind=IntelReport.Kind.POLICY))
    assert exc.value.error_dict["issuer"][0].code == "issuer_required"
    policy = intel_report_create(
        user=researcher, **_values(kind=IntelReport.Kind.POLICY, issuer="国家药监局", document_number="2026年第5号")
    )
    assert (policy.issuer, policy.document_number) == ("国家药监局", "2026年第5号")
    trend = intel_report_create(user=researcher, **_values(issuer="国家药监局", document_number="x"))
    assert (trend.issuer, trend.document_number) == ("", "")


def test_r_intel_03_research_plan_must_be_visible_to_the_filer(researcher, manager):
    from apps.intel.models import ResearchPlan

    plan = ResearchPlan.objects.create(
        title="绝密调研", objective="o", method="m", starts_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 31), owner=manager, confidentiality=SECRET,
    )  # fmt: skip
    assert intel_report_create(user=manager, **_values(research_plan=plan)).research_plan == plan
    with pytest.raises(ValidationError) as exc:
        intel_report_create(user=researcher, **_values(research_plan=plan))
    assert exc.value.error_dict["research_plan"][0].code == "research_plan_not_visible"


def test_r_intel_02_first_attachment_is_typed_stored_under_a_generated_name_and_indexed(researcher):
    with (
        mock.patch("apps.intel.extract.attachment_text", return_value="附件正文集采") as extract,
        mock.patch("apps.intel.search.report_reindex") as reindex,
    ):
        report = intel_report_create(user=researcher, **_values(attachment=pdf_upload("../../季度 报告.pdf")))
    attachment = report.attachments.get()
    assert attachment.original_name == "季度 报告.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf") and "季度" not in attachment.file.name
    assert attachment.confidentiality == report.confidentiality
    assert attachment.text == "附件正文集采"
    assert extract.call_args.kwargs["content_type"] == "application/pdf"
    reindex.assert_called_once_with(report=report)


@pytest.mark.parametrize(
    ("name", "folder", "mime"),
    [
        ("方案.docx", "word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("中标结果.xlsx", "xl", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_r_intel_02_word_and_excel_attachments_are_accepted(manager, internal_report, name, folder, mime):
    attachment = intel_attachment_add(user=manager, report=internal_report, upload=office_upload(name, folder))
    assert (attachment.original_name, attachment.content_type) == (name, mime)


def test_r_intel_02_unreadable_text_keeps_the_file(manager, internal_report):
    with mock.patch("apps.intel.extract.attachment_text", side_effect=ValueError("broken")):
        attachment = intel_attachment_add(user=manager, report=internal_report, upload=pdf_upload())
    assert attachment.text == ""


def test_r_intel_02_attachment_of_another_type_is_refused(researcher):
    with pytest.raises(ValidationError) as exc:
        intel_report_create(user=researcher, **_values(attachment=html_upload()))
    assert exc.value.error_dict["attachment"][0].code == "attachment_type"
    assert not IntelReport.objects.exists()


# ----- update, attachments


def test_r_intel_02_update_reindexes_and_keeps_the_level(manager, internal_report):
    with mock.patch("apps.intel.search.report_reindex") as reindex:
        intel_report_update(user=manager, report=internal_report, **_edit_values(title="新标题"))
    internal_report.refresh_from_db()
    assert internal_report.title == "新标题"
    assert internal_report.confidentiality == INTERNAL
    reindex.assert_called_once()


def test_r_intel_03_update_needs_permission_and_clearance(staff, researcher, secret_report):
    values = _edit_values()
    with pytest.raises(PermissionDenied):
        intel_report_update(user=researcher, report=secret_report, **values)
    internal = IntelReportFactory()
    with pytest.raises(PermissionDenied):
        intel_report_update(user=staff, report=internal, **values)
    intel_report_update(user=researcher, report=internal, **values)


def test_r_intel_03_attachment_level_at_least_the_reports(manager, researcher):
    report = IntelReportFactory(confidentiality=CONFIDENTIAL)
    with pytest.raises(ValidationError) as exc:
        intel_attachment_add(user=manager, report=report, upload=pdf_upload(), confidentiality=INTERNAL)
    assert exc.value.error_dict["attachment_level"][0].code == "attachment_level_below_report"
    higher = intel_attachment_add(user=manager, report=report, upload=pdf_upload(), confidentiality=SECRET)
    same = intel_attachment_add(user=manager, report=report, upload=pdf_upload())
    assert (higher.confidentiality, same.confidentiality) == (SECRET, CONFIDENTIAL)
    internal = IntelReportFactory()
    with pytest.raises(ValidationError) as above:
        intel_attachment_add(user=researcher, report=internal, upload=pdf_upload(), confidentiality=SECRET)
    assert above.value.error_dict["attachment_level"][0].code == "level_above_clearance"


def test_r_intel_02_attachment_add_reindexes(manager, internal_report):
    with mock.patch("apps.intel.search.report_reindex") as reindex:
        intel_attachment_add(user=manager, report=internal_report, upload=pdf_upload())
    reindex.assert_called_once_with(report=internal_report)


def test_r_intel_03_attachment_add_needs_permission(staff, internal_report):
    with pytest.raises(PermissionDenied):
        intel_attachment_add(user=staff, report=internal_report, upload=pdf_upload())
    assert not IntelAttachment.objects.exists()


# ----- archive


def test_r_intel_02_archive_keeps_the_row_and_leaves_lists_and_search(manager, internal_report):
    report_reindex(report=internal_report)
    visible = intel_report_list_visible_to(user=manager)
    assert list(report_search(queryset=visible, query="华东渠道")) == [internal_report]
    intel_report_archive(user=manager, report=internal_report)
    assert IntelReport.objects.filter(pk=internal_report.pk, is_archived=True).exists()
    assert list(report_search(queryset=intel_report_list_visible_to(user=manager), query="华东渠道")) == []
    with pytest.raises(ValidationError) as exc:
        intel_report_archive(user=manager, report=internal_report)
    assert exc.value.code == "already_archived"


def test_r_intel_03_archive_needs_permission_and_clearance(staff, researcher, secret_report, internal_report):
    with pytest.raises(PermissionDenied):
        intel_report_archive(user=staff, report=internal_report)
    with pytest.raises(PermissionDenied):
        intel_report_archive(user=researcher, report=secret_report)
    intel_report_archive(user=researcher, report=internal_report)


# ----- level change


def test_r_intel_03_level_change_is_audited_and_attachments_follow(manager):
    report = IntelReportFactory(confidentiality=INTERNAL)
    low = IntelAttachmentFactory(report=report, confidentiality=INTERNAL)
    high = IntelAttachmentFactory(report=report, confidentiality=SECRET)
    intel_report_level_change(user=manager, report=report, new_level=CONFIDENTIAL, reason="含投标底价")
    report.refresh_from_db()
    low.refresh_from_db()
    high.refresh_from_db()
    assert (report.confidentiality, low.confidentiality, high.confidentiality) == (CONFIDENTIAL, CONFIDENTIAL, SECRET)
    changes = LevelChange.objects.order_by("id")
    assert [(c.content_type.model_class(), c.object_id, c.old_level, c.new_level, c.reason) for c in changes] == [
        (IntelReport, str(report.pk), INTERNAL, CONFIDENTIAL, "含投标底价"),
        (IntelAttachment, str(low.pk), INTERNAL, CONFIDENTIAL, "含投标底价"),
    ]


def test_r_intel_03_level_change_rules(manager, researcher, internal_report, secret_report):
    with pytest.raises(ValidationError) as no_reason:
        intel_report_level_change(user=manager, report=internal_report, new_level=SECRET, reason="  ")
    assert no_reason.value.error_dict["reason"][0].code == "reason_required"
    with pytest.raises(ValidationError) as same:
        intel_report_level_change(user=manager, report=internal_report, new_level=INTERNAL, reason="r")
    assert same.value.error_dict["new_level"][0].code == "level_unchanged"
    with pytest.raises(ValidationError) as above:
        intel_report_level_change(user=researcher, report=internal_report, new_level=SECRET, reason="r")
    assert above.value.error_dict["new_level"][0].code == "level_above_clearance"
    with pytest.raises(PermissionDenied):
        intel_report_level_change(user=researcher, report=secret_report, new_level=INTERNAL, reason="r")
    assert not LevelChange.objects.exists()
    intel_report_level_change(
        user=researcher, report=internal_report, new_level=ConfidentialityLevel.PUBLIC, reason="已公开"
    )
    assert LevelChange.objects.get().changed_by == researcher


# ----- export log


def test_r_intel_03_export_log_refuses_rows_above_clearance(staff, manager, internal_report, secret_report):
    with pytest.raises(PermissionDenied):
        intel_reports_export_log(user=staff, reports=[internal_report, secret_report])
    assert intel_reports_export_log(user=manager, reports=[internal_report, secret_report]) == 1
    entry = AccessLog.objects.get()
    assert (entry.object_id, entry.action, entry.content_type) == (
        str(secret_report.pk),
        AccessLog.Action.EXPORT,
        ContentType.objects.get_for_model(IntelReport),
    )


def test_tag_names_parse():
    assert tag_names_parse(" 集采、化学发光,  华南 ，集采；IVD ") == ["集采", "化学发光", "华南", "IVD"]
    assert tag_names_parse("") == []
