"""The dashboard's intelligence panels: only what the person may see, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.models import ConfidentialityLevel as Level
from apps.intel.models import ResearchPlan
from tests.clock import at_working_morning
from tests.factories import UserFactory

from .factories_follows import (
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
    PriceFactory,
    ResearchPlanFactory,
    follow,
    reader,
)

pytestmark = [pytest.mark.django_db, at_working_morning]


def _panels(client) -> dict:
    response = client.get(reverse("org:dashboard"))
    assert response.status_code == 200
    return {panel.key: context for panel, context in response.context["panels"]}, response.content.decode()


@pytest.fixture
def pair(client_for):
    internal, secret = reader(clearance=Level.INTERNAL), reader(clearance=Level.SECRET)
    return (internal, client_for(internal)), (secret, client_for(secret))


def test_r_intel_03_latest_intelligence_is_limited_to_clearance(pair):
    (_internal, internal_client), (_secret, secret_client) = pair
    IntelReportFactory(title="内部报告甲", confidentiality=Level.INTERNAL)
    IntelReportFactory(title="绝密报告乙", confidentiality=Level.SECRET)
    IntelReportFactory(title="已归档报告", is_archived=True)
    panels, html = _panels(internal_client)
    assert [r.title for r in panels["intel.latest"]["reports"]] == ["内部报告甲"]
    assert "绝密报告乙" not in html
    panels, html = _panels(secret_client)
    assert [r.title for r in panels["intel.latest"]["reports"]] == ["绝密报告乙", "内部报告甲"]
    assert 'data-testid="level-badge"' in html


def test_latest_shows_five(pair):
    (_internal, client), _secret = pair
    IntelReportFactory.create_batch(7)
    panels, _html = _panels(client)
    assert len(panels["intel.latest"]["reports"]) == 5


def test_r_intel_03_my_alerts_counts_only_visible_items_on_what_i_follow_this_week(pair, time_machine):
    (internal, internal_client), (secret, secret_client) = pair
    competitor = CompetitorFactory()
    product = CompetitorProductFactory(competitor=competitor)
    for user in (internal, secret):
        follow(user, competitor)
    IntelReportFactory(competitors=[competitor], confidentiality=Level.INTERNAL)
    IntelReportFactory(competitors=[competitor], products=[product], confidentiality=Level.SECRET)
    IntelReportFactory(confidentiality=Level.INTERNAL)  # not followed
    PriceFactory(competitor_product=product, confidentiality=Level.SECRET)
    PriceFactory(competitor_product=product, confidentiality=Level.INTERNAL, is_archived=True)
    time_machine.move_to(timezone.now() - datetime.timedelta(days=7))
    IntelReportFactory(competitors=[competitor])  # last week
    time_machine.move_to(timezone.now() + datetime.timedelta(days=7))
    panels, _html = _panels(internal_client)
    assert (panels["intel.alerts"]["counts"]["reports"], panels["intel.alerts"]["counts"]["prices"]) == (1, 0)
    panels, _html = _panels(secret_client)
    assert (panels["intel.alerts"]["counts"]["reports"], panels["intel.alerts"]["counts"]["prices"]) == (2, 1)


def test_r_intel_04_research_deadlines_only_for_owners_of_plans_due_soon(pair):
    (internal, internal_client), (secret, secret_client) = pair
    today = timezone.localdate()
    ResearchPlanFactory(owner=internal, title="两周内到期", due_on=today + datetime.timedelta(days=14))
    ResearchPlanFactory(owner=internal, title="已逾期", due_on=today - datetime.timedelta(days=1))
    ResearchPlanFactory(owner=internal, title="很久以后", due_on=today + datetime.timedelta(days=15))
    ResearchPlanFactory(owner=internal, title="已完成", status=ResearchPlan.Status.COMPLETED)
    ResearchPlanFactory(owner=internal, title="已归档", is_archived=True)
    ResearchPlanFactory(owner=internal, title="绝密计划", confidentiality=Level.SECRET)
    ResearchPlanFactory(owner=secret, title="别人的计划")
    panels, _html = _panels(internal_client)
    assert [p.title for p in panels["intel.deadlines"]["plans"]] == ["已逾期", "两周内到期"]
    panels, _html = _panels(secret_client)
    assert [p.title for p in panels["intel.deadlines"]["plans"]] == ["别人的计划"]
    ResearchPlan.objects.filter(owner=secret).update(status=ResearchPlan.Status.CANCELLED)
    panels, _html = _panels(secret_client)
    assert "intel.deadlines" not in panels


def test_research_deadlines_follow_saved_plans_clearance_and_the_date(pair, time_machine, django_assert_num_queries):
    """Which plans are due is cached per person (ids only): a saved plan, a raised clearance and the next
    day each show at once; someone who owns no plan due reads no plan at all."""
    (internal, internal_client), _secret = pair
    today = timezone.localdate()
    _panels(internal_client)
    request = internal_client.get(reverse("org:dashboard")).wsgi_request
    from apps.intel import panels as intel_panels

    with django_assert_num_queries(0):
        assert intel_panels._deadlines(request) is None

    plan = ResearchPlanFactory(owner=internal, title="下周到期", due_on=today + datetime.timedelta(days=7))
    hidden = ResearchPlanFactory(owner=internal, title="机密计划", confidentiality=Level.CONFIDENTIAL)
    assert [p.title for p in _panels(internal_client)[0]["intel.deadlines"]["plans"]] == ["下周到期"]

    plan.title = "改了名字"
    plan.save()
    assert [p.title for p in _panels(internal_client)[0]["intel.deadlines"]["plans"]] == ["改了名字"]

    internal.clearance = Level.CONFIDENTIAL
    internal.save(update_fields=["clearance"])
    titles = [p.title for p in _panels(internal_client)[0]["intel.deadlines"]["plans"]]
    assert titles == ["改了名字", hidden.title]

    plan.due_on = today + datetime.timedelta(days=30)
    plan.save()
    time_machine.move_to(datetime.datetime.combine(today + datetime.timedelta(days=7), datetime.time(9, 0)))
    internal_client.force_login(internal)  # the session of a week ago has ended
    assert [p.title for p in _panels(internal_client)[0]["intel.deadlines"]["plans"]] == [hidden.title]


def test_no_intel_panels_without_the_permission(client_for):
    outsider = UserFactory(clearance=Level.SECRET)
    ResearchPlanFactory(owner=outsider)
    IntelReportFactory()
    panels, _html = _panels(client_for(outsider))
    assert not [key for key in panels if key.startswith("intel.")]


def _intel_panels_run(client, assert_num_queries, queries=None) -> None:
    from apps.intel import panels as intel_panels

    request = client.get(reverse("org:dashboard")).wsgi_request
    with assert_num_queries(INTEL_PANEL_QUERIES if queries is None else queries):
        for get_context in (intel_panels._latest, intel_panels._alerts, intel_panels._deadlines):
            assert get_context(request) is not None


# Latest reports (1), this week's followed reports and prices (2), own plans due (1); the follows come
# from the cache, warmed by the dashboard read before (apps/intel/selectors/follows._followed_ids).
INTEL_PANEL_QUERIES = 4


def test_panels_run_a_fixed_number_of_queries_whatever_the_history(pair, django_assert_num_queries):
    (internal, client), _secret = pair
    competitor = CompetitorFactory()
    follow(internal, competitor)
    ResearchPlanFactory(owner=internal)
    IntelReportFactory(competitors=[competitor])
    _intel_panels_run(client, django_assert_num_queries)
    for _ in range(30):
        IntelReportFactory(competitors=[competitor], tags=[], provinces=[])
        PriceFactory(competitor_product=CompetitorProductFactory(competitor=competitor))
        ResearchPlanFactory(owner=internal)
        follow(internal, CompetitorFactory())
    _intel_panels_run(client, django_assert_num_queries)


def test_someone_who_follows_nothing_costs_no_count_query(pair, django_assert_num_queries):
    (internal, client), _secret = pair
    competitor = CompetitorFactory()
    IntelReportFactory(competitors=[competitor])
    PriceFactory(competitor_product=CompetitorProductFactory(competitor=competitor))
    ResearchPlanFactory(owner=internal)
    _intel_panels_run(client, django_assert_num_queries, queries=INTEL_PANEL_QUERIES - 2)
    from apps.intel.selectors.follows import followed_new_counts

    counts = followed_new_counts(user=internal, today=timezone.localdate())
    assert (counts["reports"], counts["prices"]) == (0, 0)


def test_dashboard_growth_guard_with_intel_panels(pair):
    (internal, client), _secret = pair
    competitor = CompetitorFactory()
    follow(internal, competitor)
    ResearchPlanFactory.create_batch(2, owner=internal)
    IntelReportFactory.create_batch(2, competitors=[competitor])
    client.get(reverse("org:dashboard"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("org:dashboard"))
    few = len(ctx.captured_queries)
    ResearchPlanFactory.create_batch(28, owner=internal)
    IntelReportFactory.create_batch(28, competitors=[competitor])
    client.get(reverse("org:dashboard"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("org:dashboard"))
    assert len(ctx.captured_queries) == few
