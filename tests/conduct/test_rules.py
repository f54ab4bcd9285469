"""R-CONDUCT-01: rules published as versions, acknowledged once each, manager sees who has not."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.conduct.models import Acknowledgement, RuleVersion
from apps.conduct.services import rule_acknowledge, rule_version_publish
from apps.notifications.models import Notification


@pytest.fixture
def v1(db):
    return RuleVersion.objects.get(number=1)


@pytest.mark.django_db
def test_r_conduct_01_acknowledge_current_version_once(staff, v1):
    first = rule_acknowledge(user=staff, version=v1)
    second = rule_acknowledge(user=staff, version=v1)

    assert first.pk == second.pk
    assert Acknowledgement.objects.filter(user=staff).count() == 1


@pytest.mark.django_db
def test_r_conduct_01_new_version_needs_new_acknowledgement_and_old_cannot_be_acknowledged(manager, staff, v1):
    rule_acknowledge(user=staff, version=v1)

    v2 = rule_version_publish(actor=manager, title="市场部管理准则", body="1、新条款")

    assert v2.number == 2
    with pytest.raises(ValidationError) as exc:
        rule_acknowledge(user=staff, version=v1)
    assert exc.value.code == "not_current"
    assert Notification.objects.filter(recipient=staff, url=reverse("conduct:current")).exists()


@pytest.mark.django_db
def test_r_conduct_01_staff_cannot_publish(staff):
    with pytest.raises(PermissionDenied):
        rule_version_publish(actor=staff, title="x", body="y")


@pytest.mark.django_db
def test_r_conduct_01_manager_sees_who_has_not_acknowledged(client_for, manager, staff, other_staff, v1):
    rule_acknowledge(user=staff, version=v1)
    client = client_for(manager)

    pending = client.get(reverse("conduct:status"))
    everyone = client.get(reverse("conduct:status"), {"show": "all"})

    pending_names = {p.username for p in pending.context["page_obj"]}
    assert "staff2" in pending_names
    assert "staff1" not in pending_names
    flags = {p.username: p.has_acknowledged for p in everyone.context["page_obj"]}
    assert flags["staff1"] is True
    assert flags["staff2"] is False


@pytest.mark.django_db
def test_r_conduct_01_staff_cannot_see_the_status_page(client_for, staff, v1):
    assert client_for(staff).get(reverse("conduct:status")).status_code == 403


@pytest.mark.django_db
def test_r_conduct_01_acknowledge_through_the_page_and_dashboard_reminder_goes_away(client_for, staff, v1):
    client = client_for(staff)
    assert 'data-testid="rules-pending"' in client.get(reverse("org:dashboard")).content.decode()

    client.post(reverse("conduct:acknowledge"), {"version": "1"})

    assert Acknowledgement.objects.filter(user=staff, version=v1).exists()
    assert 'data-testid="rules-pending"' not in client.get(reverse("org:dashboard")).content.decode()
    assert 'data-testid="rules-acknowledged"' in client.get(reverse("conduct:current")).content.decode()


@pytest.mark.django_db
def test_r_conduct_01_acknowledging_a_stale_page_is_refused(client_for, manager, staff, v1):
    rule_version_publish(actor=manager, title="t", body="b")

    response = client_for(staff).post(reverse("conduct:acknowledge"), {"version": "1"}, follow=True)

    assert not Acknowledgement.objects.filter(user=staff).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_r_conduct_01_publish_page_keeps_input_on_error(client_for, manager, v1):
    response = client_for(manager).post(reverse("conduct:publish"), {"title": "新准则", "body": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert 'value="新准则"' in response.content.decode()
    assert RuleVersion.objects.count() == 1


@pytest.mark.django_db
def test_r_conduct_01_pending_rules_read_in_one_query(django_assert_num_queries, manager, staff, v1):
    from apps.conduct.selectors import rule_version_pending

    rule_acknowledge(user=manager, version=v1)

    with django_assert_num_queries(1):
        assert rule_version_pending(user=staff) == v1
    with django_assert_num_queries(1):
        assert rule_version_pending(user=manager) is None
