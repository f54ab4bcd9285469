import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Notification
from apps.notifications.services import notification_mark_read, notification_send
from tests.factories import UserFactory


@pytest.mark.django_db
def test_notification_is_written_in_the_recipients_language():
    english = UserFactory(language="en")
    chinese = UserFactory(language="zh-hans")

    for person in (english, chinese):
        notification_send(recipient=person, title=_("Notifications"))

    assert Notification.objects.get(recipient=english).title == "Notifications"
    assert Notification.objects.get(recipient=chinese).title == "通知"


@pytest.mark.django_db
def test_dedupe_key_makes_a_second_send_a_no_op():
    user = UserFactory()

    first = notification_send(recipient=user, title="a", dedupe_key="k1")
    second = notification_send(recipient=user, title="a", dedupe_key="k1")

    assert first is not None
    assert second is None
    assert Notification.objects.filter(recipient=user).count() == 1


@pytest.mark.django_db
def test_unread_badge_and_mark_read(client_for):
    user = UserFactory()
    note = notification_send(recipient=user, title="hello", url=reverse("org:task_list"), email=False)
    client = client_for(user)

    assert 'data-testid="unread-badge">1<' in client.get(reverse("org:dashboard")).content.decode()
    response = client.post(reverse("notifications:open", args=[note.pk]))

    assert response.url == reverse("org:task_list")
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="unread-badge"' not in client.get(reverse("org:dashboard")).content.decode()


@pytest.mark.django_db
def test_someone_elses_notification_is_404_and_service_refuses(client_for):
    owner, other = UserFactory(), UserFactory()
    note = notification_send(recipient=owner, title="private")

    assert client_for(other).post(reverse("notifications:open", args=[note.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        notification_mark_read(user=other, notification=note)


@pytest.mark.django_db
def test_external_link_in_a_notification_is_not_followed(client_for):
    user = UserFactory()
    note = notification_send(recipient=user, title="x", url="https://evil.example.com/")

    response = client_for(user).post(reverse("notifications:open", args=[note.pk]))

    assert response.url == reverse("notifications:list")


@pytest.mark.django_db
def test_mark_all_read(client_for):
    user = UserFactory()
    for i in range(3):
        notification_send(recipient=user, title=f"n{i}")

    client_for(user).post(reverse("notifications:read_all"))

    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
