"""The weekly digest: last week's items each person may see, what they follow first, once a week."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.core.models import ConfidentialityLevel as Level
from apps.intel import tasks
from apps.intel.models import DigestSent
from apps.intel.services.digest import DIGEST_GROUP_LIMIT, digest_week, weekly_digests_send
from apps.notifications.models import Notification
from tests.clock import SHANGHAI, WORKING_MORNING
from tests.factories import UserFactory

from .factories_follows import CompetitorFactory, IntelReportFactory, PriceFactory, follow, reader

pytestmark = pytest.mark.django_db

# Filed on Tuesday 1 December 2026; the digest of that week goes out on Monday 7 December.
FILED = WORKING_MORNING
MONDAY = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI)
NEXT_MONDAY = datetime.date(2026, 12, 7)


def _digest(user) -> Notification | None:
    return Notification.objects.filter(recipient=user, dedupe_key__startswith="intel-digest:").first()


@pytest.fixture
def people():
    return reader(clearance=Level.INTERNAL, language="zh-hans"), reader(clearance=Level.SECRET, language="en")


def test_week_is_the_previous_monday_to_sunday():
    assert digest_week(datetime.date(2026, 12, 7)) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))
    assert digest_week(datetime.date(2026, 12, 13)) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))


def test_r_intel_03_secret_items_reach_only_the_secret_reader_and_its_count(people, time_machine):
    internal, secret = people
    time_machine.move_to(FILED)
    IntelReportFactory(title="公开的行业动态", confidentiality=Level.INTERNAL)
    IntelReportFactory(title="绝密的竞品动向", confidentiality=Level.SECRET)
    PriceFactory(price=888, confidentiality=Level.SECRET)
    time_machine.move_to(MONDAY)
    assert weekly_digests_send(today=NEXT_MONDAY) == 2
    mine, theirs = _digest(internal), _digest(secret)
    assert "公开的行业动态" in mine.body
    assert "绝密的竞品动向" not in mine.body + mine.title
    assert "888" not in mine.body
    assert "公开的行业动态" in theirs.body
    assert theirs.body.count("- ") == 3
    # Listed with its level and type, not its title or amount: the digest is e-mailed.
    assert theirs.body.count("Secret") == 2
    assert "绝密的竞品动向" not in theirs.body and "888" not in theirs.body
    assert "3 new items" in theirs.title  # in the reader's own language
    assert DigestSent.objects.get(user=internal).item_count == 1
    assert DigestSent.objects.get(user=secret).item_count == 3


def test_followed_items_come_first(people, time_machine):
    internal, _secret = people
    competitor = CompetitorFactory(name="安图生物")
    follow(internal, competitor)
    time_machine.move_to(FILED)
    IntelReportFactory(title="其他报告")
    IntelReportFactory(title="关注的报告", competitors=[competitor])
    IntelReportFactory(title="更新的其他报告")
    time_machine.move_to(MONDAY)
    weekly_digests_send(today=NEXT_MONDAY)
    body = _digest(internal).body
    with translation.override("zh-hans"):
        followed, others = translation.gettext("On what you follow"), translation.gettext("Other reports")
    assert body.index(followed) < body.index("关注的报告") < body.index(others) < body.index("更新的其他报告")
    assert body.count("关注的报告") == 1


def test_long_groups_are_capped_with_a_count_of_the_rest(people, time_machine):
    internal, _secret = people
    time_machine.move_to(FILED)
    IntelReportFactory.create_batch(DIGEST_GROUP_LIMIT + 3)
    time_machine.move_to(MONDAY)
    weekly_digests_send(today=NEXT_MONDAY)
    body = _digest(internal).body
    assert body.count("- ") == DIGEST_GROUP_LIMIT
    assert "3" in body.splitlines()[-1]


def test_items_outside_the_week_archived_or_nothing_visible_send_nothing(people, time_machine):
    internal, secret = people
    time_machine.move_to(FILED - datetime.timedelta(days=7))  # the week before
    IntelReportFactory()
    time_machine.move_to(FILED)
    IntelReportFactory(is_archived=True)
    IntelReportFactory(confidentiality=Level.SECRET)
    time_machine.move_to(MONDAY)
    assert weekly_digests_send(today=NEXT_MONDAY) == 1
    assert _digest(internal) is None
    assert _digest(secret) is not None


def test_inactive_and_unpermitted_people_get_no_digest(time_machine):
    inactive = reader(is_active=False)
    outsider = UserFactory()
    time_machine.move_to(FILED)
    IntelReportFactory()
    time_machine.move_to(MONDAY)
    weekly_digests_send(today=NEXT_MONDAY)
    assert _digest(inactive) is None
    assert _digest(outsider) is None


def test_second_run_sends_nothing(people, time_machine):
    time_machine.move_to(FILED)
    IntelReportFactory()
    time_machine.move_to(MONDAY)
    assert weekly_digests_send(today=NEXT_MONDAY) == 2
    assert weekly_digests_send(today=NEXT_MONDAY) == 0
    assert Notification.objects.filter(dedupe_key__startswith="intel-digest:").count() == 2
    assert DigestSent.objects.count() == 2


def test_the_task_runs_it_for_last_week(people, time_machine, mailoutbox, django_capture_on_commit_callbacks):
    internal, secret = people
    time_machine.move_to(FILED)
    IntelReportFactory(title="任务发送的报告")
    time_machine.move_to(MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digests.delay().get() == 2
    assert DigestSent.objects.filter(week_start=datetime.date(2026, 11, 30)).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([internal.email, secret.email])
    assert all("任务发送的报告" in m.body for m in mailoutbox)


def _digest_queries(time_machine, readers: int, items: int = 1) -> int:
    time_machine.move_to(FILED)
    for _ in range(readers):
        follow(reader(), CompetitorFactory())
    IntelReportFactory.create_batch(items)
    PriceFactory.create_batch(items)
    time_machine.move_to(MONDAY)
    DigestSent.objects.all().delete()
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        sent = weekly_digests_send(today=NEXT_MONDAY)
    return len(ctx.captured_queries), sent


def test_queries_per_person_are_constant(time_machine):
    small, sent_small = _digest_queries(time_machine, 2)
    large, sent_large = _digest_queries(time_machine, 10)
    per_person = (large - small) / (sent_large - sent_small)
    # The week's items and everybody's follows are read once; each person costs only their
    # DigestSent row and their notification.
    assert per_person <= 10
    assert small - sent_small * per_person <= 12


def test_queries_do_not_grow_with_the_items_of_the_week(time_machine):
    few, _sent = _digest_queries(time_machine, 2, items=1)
    many, _sent = _digest_queries(time_machine, 0, items=30)
    assert many == few
