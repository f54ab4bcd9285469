"""My position and duties (issue 8): the regulation's duties of one's position on a page of its own,
linked from the dashboard and the menu; the static text is cached per language and position."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.org import selectors
from apps.org.models import Duty, LifecycleStage
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


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True))


def _duty_form(duty, **changes):
    data = {
        "code": duty.code,
        "function": duty.function,
        "position": duty.position_id or "",
        "number": duty.number,
        "text": duty.text,
        "text_en": duty.text_en,
    }
    return {**data, **changes}


def test_a_duty_edited_in_admin_shows_at_once(client_for, manager, admin_client):
    client = client_for(manager)
    assert DUTY_ZH in _get(client)[0]  # cached
    duty = Duty.objects.get(position=manager.position, number=1)

    response = admin_client.post(
        reverse("admin:org_duty_change", args=[duty.pk]), _duty_form(duty, text="新的第一条职责")
    )

    assert response.status_code == 302
    html, sql = _get(client)
    assert _reads_position_text(sql)
    assert "新的第一条职责" in html and DUTY_ZH not in html


def test_a_duty_deleted_in_admin_disappears_at_once(client_for, manager, admin_client):
    client = client_for(manager)
    assert DUTY_ZH in _get(client)[0]
    duty = Duty.objects.get(position=manager.position, number=1)

    response = admin_client.post(reverse("admin:org_duty_delete", args=[duty.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert DUTY_ZH not in _get(client)[0]


def test_a_change_that_bypasses_the_models_keeps_the_cached_text(client_for, manager):
    """The other side: a bulk update sends no signal, so the cached text is what the page shows."""
    client = client_for(manager)
    _get(client)
    Duty.objects.filter(position=manager.position, number=1).update(text="新的第一条职责")

    html, sql = _get(client)

    assert not _reads_position_text(sql)
    assert DUTY_ZH in html


def test_a_product_added_in_admin_shows_on_the_lifecycle_card_at_once(client_for, manager, admin_client):
    client = client_for(manager)
    client.get(reverse("org:dashboard"))  # the lifecycle card is cached
    stage = LifecycleStage.objects.order_by("sort_order").first()

    response = admin_client.post(
        reverse("admin:org_product_add"),
        {"code": "P-NEW", "name": "新产品甲", "stage": stage.pk, "description": "", "is_active": "on"},
    )

    assert response.status_code == 302
    assert "新产品甲" in client.get(reverse("org:dashboard")).content.decode()
    assert "新产品甲" in client.get(reverse("org:department")).content.decode()


def test_the_lifecycle_card_is_cached_per_language(client_for, manager):
    client = client_for(manager)
    client.get(reverse("org:dashboard"))

    with CaptureQueriesContext(connection) as ctx:
        zh = client.get(reverse("org:dashboard")).content.decode()
    assert not any('"org_lifecyclestage"' in q["sql"] for q in ctx.captured_queries)

    manager.language = "en"
    manager.save()
    with CaptureQueriesContext(connection) as ctx:
        en = client_for(manager).get(reverse("org:dashboard")).content.decode()
    assert any('"org_lifecyclestage"' in q["sql"] for q in ctx.captured_queries)
    stage = LifecycleStage.objects.order_by("sort_order").first()
    assert stage.name in zh and stage.name_en in en and stage.name not in en
