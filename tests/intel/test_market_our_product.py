"""Our product's page (R-ORG-04): lifecycle stage, focus duties, competitor products and intelligence."""

import pytest
from django.urls import reverse

from apps.org.models import Duty, StageFocus
from tests.clock import WORKING_MORNING
from tests.factories import ProductFactory
from tests.intel import factories_market as fm
from tests.intel.factories_market import SECRET, CompetitorProductFactory, IntelReportFactory

our_product = fm.our_product

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def test_r_org_04_page_shows_the_stage_its_focus_and_duties(client_for, staff, our_product):
    stage = our_product.stage
    focus = StageFocus.objects.filter(stage=stage).first() or StageFocus.objects.create(
        stage=stage, number=99, text="抢占市场份额"
    )
    duty = Duty.objects.filter(position__isnull=True).first()
    focus.duties.add(duty)

    html = client_for(staff).get(reverse("intel:our_product", args=[our_product.pk])).content.decode()

    assert stage.name in html
    assert focus.text in html
    assert duty.text in html


def test_the_focus_follows_the_stage(client_for, staff, our_product):
    other_stage_focus = StageFocus.objects.exclude(stage=our_product.stage).first()
    html = client_for(staff).get(reverse("intel:our_product", args=[our_product.pk])).content.decode()
    if other_stage_focus and other_stage_focus.text not in {f.text for f in our_product.stage.focus_items.all()}:
        assert other_stage_focus.text not in html


def test_competitor_products_and_reports_the_viewer_may_see(client_for, staff, manager, our_product):
    compared = CompetitorProductFactory(our_product=our_product, name="对标仪器")
    CompetitorProductFactory(name="无关仪器")
    IntelReportFactory(our_products=[our_product], title="我方产品情报")
    IntelReportFactory(products=[compared], title="对标产品情报")
    IntelReportFactory(products=[compared], title="绝密对标情报", confidentiality=SECRET)
    IntelReportFactory(title="无关情报")
    url = reverse("intel:our_product", args=[our_product.pk])

    staff_html = client_for(staff).get(url).content.decode()
    manager_html = client_for(manager).get(url).content.decode()

    assert "对标仪器" in staff_html and "无关仪器" not in staff_html
    assert "我方产品情报" in staff_html and "对标产品情报" in staff_html
    assert "绝密对标情报" not in staff_html and "无关情报" not in staff_html
    assert "绝密对标情报" in manager_html
    assert f"{reverse('intel:price_compare')}?product={our_product.pk}" in staff_html


def test_a_report_on_two_compared_products_is_listed_once(client_for, staff, our_product):
    first, second = CompetitorProductFactory.create_batch(2, our_product=our_product)
    IntelReportFactory(products=[first, second], our_products=[our_product], title="三方对比")
    response = client_for(staff).get(reverse("intel:our_product", args=[our_product.pk]))
    assert [report.title for report in response.context["reports"]] == ["三方对比"]


def _fill(product, n):
    for _ in range(n):
        competitor_product = CompetitorProductFactory(our_product=product)
        IntelReportFactory(products=[competitor_product], our_products=[product])


def test_fixed_number_of_queries(client_for, staff, django_assert_num_queries):
    product = ProductFactory()
    client = client_for(staff)
    url = reverse("intel:our_product", args=[product.pk])
    _fill(product, 2)
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)
    _fill(product, 10)
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)


def test_unknown_product_is_404(client_for, staff):
    assert client_for(staff).get(reverse("intel:our_product", args=[999999])).status_code == 404
