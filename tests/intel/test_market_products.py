"""Competitor products (R-INTEL-01): typed and key/value specs, our comparable product, chart, reports."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.intel.models import CompetitorProduct
from apps.intel.services.market import competitor_product_create, competitor_product_update
from tests.clock import WORKING_MORNING
from tests.intel import factories_market as fm  # noqa: E402
from tests.intel.factories_market import (
    SECRET,
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
)

our_product = fm.our_product
researcher = fm.researcher

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def _spec_data(rows, initial=0):
    data = {
        "specs-TOTAL_FORMS": str(len(rows)),
        "specs-INITIAL_FORMS": str(initial),
        "specs-MIN_NUM_FORMS": "0",
        "specs-MAX_NUM_FORMS": "60",
    }
    for index, row in enumerate(rows):
        data[f"specs-{index}-key"], data[f"specs-{index}-value"] = row[:2]
        if len(row) > 2 and row[2]:
            data[f"specs-{index}-DELETE"] = "on"
    return data


def test_create_with_typed_and_key_value_specs(client_for, researcher, our_product):
    competitor = CompetitorFactory()
    data = {
        "competitor": competitor.pk,
        "name": "Cobas e 411",
        "methodology": "clia",
        "throughput_per_hour": "86",
        "sample_types": "血清、血浆",
        "registration_number": "国械注进20172400001",
        "our_product": our_product.pk,
        **_spec_data([("检测项目", "36项"), ("试剂位", "18个"), ("", "")]),
    }
    response = client_for(researcher).post(reverse("intel:product_create"), data)

    product = CompetitorProduct.objects.get(name="Cobas e 411")
    assert response.status_code == 302
    assert (product.throughput_per_hour, product.our_product) == (86, our_product)
    assert list(product.specs.values_list("key", "value")) == [("检测项目", "36项"), ("试剂位", "18个")]


def test_edit_replaces_the_specs_and_refuses_duplicates(client_for, researcher):
    product = CompetitorProductFactory(name="仪器A")
    product.specs.create(key="检测项目", value="20项")
    product.specs.create(key="体积", value="大")
    url = reverse("intel:product_edit", args=[product.pk])
    base = {"name": "仪器A", "methodology": "clia"}

    duplicate = client_for(researcher).post(url, {**base, **_spec_data([("检测项目", "1"), ("检测项目", "2")], 2)})
    assert duplicate.status_code == 200
    assert 'data-testid="spec-errors"' in duplicate.content.decode()

    client_for(researcher).post(
        url, {**base, **_spec_data([("检测项目", "36项"), ("体积", "大", True), ("重量", "80kg")], 2)}
    )
    assert list(product.specs.values_list("key", "value")) == [("检测项目", "36项"), ("重量", "80kg")]


def test_only_managers_create_or_edit_products(client_for, staff, researcher):
    competitor = CompetitorFactory()
    product = CompetitorProductFactory(competitor=competitor)
    assert client_for(staff).get(reverse("intel:product_create")).status_code == 403
    assert client_for(staff).get(reverse("intel:product_edit", args=[product.pk])).status_code == 403
    assert client_for(researcher).get(reverse("intel:product_edit", args=[product.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        competitor_product_create(user=staff, competitor=competitor, name="x")
    with pytest.raises(PermissionDenied):
        competitor_product_update(user=staff, product=product, name="x")


def test_services_refuse_duplicate_names_and_specs(researcher):
    competitor = CompetitorFactory()
    competitor_product_create(user=researcher, competitor=competitor, name="仪器B")
    with pytest.raises(ValidationError) as exc:
        competitor_product_create(user=researcher, competitor=competitor, name="仪器B")
    assert exc.value.error_dict["name"][0].code == "duplicate_product"
    with pytest.raises(ValidationError) as exc:
        competitor_product_create(user=researcher, competitor=competitor, name="仪器C", specs=[("a", "1"), ("A", "2")])
    assert exc.value.code == "duplicate_spec"
    archived = CompetitorFactory(is_active=False)
    with pytest.raises(ValidationError) as exc:
        competitor_product_create(user=researcher, competitor=archived, name="仪器D")
    assert exc.value.code == "competitor_archived"


def test_detail_shows_specs_our_product_chart_and_visible_reports(client_for, staff, manager, our_product):
    product = CompetitorProductFactory(registration_number="国械注准20203400123", our_product=our_product)
    product.specs.create(key="检测项目", value="36项")
    IntelReportFactory(products=[product], title="内部情报")
    IntelReportFactory(products=[product], title="绝密情报", confidentiality=SECRET)
    url = reverse("intel:product_detail", args=[product.pk])

    staff_html = client_for(staff).get(url).content.decode()
    manager_html = client_for(manager).get(url).content.decode()

    assert "国械注准20203400123" in staff_html and "36项" in staff_html
    assert reverse("intel:our_product", args=[our_product.pk]) in staff_html
    assert "内部情报" in staff_html and "绝密情报" not in staff_html
    assert "绝密情报" in manager_html
    chart_url = reverse("intel:product_price_chart", args=[product.pk])
    assert f'data-price-chart="{chart_url}"' in staff_html
    assert "js/intel_prices.js" in staff_html


def test_unknown_product_is_404(client_for, staff):
    assert client_for(staff).get(reverse("intel:product_detail", args=[999999])).status_code == 404
