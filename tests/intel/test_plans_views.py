"""Market research plans (R-INTEL-04): list, detail, create/edit, status changes, clearance."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AccessLog, LevelChange
from apps.intel.models import ResearchPlan
from apps.intel.services.plans import research_plan_create, research_plan_status_change, research_plan_update
from tests.clock import WORKING_MORNING
from tests.intel import factories_market as fm
from tests.intel.factories_market import CONFIDENTIAL, INTERNAL, SECRET, IntelReportFactory, ResearchPlanFactory

researcher = fm.researcher

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


def _form(owner, **overrides):
    data = {
        "title": "华东三甲医院发光需求调研",
        "objective": "了解需求",
        "method": "访谈",
        "sample": "20家医院",
        "starts_on": "2026-12-01",
        "due_on": "2026-12-31",
        "owner": owner.pk,
        "budget": "50000",
        "findings": "",
        "confidentiality": INTERNAL,
    }
    data.update(overrides)
    return data


def test_r_intel_03_secret_plan_is_hidden_from_internal_clearance(client_for, staff, manager):
    ResearchPlanFactory(title="公开计划")
    secret = ResearchPlanFactory(title="绝密计划", confidentiality=SECRET)

    staff_list = client_for(staff).get(reverse("intel:plan_list")).content.decode()
    manager_list = client_for(manager).get(reverse("intel:plan_list")).content.decode()

    assert "公开计划" in staff_list and "绝密计划" not in staff_list
    assert "绝密计划" in manager_list
    assert client_for(staff).get(reverse("intel:plan_detail", args=[secret.pk])).status_code == 404
    assert client_for(manager).get(reverse("intel:plan_detail", args=[secret.pk])).status_code == 200
    assert AccessLog.objects.filter(user=manager, object_id=str(secret.pk)).exists()


def test_list_filters_by_status_owner_and_dates(client_for, staff, manager):
    ResearchPlanFactory(
        title="草稿计划", owner=staff, starts_on=datetime.date(2026, 1, 1), due_on=datetime.date(2026, 2, 1)
    )
    ResearchPlanFactory(
        title="进行计划",
        owner=manager,
        status="in_progress",
        starts_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 20),
    )
    client = client_for(staff)
    url = reverse("intel:plan_list")

    by_status = client.get(url, {"status": "in_progress"}).content.decode()
    by_owner = client.get(url, {"owner": staff.pk}).content.decode()
    by_dates = client.get(url, {"date_from": "2026-12-01", "date_to": "2026-12-31"}).content.decode()

    assert "进行计划" in by_status and "草稿计划" not in by_status
    assert "草稿计划" in by_owner and "进行计划" not in by_owner
    assert "进行计划" in by_dates and "草稿计划" not in by_dates
    assert client.get(url, {"date_from": "0001-01-01", "status": "nope"}).status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_plan_list_does_not_grow_with_rows(client_for, staff):
    client = client_for(staff)
    url = reverse("intel:plan_list")
    ResearchPlanFactory.create_batch(2)
    client.get(url)
    with_two = _queries(client, url)
    ResearchPlanFactory.create_batch(28)
    client.get(url)
    assert _queries(client, url) == with_two


def test_detail_shows_the_plan_and_only_visible_reports(client_for, staff, manager):
    plan = ResearchPlanFactory(
        objective="摸清价格", method="问卷", sample="50家医院", budget="8000.00", findings="价格偏高"
    )
    IntelReportFactory(research_plan=plan, title="调研发现一")
    IntelReportFactory(research_plan=plan, title="绝密发现", confidentiality=SECRET)
    url = reverse("intel:plan_detail", args=[plan.pk])

    staff_html = client_for(staff).get(url).content.decode()
    manager_html = client_for(manager).get(url).content.decode()

    for text in ("摸清价格", "问卷", "50家医院", "8000.00", "价格偏高", plan.owner.get_full_name(), "调研发现一"):
        assert text in staff_html
    assert "绝密发现" not in staff_html and "绝密发现" in manager_html


def test_create_through_the_form(client_for, staff, researcher):
    assert client_for(staff).get(reverse("intel:plan_create")).status_code == 403
    response = client_for(researcher).post(reverse("intel:plan_create"), _form(researcher))
    plan = ResearchPlan.objects.get(title="华东三甲医院发光需求调研")
    assert response.status_code == 302
    assert (plan.status, plan.owner, plan.confidentiality) == ("draft", researcher, INTERNAL)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_on": "2026-11-30"}, "due_on"),
        ({"confidentiality": SECRET}, "confidentiality"),
        ({"budget": "-1"}, "budget"),
        ({"starts_on": "0001-01-01"}, "starts_on"),
    ],
)
def test_bad_input_is_explained_and_kept(client_for, researcher, overrides, field):
    response = client_for(researcher).post(reverse("intel:plan_create"), _form(researcher, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "华东三甲医院发光需求调研" in response.content.decode()
    assert not ResearchPlan.objects.exists()


def test_services_recheck_permission_dates_and_clearance(staff, researcher, manager):
    base = {"title": "t", "objective": "o", "method": "m", "starts_on": datetime.date(2026, 12, 1), "owner": researcher}
    with pytest.raises(PermissionDenied):
        research_plan_create(user=staff, due_on=datetime.date(2026, 12, 2), **base)
    with pytest.raises(ValidationError) as exc:
        research_plan_create(user=researcher, due_on=datetime.date(2026, 11, 30), **base)
    assert exc.value.error_dict["due_on"][0].code == "due_before_start"
    with pytest.raises(ValidationError) as exc:
        research_plan_create(user=researcher, due_on=datetime.date(2026, 12, 2), confidentiality=SECRET, **base)
    assert exc.value.error_dict["confidentiality"][0].code == "level_above_clearance"
    secret = ResearchPlanFactory(confidentiality=SECRET, owner=manager)
    with pytest.raises(PermissionDenied):
        research_plan_update(user=researcher, plan=secret, title="x")
    with pytest.raises(PermissionDenied):
        research_plan_status_change(user=researcher, plan=secret, status="approved")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_edit_through_the_view_audits_the_level_change(client_for, researcher):
    plan = ResearchPlanFactory(owner=researcher, title="旧标题")
    response = client_for(researcher).post(
        reverse("intel:plan_edit", args=[plan.pk]),
        _form(researcher, title="新标题", confidentiality=CONFIDENTIAL, reason="含客户名单"),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.confidentiality) == ("新标题", CONFIDENTIAL)
    change = LevelChange.objects.get(object_id=str(plan.pk))
    assert (change.old_level, change.new_level, change.changed_by, change.reason) == (
        INTERNAL,
        CONFIDENTIAL,
        researcher,
        "含客户名单",
    )


def test_status_changes_follow_the_workflow_and_show_in_the_history(client_for, staff, researcher):
    plan = ResearchPlanFactory(owner=researcher)
    url = reverse("intel:plan_status", args=[plan.pk])
    assert client_for(staff).post(url, {"status": "approved"}).status_code == 403

    client_for(researcher).post(url, {"status": "completed"})  # a draft cannot be completed
    plan.refresh_from_db()
    assert plan.status == "draft"

    client_for(researcher).post(url, {"status": "approved"})
    client_for(researcher).post(url, {"status": "in_progress"})
    plan.refresh_from_db()
    assert plan.status == "in_progress"

    history = client_for(staff).get(reverse("intel:plan_detail", args=[plan.pk])).context["history"]
    labels = ResearchPlan.Status
    assert [(str(e["old_status"]), str(e["new_status"]), e["user"]) for e in history] == [
        (str(labels.APPROVED.label), str(labels.IN_PROGRESS.label), researcher),
        (str(labels.DRAFT.label), str(labels.APPROVED.label), researcher),
    ]
    with pytest.raises(ValidationError) as exc:
        research_plan_status_change(user=researcher, plan=plan, status="draft")
    assert exc.value.code == "bad_transition"


def test_edit_url_of_a_plan_above_clearance_is_404(client_for, staff, researcher, manager):
    secret = ResearchPlanFactory(confidentiality=SECRET, owner=manager)
    url = reverse("intel:plan_edit", args=[secret.pk])
    assert client_for(staff).get(url).status_code == 403
    assert client_for(researcher).get(url).status_code == 404
    assert (
        client_for(researcher).post(reverse("intel:plan_status", args=[secret.pk]), {"status": "approved"}).status_code
        == 404
    )
    assert client_for(manager).get(url).status_code == 200


def test_only_confidential_plan_reads_are_logged(client_for, manager):
    internal = ResearchPlanFactory()
    confidential = ResearchPlanFactory(confidentiality=CONFIDENTIAL)
    client = client_for(manager)
    client.get(reverse("intel:plan_detail", args=[internal.pk]))
    client.get(reverse("intel:plan_detail", args=[confidential.pk]))
    logged = set(AccessLog.objects.filter(user=manager).values_list("object_id", flat=True))
    assert str(confidential.pk) in logged and str(internal.pk) not in logged


def test_owner_must_be_cleared_for_the_plan(staff, manager):
    with pytest.raises(ValidationError) as exc:
        research_plan_create(
            user=manager,
            title="t",
            objective="o",
            method="m",
            starts_on=datetime.date(2026, 12, 1),
            due_on=datetime.date(2026, 12, 2),
            owner=staff,
            confidentiality=SECRET,
        )
    assert exc.value.error_dict["owner"][0].code == "owner_not_cleared"
    plan = research_plan_create(
        user=manager,
        title="t",
        objective="o",
        method="m",
        starts_on=datetime.date(2026, 12, 1),
        due_on=datetime.date(2026, 12, 2),
        owner=staff,
        confidentiality=INTERNAL,
    )
    assert plan.owner == staff
