"""My position and duties (issue 8): the regulation's duties of one's position on a page of its own,
linked from the dashboard and the menu; the static text is cached per language and position."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.org import selectors
from apps.org.models import Duty
from tests.clock import at_working_morning
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, at_working_morning]
URL = reverse("org:my_position")
DUTY_ZH = "全面计划、安排、管理市场部工作"


def _get(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def _reads_position_text(sql: list[str]) -> bool:
    return any('"org_duty"' in q or '"org_position"' in q for q in sql)


def test_r_org_03_position_page_lists_my_duties_in_chinese(client_for, manager):
    html, _sql = _get(client_for(manager))

    assert "市场部经理" in html
    assert DUTY_ZH in html
    assert 'data-testid="position-duties"' in html


def test_position_page_in_english(client_for, manager):
    manager.language = "en"
    manager.save()

    html, _sql = _get(client_for(manager))

    assert "Marketing manager" in html
    assert "市场部经理" not in html and DUTY_ZH not in html


def test_warm_cache_costs_no_query_for_the_duty_text(client_for, manager):
    client = client_for(manager)
    _html, cold = _get(client)
    assert _reads_position_text(cold)

    html, warm = _get(client)

    assert not _reads_position_text(warm)
    assert DUTY_ZH in html


def test_cache_is_per_language(client_for, manager):
    _get(client_for(manager))  # Chinese text cached
    manager.language = "en"
    manager.save()

    html, sql = _get(client_for(manager))

    assert _reads_position_text(sql)
    assert "Marketing manager" in html and DUTY_ZH not in html


def test_cache_is_per_position(client_for, manager, assistant):
    _get(client_for(manager))

    html, sql = _get(client_for(assistant))

    assert _reads_position_text(sql)
    assert DUTY_ZH not in html


def test_a_new_cache_version_reads_the_text_again(client_for, manager, monkeypatch):
    client = client_for(manager)
    _get(client)
    Duty.objects.filter(position=manager.position, number=1).update(text="新的第一条职责")
    monkeypatch.setattr(selectors, "POSITION_CACHE_VERSION", selectors.POSITION_CACHE_VERSION + 1)

    html, sql = _get(client)

    assert _reads_position_text(sql)
    assert "新的第一条职责" in html


def test_person_without_a_position_is_told_so(client_for):
    html, sql = _get(client_for(UserFactory(position=None)))

    assert 'data-testid="no-position"' in html
    assert not _reads_position_text(sql)


def test_dashboard_links_to_the_page_instead_of_listing_the_duties(client_for, manager):
    response = client_for(manager).get(reverse("org:dashboard"))
    html = response.content.decode()

    assert DUTY_ZH not in html
    assert 'data-testid="my-position">市场部经理<' in html
    position_card = html[html.index('data-testid="dashboard-position"') :]
    assert f'href="{URL}"' in position_card[: position_card.index("</div>\n    </div>")]


def test_the_menu_has_the_page(client_for, staff):
    html = client_for(staff).get(reverse("org:dashboard")).content.decode()
    sidebar_links = html.count(f'href="{URL}"')
    assert sidebar_links >= 1
    page, _sql = _get(client_for(staff))
    assert 'aria-current="page"' in page[page.index(f'href="{URL}"') - 200 : page.index(f'href="{URL}"') + 200]
