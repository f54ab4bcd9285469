"""R-JOB-02: a broker outage must not break the page that sends a notification, and its e-mail is kept."""

import pytest

from apps.notifications.models import Notification, PendingEmail
from apps.notifications.services import notification_send
from tests.broker import broker_down as broker_unreachable


@pytest.fixture
def broker_down():
    with broker_unreachable():
        yield


def test_r_job_02_notification_is_saved_when_the_broker_is_down(
    broker_down, staff, django_capture_on_commit_callbacks, caplog
):
    staff.email = "staff@example.com"
    staff.save()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_send(recipient=staff, title="测试通知")

    assert len(callbacks) == 2  # the badges marked again and the e-mail attempted, after commit …
    assert Notification.objects.filter(pk=notification.pk).exists()  # … and its failure changed nothing
    assert PendingEmail.objects.get().notification == notification  # … but kept the e-mail
    assert "kept for the sweeper" in caplog.text
