"""Alerts to followers: only people cleared for the item, once each, never its text, never the filer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import ConfidentialityLevel as Level
from apps.intel import alerts
from apps.intel.services.follows import followers_alert
from apps.notifications.models import Notification
from apps.notifications.services import notification_send
from tests.clock import at_working_morning
from tests.factories import UserFactory

from .factories_follows import (
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
    PriceFactory,
    TagFactory,
    follow,
    province,
    reader,
)

pytestmark = [pytest.mark.django_db, at_working_morning]


def _alerted(*users):
    return [Notification.objects.filter(recipient=u, dedupe_key__startswith="intel-alert:").count() for u in users]


@pytest.fixture
def competitor():
    return CompetitorFactory(name="迈瑞医疗")


@pytest.fixture
def internal(competitor):
    user = reader(clearance=Level.INTERNAL, username="internal")
    follow(user, competitor)
    return user


@pytest.fixture
def secret(competitor):
    user = reader(clearance=Level.SECRET, username="secret")
    follow(user, competitor)
    return user


@pytest.mark.parametrize(
    ("level", "expected"),
    [(Level.INTERNAL, [1, 1]), (Level.CONFIDENTIAL, [0, 1]), (Level.SECRET, [0, 1])],
)
def test_r_intel_03_report_alerts_only_followers_cleared_for_its_level(competitor, internal, secret, level, expected):
    report = IntelReportFactory(competitors=[competitor], confidentiality=level)
    assert followers_alert(model="report", pk=report.pk) == sum(expected)
    assert _alerted(internal, secret) == expected


def test_r_intel_03_price_alerts_only_followers_cleared_for_its_level(competitor, internal, secret):
    product = CompetitorProductFactory(competitor=competitor)
    secret_price = PriceFactory(competitor_product=product, confidentiality=Level.SECRET)
    internal_price = PriceFactory(competitor_product=product, confidentiality=Level.INTERNAL)
    assert followers_alert(model="price", pk=secret_price.pk) == 1
    assert _alerted(internal, secret) == [0, 1]
    assert followers_alert(model="price", pk=internal_price.pk) == 2
    assert _alerted(internal, secret) == [1, 2]


def test_price_matches_product_competitor_and_province_follows(competitor):
    product = CompetitorProductFactory(competitor=competitor)
    by_product, by_competitor, by_province, by_other = (reader(), reader(), reader(), reader())
    follow(by_product, product)
    follow(by_competitor, competitor)
    follow(by_province, province("440000"))
    follow(by_other, province("110000"))
    price = PriceFactory(competitor_product=product, province=province("440000"))
    assert followers_alert(model="price", pk=price.pk) == 3
    assert _alerted(by_product, by_competitor, by_province, by_other) == [1, 1, 1, 0]


def test_report_matches_tag_province_and_product_follows():
    tag, product = TagFactory(name="集采"), CompetitorProductFactory()
    by_tag, by_province, by_product, by_competitor_of_product, nobody = (reader() for _ in range(5))
    follow(by_tag, tag)
    follow(by_province, province("310000"))
    follow(by_product, product)
    follow(by_competitor_of_product, product.competitor)
    report = IntelReportFactory(tags=[tag], provinces=[province("310000")], products=[product])
    assert followers_alert(model="report", pk=report.pk) == 4
    assert _alerted(by_tag, by_province, by_product, by_competitor_of_product, nobody) == [1, 1, 1, 1, 0]


def test_one_alert_per_person_however_many_follows_match(competitor, secret):
    tag = TagFactory()
    follow(secret, tag)
    follow(secret, province("440000"))
    report = IntelReportFactory(competitors=[competitor], tags=[tag], provinces=[province("440000")])
    assert followers_alert(model="report", pk=report.pk) == 1
    assert _alerted(secret) == [1]


def test_inactive_and_unpermitted_followers_get_nothing(competitor, secret):
    inactive = reader(clearance=Level.SECRET, is_active=False)
    follow(inactive, competitor)
    no_permission = UserFactory(clearance=Level.SECRET)  # no role: no intel.view_intelreport
    follow(no_permission, competitor)
    report = IntelReportFactory(competitors=[competitor])
    assert followers_alert(model="report", pk=report.pk) == 1
    assert _alerted(inactive, no_permission, secret) == [0, 0, 1]


def test_the_filer_is_not_alerted(competitor, internal, secret):
    report = IntelReportFactory(competitors=[competitor], author=secret)
    assert followers_alert(model="report", pk=report.pk) == 1
    assert _alerted(internal, secret) == [1, 0]
    price = PriceFactory(competitor_product=CompetitorProductFactory(competitor=competitor), recorded_by=internal)
    assert followers_alert(model="price", pk=price.pk) == 1
    assert _alerted(internal, secret) == [1, 1]


def test_archived_or_missing_item_alerts_nobody(competitor, internal):
    report = IntelReportFactory(competitors=[competitor], is_archived=True)
    price = PriceFactory(competitor_product=CompetitorProductFactory(competitor=competitor), is_archived=True)
    assert followers_alert(model="report", pk=report.pk) == 0
    assert followers_alert(model="price", pk=price.pk) == 0
    assert followers_alert(model="report", pk=report.pk + 1000) == 0
    assert _alerted(internal) == [0]


def test_running_twice_alerts_nobody_twice(competitor, internal, secret):
    report = IntelReportFactory(competitors=[competitor])
    assert followers_alert(model="report", pk=report.pk) == 2
    assert followers_alert(model="report", pk=report.pk) == 0
    assert _alerted(internal, secret) == [1, 1]


def test_a_concurrent_alert_falls_back_to_one_notification_each(competitor, internal, secret, monkeypatch):
    """Someone alerted between the recipients query and the insert: the bulk insert fails on the
    unique key and each recipient is then sent through notification_send, which skips them."""
    report = IntelReportFactory(competitors=[competitor])
    key = f"intel-alert:report:{report.pk}"
    from apps.intel.services import follows as service

    real = service._notify_many

    def racing(**kwargs):
        notification_send(recipient=internal, title="x", dedupe_key=key, email=False)
        return real(**kwargs)

    monkeypatch.setattr(service, "_notify_many", racing)
    assert followers_alert(model="report", pk=report.pk) == 1
    assert _alerted(internal, secret) == [1, 1]


def test_notification_has_the_link_and_title_but_never_the_body(competitor, internal):
    report = IntelReportFactory(competitors=[competitor], title="某公司降价", body="绝密正文")
    followers_alert(model="report", pk=report.pk)
    notification = Notification.objects.get(recipient=internal)
    assert "某公司降价" in notification.title
    assert "绝密正文" not in notification.title + notification.body
    assert notification.action_key == ""
    assert notification.dedupe_key == f"intel-alert:report:{report.pk}"
    assert notification.url == reverse("intel:report_detail", args=[report.pk])


def test_price_notification_links_to_the_filtered_price_list(competitor, internal):
    product = CompetitorProductFactory(competitor=competitor)
    price = PriceFactory(competitor_product=product, province=province("440000"))
    followers_alert(model="price", pk=price.pk)
    url = Notification.objects.get(recipient=internal).url
    assert url.startswith(reverse("intel:price_list") + "?")
    assert f"competitor_product={product.pk}" in url and f"province={price.province_id}" in url


def test_confidential_item_title_stays_out_of_the_notification(competitor, secret, mailoutbox):
    report = IntelReportFactory(competitors=[competitor], title="机密标题", confidentiality=Level.SECRET)
    followers_alert(model="report", pk=report.pk)
    notification = Notification.objects.get(recipient=secret)
    assert "机密标题" not in notification.title + notification.body
    assert all("机密标题" not in m.subject + m.body for m in mailoutbox)


def test_alert_is_emailed_after_commit(competitor, internal, django_capture_on_commit_callbacks, mailoutbox):
    report = IntelReportFactory(competitors=[competitor])
    with django_capture_on_commit_callbacks(execute=True):
        followers_alert(model="report", pk=report.pk)
    assert [m.to for m in mailoutbox] == [[internal.email]]


def _alert_queries(competitor, followers: int) -> int:
    for _ in range(followers):
        follow(reader(), competitor)
    report = IntelReportFactory(competitors=[competitor])
    with CaptureQueriesContext(connection) as ctx:
        sent = followers_alert(model="report", pk=report.pk)
    assert sent == Notification.objects.filter(dedupe_key=f"intel-alert:report:{report.pk}").count() >= followers
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_followers(competitor):
    assert _alert_queries(competitor, 2) == _alert_queries(competitor, 30)


def test_alerts_item_filed_queues_the_task_and_never_raises(competitor, internal, monkeypatch):
    report = IntelReportFactory(competitors=[competitor])
    alerts.alerts_item_filed(model="report", pk=report.pk)  # eager in tests: runs the task
    assert _alerted(internal) == [1]

    sent = []
    monkeypatch.setattr(alerts, "task_send", lambda task, **kw: sent.append((task.name, kw)) or False)
    alerts.alerts_item_filed(model="price", pk=7)  # broker down: logged, no exception
    assert sent == [("apps.intel.tasks.alert_followers", {"args": ["price", 7]})]
    with pytest.raises(ValueError):
        alerts.alerts_item_filed(model="battlecard", pk=1)
