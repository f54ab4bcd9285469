import pytest
from django.apps import apps
from django.contrib import admin

from apps.core.models import AccessLog, ConfidentialityLevel
from tests.classified_app.models import SampleDocument
from tests.factories import UserFactory

Level = ConfidentialityLevel


def test_every_model_of_the_project_is_registered_in_admin():
    ours = [m for m in apps.get_models() if m.__module__.startswith("apps.")]

    missing = [m.__name__ for m in ours if not admin.site.is_registered(m)]

    assert ours
    assert missing == []


@pytest.fixture
def admin_client_with_clearance(client):
    def make(clearance):
        user = UserFactory(is_staff=True, is_superuser=True, clearance=clearance)
        client.force_login(user)
        return client, user

    return make


@pytest.mark.django_db
def test_r_intel_03_admin_list_hides_items_above_clearance(admin_client_with_clearance):
    SampleDocument.objects.create(title="open-doc", confidentiality=Level.PUBLIC)
    SampleDocument.objects.create(title="secret-doc", confidentiality=Level.SECRET)
    client, _ = admin_client_with_clearance(Level.CONFIDENTIAL)

    html = client.get("/admin/classified_app/sampledocument/").content.decode()

    assert "open-doc" in html
    assert "secret-doc" not in html


@pytest.mark.django_db
def test_r_intel_03_admin_change_page_above_clearance_is_not_shown_and_allowed_read_is_logged(
    admin_client_with_clearance,
):
    secret = SampleDocument.objects.create(title="secret-doc", confidentiality=Level.SECRET)
    confidential = SampleDocument.objects.create(title="conf-doc", confidentiality=Level.CONFIDENTIAL)
    client, user = admin_client_with_clearance(Level.CONFIDENTIAL)

    hidden = client.get(f"/admin/classified_app/sampledocument/{secret.pk}/change/", follow=True)
    shown = client.get(f"/admin/classified_app/sampledocument/{confidential.pk}/change/")

    assert "secret-doc" not in hidden.content.decode()
    assert shown.status_code == 200
    assert list(AccessLog.objects.values_list("object_repr", "user")) == [("conf-doc", user.pk)]


@pytest.mark.django_db
def test_r_intel_03_admin_cannot_file_above_own_clearance(admin_client_with_clearance):
    client, _ = admin_client_with_clearance(Level.INTERNAL)

    response = client.post(
        "/admin/classified_app/sampledocument/add/", {"title": "leak", "confidentiality": Level.SECRET}
    )

    assert response.status_code == 200
    assert not SampleDocument.objects.exists()
