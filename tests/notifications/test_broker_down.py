"""R-JOB-02: a broker outage must not break the page that sends a notification."""

import pytest
from kombu import pools

from apps.notifications.models import Notification
from apps.notifications.services import notification_send
from mktdept.celery import app


def _forget_connections():
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _forget_connections()
    try:
        yield
    finally:
        for name, value in saved.items():
            app.conf[name] = value
        _forget_connections()


def test_r_job_02_notification_is_saved_when_the_broker_is_down(
    broker_down, staff, django_capture_on_commit_callbacks, caplog
):
    staff.email = "staff@example.com"
    staff.save()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_send(recipient=staff, title="测试通知")

    assert len(callbacks) == 1  # the e-mail was attempted after commit …
    assert Notification.objects.filter(pk=notification.pk).exists()  # … and its failure changed nothing
    assert "not queued" in caplog.text
