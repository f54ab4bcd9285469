"""Competitors (R-INTEL-01): list, counts under clearance, detail, create/edit, archive."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.intel.models import Competitor, Province
from apps.intel.services.market import competitor_archive, competitor_create, competitor_update
from tests.clock import WORKING_MORNING
from tests.intel import factories_market as fm  # noqa: E402
from tests.intel.factories_market import (
    SECRET,
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
)

researcher = fm.researcher

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def _row_counts(response, competitor):
    html = response.content.decode()
    start = html.index(f'href="{reverse("intel:competitor_detail", args=[competitor.pk])}"')
    row = html[start : html.index("</tr>", start)]
    product = row.split('data-testid="product-count">')[1].split("<")[0]
    report = row.split('data-testid="report-count">')[1].split("<")[0]
    return int(product), int(report)


def test_r_intel_03_report_count_only_counts_what_the_viewer_may_see(client_for, staff, manager):
    competitor = CompetitorFactory()
    CompetitorProductFactory.create_batch(2, competitor=competitor)
    CompetitorProductFactory(competitor=competitor, is_active=False)
    IntelReportFactory.create_batch(2, competitors=[competitor])
    IntelReportFactory(competitors=[competitor], confidentiality=SECRET)
    IntelReportFactory(competitors=[competitor], is_archived=True)

    staff_page = client_for(staff).get(reverse("intel:competitor_list"))
    manager_page = client_for(manager).get(reverse("intel:competitor_list"))

    assert _row_counts(staff_page, competitor) == (2, 2)
    assert _row_counts(manager_page, competitor) == (2, 3)


def test_list_searches_by_name_filters_by_province_and_hides_archived(client_for, staff):
    shanghai, beijing = Province.objects.get(code="310000"), Province.objects.get(code="110000")
    strong = CompetitorFactory(name="迈瑞医疗")
    strong.strong_provinces.set([shanghai])
    other = CompetitorFactory(name="安图生物")
    other.strong_provinces.set([beijing])
    CompetitorFactory(name="迈克生物", is_active=False)
    client = client_for(staff)

    by_name = client.get(reverse("intel:competitor_list"), {"q": "迈"}).content.decode()
    by_province = client.get(reverse("intel:competitor_list"), {"province": shanghai.pk}).content.decode()

    assert "迈瑞医疗" in by_name and "安图生物" not in by_name and "迈克生物" not in by_name
    assert "迈瑞医疗" in by_province and "安图生物" not in by_province


def test_list_with_a_bad_filter_is_not_an_error(client_for, staff):
    response = client_for(staff).get(reverse("intel:competitor_list"), {"province": "abc"})
    assert response.status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _make(n):
    shanghai = Province.objects.get(code="310000")
    for _ in range(n):
        competitor = CompetitorFactory()
        competitor.strong_provinces.set([shanghai])
        CompetitorProductFactory(competitor=competitor)
        IntelReportFactory(competitors=[competitor])


def test_competitor_list_does_not_grow_with_rows(client_for, staff):
    client = client_for(staff)
    url = reverse("intel:competitor_list")
    _make(2)
    client.get(url)
    with_two = _queries(client, url)
    _make(28)
    client.get(url)
    assert _queries(client, url) == with_two


def test_detail_shows_the_reports_the_viewer_may_see(client_for, staff, manager):
    competitor = CompetitorFactory(website="https://example.com", headquarters="深圳", notes="上市公司")
    competitor.strong_provinces.set([Province.objects.get(code="440000")])
    product = CompetitorProductFactory(competitor=competitor, name="发光仪X")
    IntelReportFactory(competitors=[competitor], title="公开动态")
    IntelReportFactory(competitors=[competitor], title="绝密动态", confidentiality=SECRET)
    url = reverse("intel:competitor_detail", args=[competitor.pk])

    staff_html = client_for(staff).get(url).content.decode()
    manager_html = client_for(manager).get(url).content.decode()

    for text in ("https://example.com", "深圳", "上市公司", "广东", product.name, "公开动态"):
        assert text in staff_html
    assert "绝密动态" not in staff_html
    assert "绝密动态" in manager_html


def test_create_and_edit_need_the_permission(client_for, staff, researcher):
    assert client_for(staff).get(reverse("intel:competitor_create")).status_code == 403
    response = client_for(researcher).post(
        reverse("intel:competitor_create"),
        {
            "name": "新产业",
            "website": "https://snibe.example",
            "strong_provinces": [Province.objects.get(code="110000").pk],
        },
    )
    competitor = Competitor.objects.get(name="新产业")
    assert response.status_code == 302
    assert list(competitor.strong_provinces.values_list("code", flat=True)) == ["110000"]

    edit = reverse("intel:competitor_edit", args=[competitor.pk])
    assert client_for(staff).post(edit, {"name": "改名"}).status_code == 403
    client_for(researcher).post(edit, {"name": "新产业生物", "headquarters": "深圳"})
    competitor.refresh_from_db()
    assert (competitor.name, competitor.headquarters) == ("新产业生物", "深圳")


def test_bad_input_keeps_the_input_and_explains(client_for, researcher):
    CompetitorFactory(name="罗氏诊断")
    response = client_for(researcher).post(
        reverse("intel:competitor_create"), {"name": "罗氏诊断", "website": "not a url"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="罗氏诊断"' in response.content.decode()


def test_services_recheck_the_permission(staff, researcher):
    with pytest.raises(PermissionDenied):
        competitor_create(user=staff, name="甲")
    competitor = competitor_create(user=researcher, name="甲")
    with pytest.raises(PermissionDenied):
        competitor_update(user=staff, competitor=competitor, name="乙")
    with pytest.raises(PermissionDenied):
        competitor_archive(user=staff, competitor=competitor)
    with pytest.raises(ValidationError) as exc:
        competitor_create(user=researcher, name="甲")
    assert exc.value.error_dict["name"][0].code == "duplicate_name"


def test_archive_hides_instead_of_deleting(client_for, staff, researcher):
    competitor = CompetitorFactory(name="待归档公司")
    url = reverse("intel:competitor_archive", args=[competitor.pk])
    assert client_for(staff).post(url).status_code == 403
    assert client_for(researcher).get(url).status_code == 405

    client_for(researcher).post(url, {"archived": "1"})

    competitor.refresh_from_db()
    assert competitor.is_active is False
    assert "待归档公司" not in client_for(staff).get(reverse("intel:competitor_list")).content.decode()
    assert client_for(staff).get(reverse("intel:competitor_detail", args=[competitor.pk])).status_code == 200
    with pytest.raises(ValidationError) as exc:
        competitor_archive(user=researcher, competitor=competitor)
    assert exc.value.code == "already_archived"
    client_for(researcher).post(url, {"archived": "0"})
    competitor.refresh_from_db()
    assert competitor.is_active is True


def test_people_without_intel_access_are_refused(client_for, db):
    from tests.factories import UserFactory

    outsider = UserFactory()
    assert client_for(outsider).get(reverse("intel:competitor_list")).status_code == 403
