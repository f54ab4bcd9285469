"""My alerts: follow and stop following; another person's follow is 404; no 500 on a repeat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.intel.models import Follow
from tests.clock import at_working_morning
from tests.factories import UserFactory

from .factories_follows import (
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
    TagFactory,
    follow,
    province,
    reader,
)

pytestmark = [pytest.mark.django_db, at_working_morning]


@pytest.fixture
def person(client_for):
    user = reader()
    return user, client_for(user)


def test_list_shows_my_follows_and_not_others(person):
    user, client = person
    mine, theirs = CompetitorFactory(name="我关注的公司"), CompetitorFactory(name="别人关注的公司")
    follow(user, mine)
    follow(reader(), theirs)
    response = client.get(reverse("intel:follow_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "我关注的公司" in html
    assert [f.competitor.name for f in response.context["page_obj"]] == ["我关注的公司"]
    assert html.count("<h1") == 1
    assert html.count("data-person-search=") == 4  # a search box above each select


def test_selects_are_searchable_by_pinyin(person):
    _user, client = person
    CompetitorFactory(name="迈瑞")
    html = client.get(reverse("intel:follow_list")).content.decode()
    assert 'data-search="迈瑞 mairui mr"' in html


@pytest.mark.parametrize("target", ["competitor", "product", "tag", "province"])
def test_follow_each_kind(person, target):
    user, client = person
    obj = {
        "competitor": CompetitorFactory,
        "product": CompetitorProductFactory,
        # A tag is offered once a report the user may see carries it (R-INTEL-03).
        "tag": lambda: IntelReportFactory(tags=[TagFactory()]).tags.get(),
        "province": lambda: province("440000"),
    }[target]()
    response = client.post(reverse("intel:follow_add"), {"target": target, f"{target}-item": obj.pk})
    assert response.status_code == 302
    assert Follow.objects.filter(user=user, target=target, **{target: obj}).count() == 1


def test_following_twice_is_a_message_not_an_error(person):
    user, client = person
    competitor = CompetitorFactory()
    data = {"target": "competitor", "competitor-item": competitor.pk}
    first = client.post(reverse("intel:follow_add"), data, follow=True)
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    response = client.post(reverse("intel:follow_add"), data, follow=True)
    assert response.status_code == 200
    assert Follow.objects.filter(user=user, competitor=competitor).count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["info"]


def test_bad_choice_keeps_the_page_and_no_follow(person):
    user, client = person
    archived = CompetitorFactory(is_active=False)
    response = client.post(reverse("intel:follow_add"), {"target": "competitor", "competitor-item": archived.pk})
    assert response.status_code == 200
    form = next(f for f in response.context["forms"] if f.target == "competitor")
    assert form.errors["item"][0]
    assert not Follow.objects.filter(user=user).exists()
    response = client.post(reverse("intel:follow_add"), {"target": "battlecard"})
    assert response.status_code == 302
    assert not Follow.objects.filter(user=user).exists()


def test_remove_my_follow_but_not_someone_elses(person):
    user, client = person
    mine = follow(user, TagFactory())
    theirs = follow(reader(), TagFactory())
    assert client.post(reverse("intel:follow_remove", args=[theirs.pk])).status_code == 404
    assert Follow.objects.filter(pk=theirs.pk).exists()
    assert client.get(reverse("intel:follow_remove", args=[mine.pk])).status_code == 405
    assert client.post(reverse("intel:follow_remove", args=[mine.pk])).status_code == 302
    assert not Follow.objects.filter(pk=mine.pk).exists()


def test_people_without_intel_permission_are_refused(client_for):
    outsider = client_for(UserFactory())
    assert outsider.get(reverse("intel:follow_list")).status_code == 403
    competitor = CompetitorFactory()
    response = outsider.post(reverse("intel:follow_add"), {"target": "competitor", "competitor-item": competitor.pk})
    assert response.status_code == 403
    assert not Follow.objects.exists()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("intel:follow_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_follow_list_growth_guard(person):
    user, client = person
    for _ in range(2):
        follow(user, CompetitorProductFactory())
    follow(user, province("440000"))
    _list_queries(client)  # the first page of a session also fills the per-user caches
    few = _list_queries(client)
    for _ in range(28):
        follow(user, CompetitorProductFactory())
        follow(user, TagFactory())
    _list_queries(client)  # warm again: new rows may invalidate cached badges
    assert _list_queries(client) == few
