import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.org.models import AssignedTask
from tests.clock import at_working_morning
from tests.factories import AssignedTaskFactory, ProductFactory

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = at_working_morning


@pytest.mark.django_db
def test_r_org_03_dashboard_shows_my_position_duties_and_lifecycle_focus(client_for, manager):
    ProductFactory(name="化学发光 CL-600")

    client = client_for(manager)
    html = client.get(reverse("org:dashboard")).content.decode()
    # The duty text itself moved to "My position and duties" (issue 8), linked from the dashboard.
    duties = client.get(reverse("org:my_position")).content.decode()

    assert "市场部经理" in html
    assert "全面计划、安排、管理市场部工作" in duties
    assert "化学发光 CL-600" in html
    assert "制定年度营销目标计划" in html  # a focus item of the growth stage


@pytest.mark.django_db
def test_dashboard_in_english_shows_english_duties(client_for, manager):
    manager.language = "en"
    manager.save()

    html = client_for(manager).get(reverse("org:dashboard")).content.decode()

    assert "Marketing manager" in html
    assert "市场部经理" not in html


@pytest.mark.django_db
def test_r_org_05_department_page_shows_principle_and_four_functions(client_for, staff):
    html = client_for(staff).get(reverse("org:department")).content.decode()

    assert "支持、服务、监管、指导" in html
    for function in ["情报机构", "参谋机构", "监管机构", "公关机构"]:
        assert function in html
    assert "参与公司网站建设" in html


@pytest.mark.django_db
def test_r_org_06_assign_form_keeps_input_on_error(client_for, manager, staff):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client_for(manager).post(
        reverse("org:task_create"),
        {"owner": staff.pk, "title": "回访医院", "description": "三家", "due_date": yesterday.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["due_date"]
    html = response.content.decode()
    assert 'value="回访医院"' in html
    assert not AssignedTask.objects.exists()


@pytest.mark.django_db
def test_r_org_06_assign_form_refuses_forged_owner_id(client_for, manager):
    response = client_for(manager).post(
        reverse("org:task_create"),
        {"owner": 999999, "title": "x", "due_date": timezone.localdate().isoformat()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["owner"]


@pytest.mark.django_db
def test_r_org_06_assign_through_the_page(client_for, manager, staff):
    response = client_for(manager).post(
        reverse("org:task_create"),
        {"owner": staff.pk, "title": "回访医院", "due_date": timezone.localdate().isoformat()},
    )

    task = AssignedTask.objects.get()
    assert response.url == reverse("org:task_detail", args=[task.pk])
    assert task.owner == staff


@pytest.mark.django_db
def test_staff_cannot_open_the_assign_page(client_for, staff):
    assert client_for(staff).get(reverse("org:task_create")).status_code == 403


@pytest.mark.django_db
def test_someone_elses_task_is_404_for_staff_but_visible_to_the_manager(client_for, manager, staff, other_staff):
    task = AssignedTaskFactory(owner=other_staff, assigned_by=manager)
    url = reverse("org:task_detail", args=[task.pk])

    assert client_for(staff).get(url).status_code == 404
    assert client_for(other_staff).get(url).status_code == 200
    assert client_for(manager).get(url).status_code == 200


@pytest.mark.django_db
def test_status_change_only_by_post_and_reported(client_for, manager, staff):
    task = AssignedTaskFactory(owner=staff, assigned_by=manager)
    url = reverse("org:task_status", args=[task.pk])
    client = client_for(staff)

    assert client.get(url).status_code == 405
    response = client.post(url, {"to_status": "done", "comment": "ok"}, follow=True)

    task.refresh_from_db()
    assert task.status == AssignedTask.Status.DONE
    assert any(m.level_tag == "success" for m in response.context["messages"])


@pytest.mark.django_db
def test_invalid_status_change_gives_a_message_not_a_500(client_for, manager, staff):
    task = AssignedTaskFactory(owner=staff, assigned_by=manager, status=AssignedTask.Status.DONE)
    client = client_for(staff)

    response = client.post(reverse("org:task_status", args=[task.pk]), {"to_status": "done"}, follow=True)
    bogus = client.post(reverse("org:task_status", args=[task.pk]), {"to_status": "nonsense"}, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert [m.level_tag for m in bogus.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_task_list_filters(client_for, manager, staff):
    AssignedTaskFactory(owner=staff, assigned_by=manager, title="招标汇总")
    AssignedTaskFactory(owner=manager, assigned_by=manager, title="年度预算", status=AssignedTask.Status.DONE)
    client = client_for(manager)

    def titles(**params):
        response = client.get(reverse("org:task_list"), params)
        return [t.title for t in response.context["page_obj"]]

    assert sorted(titles()) == ["年度预算", "招标汇总"]
    assert titles(q="招标") == ["招标汇总"]
    assert titles(status="done") == ["年度预算"]
    assert titles(mine="owner") == ["年度预算"]
    assert titles(page="999") == titles()  # a page past the end shows the last page, not an error


@pytest.mark.django_db
def test_product_list_filters_by_stage_and_text(client_for, staff):
    ProductFactory(name="生化分析仪", code="MK-1")
    ProductFactory(name="免疫分析仪", code="CL-1")
    client = client_for(staff)

    def names(**params):
        return [p.name for p in client.get(reverse("org:product_list"), params).context["page_obj"]]

    assert names(q="免疫") == ["免疫分析仪"]
    assert names(stage="maturity") == []
    assert sorted(names(stage="growth")) == ["免疫分析仪", "生化分析仪"]


@pytest.mark.django_db
def test_r_org_04_product_list_links_each_product_to_its_lifecycle_and_intelligence_page(client_for, staff):
    product = ProductFactory(name="生化分析仪", code="MK-1")

    response = client_for(staff).get(reverse("org:product_list"))

    assert f'href="{reverse("intel:our_product", args=[product.pk])}"' in response.content.decode()
