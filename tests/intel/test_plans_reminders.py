"""Research plan deadlines remind the owner (R-INTEL-04): due within three days or overdue, once a day."""

import datetime

import pytest
import time_machine

from apps.intel.services.plans import research_plan_deadlines_remind, research_plan_status_change
from apps.intel.tasks import remind_research_deadlines
from apps.notifications.models import Notification
from tests.clock import SHANGHAI, WORKING_MORNING
from tests.factories import UserFactory
from tests.intel import factories_market as fm
from tests.intel.factories_market import CONFIDENTIAL, SECRET, ResearchPlanFactory

researcher = fm.researcher

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]
TODAY = datetime.date(2026, 12, 1)


def _plan(owner, due_in_days, **kwargs):
    return ResearchPlanFactory(
        owner=owner, starts_on=datetime.date(2026, 10, 1), due_on=TODAY + datetime.timedelta(days=due_in_days), **kwargs
    )


def test_r_intel_04_owner_is_reminded_of_near_and_overdue_plans_only(researcher):
    near = _plan(researcher, 3, title="三天后到期")
    overdue = _plan(researcher, -2, title="已逾期", status="in_progress")
    _plan(researcher, 4, title="还早")
    _plan(researcher, 0, title="已完成", status="completed")
    _plan(researcher, 0, title="已取消", status="cancelled")
    _plan(researcher, 0, title="已归档", is_archived=True)

    assert research_plan_deadlines_remind(today=TODAY) == 2

    titles = list(Notification.objects.filter(recipient=researcher).values_list("title", "url"))
    assert len(titles) == 2
    assert any("三天后到期" in title and url.endswith(f"/plans/{near.pk}/") for title, url in titles)
    assert any("已逾期" in title and url.endswith(f"/plans/{overdue.pk}/") for title, url in titles)


def test_running_twice_a_day_sends_once_and_again_the_next_day(researcher):
    _plan(researcher, 1)
    assert research_plan_deadlines_remind(today=TODAY) == 1
    assert research_plan_deadlines_remind(today=TODAY) == 0
    with time_machine.travel(datetime.datetime(2026, 12, 2, 8, 45, tzinfo=SHANGHAI), tick=False):
        assert remind_research_deadlines() == 1
    assert Notification.objects.filter(recipient=researcher).count() == 2


def test_an_owner_not_cleared_for_the_plan_is_not_told_its_title(researcher):
    low = UserFactory()  # internal clearance
    _plan(low, 1, title="绝密计划", confidentiality=SECRET)
    _plan(researcher, 1, title="机密计划", confidentiality=CONFIDENTIAL)

    assert research_plan_deadlines_remind(today=TODAY) == 1

    assert not Notification.objects.filter(recipient=low).exists()
    notification = Notification.objects.get(recipient=researcher)
    assert "机密计划" not in notification.title  # a confidential title stays out of e-mails


def test_completing_the_plan_resolves_the_reminder(researcher):
    plan = _plan(researcher, 1, status="in_progress")
    research_plan_deadlines_remind(today=TODAY)
    research_plan_status_change(user=researcher, plan=plan, status="completed")
    assert Notification.objects.get(recipient=researcher).resolved_at is not None


def test_inactive_owner_gets_nothing(db):
    owner = UserFactory(is_active=False)
    _plan(owner, 0)
    assert research_plan_deadlines_remind(today=TODAY) == 0
