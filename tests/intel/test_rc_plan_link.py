"""Editing a report filed under a research plan that has since been archived keeps the link: the
plan stays a choice of that report's form (only of that report's)."""

import pytest
from django.urls import reverse

from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName
from apps.intel.forms.reports import IntelReportForm
from tests.clock import at_working_morning
from tests.factories import UserFactory
from tests.intel.factories_market import IntelReportFactory, ResearchPlanFactory

pytestmark = [pytest.mark.django_db, at_working_morning]


@pytest.fixture
def editor(marketing):
    return UserFactory(department=marketing, roles=[RoleName.RESEARCH, RoleName.STAFF], clearance=Level.CONFIDENTIAL)


def _post(report, **overrides):
    data = {
        "kind": report.kind,
        "title": "改过的标题",
        "body": report.body,
        "source": report.source,
        "reported_on": "2026-11-30",
        "tags": "",
        "research_plan": report.research_plan_id or "",
    }
    return {**data, **overrides}


def test_an_archived_plan_stays_linked_when_the_report_is_saved(editor, client_for):
    archived = ResearchPlanFactory(title="旧调研", is_archived=True)
    report = IntelReportFactory(confidentiality=Level.INTERNAL, research_plan=archived)
    client = client_for(editor)

    page = client.get(reverse("intel:report_edit", args=[report.pk]))
    choices = {str(plan.pk): label for plan, label in _choices(page.context["form"])}
    assert choices[str(archived.pk)].startswith("旧调研")
    response = client.post(reverse("intel:report_edit", args=[report.pk]), _post(report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.title, report.research_plan_id) == ("改过的标题", archived.pk)


def test_an_archived_plan_is_offered_to_no_other_report(editor):
    archived = ResearchPlanFactory(is_archived=True)
    live = ResearchPlanFactory()
    linked = IntelReportFactory(research_plan=archived)
    other = IntelReportFactory(research_plan=live)
    assert {plan.pk for plan, _label in _choices(IntelReportForm(user=editor, report=linked))} == {archived.pk, live.pk}
    assert {plan.pk for plan, _label in _choices(IntelReportForm(user=editor, report=other))} == {live.pk}
    assert {plan.pk for plan, _label in _choices(IntelReportForm(user=editor))} == {live.pk}
    # Posting the archived plan on another report is refused, not quietly accepted.
    form = IntelReportForm(_post(other, research_plan=archived.pk), user=editor, report=other)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["research_plan"]] == ["invalid_choice"]


def test_an_archived_plan_is_marked_as_such(editor):
    archived = ResearchPlanFactory(title="旧调研", is_archived=True)
    linked = IntelReportFactory(research_plan=archived)
    field = IntelReportForm(user=editor, report=linked).fields["research_plan"]
    assert field.label_from_instance(archived) != "旧调研"
    assert "旧调研" in field.label_from_instance(archived)


def _choices(form):
    field = form.fields["research_plan"]
    return [(plan, field.label_from_instance(plan)) for plan in field.queryset]
