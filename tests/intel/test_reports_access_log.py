"""The confidential access log and the level changes, for the manager only (R-INTEL-03)."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.core.models import AccessLog, ConfidentialityLevel, LevelChange
from apps.intel.models import IntelReport, PriceObservation
from tests.clock import at_working_morning
from tests.factories import UserFactory
from tests.intel import factories_reports

pytestmark = [pytest.mark.django_db, at_working_morning]

researcher = factories_reports.researcher
internal_report = factories_reports.internal_report
secret_report = factories_reports.secret_report

CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
SECRET = ConfidentialityLevel.SECRET


def _log(user, report, action=AccessLog.Action.VIEW, model=IntelReport):
    return AccessLog.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(report.pk),
        object_repr=report.title,
        confidentiality=report.confidentiality,
        action=action,
    )


def _ids(response):
    return {entry.pk for entry in response.context["page_obj"].object_list}


def test_r_intel_03_only_the_manager_sees_the_log(client_for, staff, researcher, manager):
    url = reverse("intel:access_log")
    assert client_for(staff).get(url).status_code == 403
    assert client_for(researcher).get(url).status_code == 403
    assert client_for(staff).get(url, {"tab": "changes"}).status_code == 403
    assert client_for(staff).get(url, {"export": "csv"}).status_code == 403
    assert client_for(manager).get(url).status_code == 200


def test_r_intel_03_the_log_is_filtered(client_for, manager, secret_report):
    reader = UserFactory(full_name="孙读者")
    confidential = factories_reports.IntelReportFactory(confidentiality=CONFIDENTIAL)
    viewed = _log(reader, secret_report)
    downloaded = _log(manager, confidential, AccessLog.Action.DOWNLOAD)
    price = _log(manager, confidential, AccessLog.Action.EXPORT, model=PriceObservation)
    client = client_for(manager)
    url = reverse("intel:access_log")
    assert _ids(client.get(url)) == {viewed.pk, downloaded.pk, price.pk}
    assert _ids(client.get(url, {"person": reader.pk})) == {viewed.pk}
    assert _ids(client.get(url, {"action": "download"})) == {downloaded.pk}
    assert _ids(client.get(url, {"level": SECRET})) == {viewed.pk}
    item_type = ContentType.objects.get_for_model(PriceObservation).pk
    assert _ids(client.get(url, {"item_type": item_type})) == {price.pk}
    assert _ids(client.get(url, {"date_from": "2026-12-01", "date_to": "2026-12-01"})) == {
        viewed.pk,
        downloaded.pk,
        price.pk,
    }
    assert _ids(client.get(url, {"date_from": "2026-12-02"})) == set()
    bad = client.get(url, {"date_from": "0001-01-01", "person": "x", "page": "9"})
    assert bad.status_code == 200 and bad.context["filter"].errors


def test_r_intel_03_log_rows_above_the_readers_clearance_are_left_out(client_for, manager, secret_report):
    secret_entry = _log(manager, secret_report)
    manager.clearance = CONFIDENTIAL
    manager.save()
    assert secret_entry.pk not in _ids(client_for(manager).get(reverse("intel:access_log")))


def test_r_intel_03_log_export_csv(client_for, manager, secret_report):
    _log(manager, secret_report, AccessLog.Action.DOWNLOAD)
    response = client_for(manager).get(reverse("intel:access_log"), {"export": "csv", "action": "download"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert secret_report.title in rows[1]


def test_r_intel_03_level_changes_tab(client_for, manager, internal_report):
    LevelChange.objects.create(
        content_type=ContentType.objects.get_for_model(IntelReport),
        object_id=str(internal_report.pk),
        object_repr=internal_report.title,
        old_level=1,
        new_level=2,
        reason="含客户名单",
        changed_by=manager,
    )
    response = client_for(manager).get(reverse("intel:access_log"), {"tab": "changes"})
    assert response.status_code == 200
    assert "含客户名单" in response.content.decode()
    export = client_for(manager).get(reverse("intel:access_log"), {"tab": "changes", "export": "csv"})
    assert "含客户名单" in export.content.decode("utf-8-sig")


def test_r_intel_03_price_chart_reads_can_be_filtered_by_their_product_type(client_for, manager, secret_report):
    """A price chart is logged as one read of its product (not a classified model itself): the log's item
    type filter offers competitor products, and our products, so the manager can find those reads."""
    from apps.intel.models import CompetitorProduct
    from apps.org.models import Product

    from .factories_follows import CompetitorProductFactory

    product = CompetitorProductFactory()
    chart = AccessLog.objects.create(
        user=manager,
        content_type=ContentType.objects.get_for_model(CompetitorProduct),
        object_id=str(product.pk),
        object_repr="价格走势图",
        confidentiality=SECRET,
        action=AccessLog.Action.VIEW,
    )
    _log(manager, secret_report)
    client = client_for(manager)
    url = reverse("intel:access_log")

    item_type = ContentType.objects.get_for_model(CompetitorProduct).pk
    assert _ids(client.get(url, {"item_type": item_type})) == {chart.pk}
    offered = {choice.pk for choice in client.get(url).context["filter"].form.fields["item_type"].queryset}
    assert {item_type, ContentType.objects.get_for_model(Product).pk} <= offered
