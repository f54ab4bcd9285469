"""A real Celery worker (in a thread) takes the due-task reminder from the Redis broker.

Needs ``REDIS_URL``. Outside CI the module skips without it; in CI (``CI`` set) that is a failure.
"""

import datetime
import os
import time
import uuid

import pytest
from celery.bootsteps import RUN
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from django.conf import settings
from django.utils import timezone
from kombu import Exchange, Queue

from apps.notifications.models import Notification
from apps.org.tasks import remind_due_tasks
from mktdept.celery import app
from tests.broker import forget_connections
from tests.clock import at_working_morning
from tests.factories import AssignedTaskFactory

if not settings.REDIS_URL and not os.environ.get("CI"):
    pytest.skip("REDIS_URL is not set: the Celery worker test needs a Redis broker.", allow_module_level=True)

# The outcome depends on the date (dates relative to today, working days): run at a fixed moment.
pytestmark = [pytest.mark.celery_worker, at_working_morning]

WAIT_SECONDS = 20


def wait_for(condition, timeout: float = WAIT_SECONDS, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


@pytest.fixture
def broker_app():
    """The project's Celery app sending to Redis for real (test settings make it eager)."""
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set; CI must run the Celery worker test against Redis.")
    names = ("task_always_eager", "broker_url", "result_backend")
    saved = {name: app.conf[name] for name in names}
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    app.conf.result_backend = settings.REDIS_URL
    try:
        yield app
    finally:
        for name, value in saved.items():
            app.conf[name] = value
        # Drop the connections made with the Redis configuration, and forget the closed pools:
        # later tests publish through the app again (eager tasks still acquire a producer).
        forget_connections()


@pytest.fixture
def private_queue(broker_app):
    """A queue of this test's own, so a concurrent run sharing the Redis database cannot take its messages."""
    name = f"mktdept-test-{uuid.uuid4().hex}"
    queues = broker_app.amqp.queues
    saved_consume_from = queues._consume_from
    try:
        yield name
    finally:
        # The worker added the queue to the app and chose what it consumes; undo both, and
        # remove the queue and its bindings from Redis.
        queue = queues.pop(name, None) or Queue(name, Exchange(name), routing_key=name)
        queues._consume_from = saved_consume_from
        with broker_app.connection_for_write() as conn:
            bound = queue(conn.default_channel)
            bound.declare()  # lets the channel know the binding it is to delete
            bound.delete()


def test_worker_sends_due_reminder_once(transactional_db, django_db_serialized_rollback, broker_app, private_queue):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    task = AssignedTaskFactory(title="E2E 招标信息汇总", due_date=tomorrow)
    owner = task.owner

    # The reminder goes through a queue of our own; the default queue is consumed too, for the
    # reminder's e-mail task (queued on commit), so that no message is left behind in Redis.
    queue = private_queue
    with start_worker(
        broker_app,
        perform_ping_check=False,
        pool="solo",
        loglevel="WARNING",
        queues=[queue, broker_app.conf.task_default_queue],
        shutdown_timeout=30,
    ) as worker:
        result = remind_due_tasks.apply_async(queue=queue, ignore_result=False)  # results are off by default
        assert not isinstance(result, EagerResult), "the task ran eagerly, not on the worker"
        assert result.get(timeout=WAIT_SECONDS) == 1

        notifications = Notification.objects.filter(recipient=owner)
        assert wait_for(notifications.exists), "the worker created no notification for the task owner"
        notification = notifications.get()
        assert task.title in notification.title
        assert notification.dedupe_key == f"task-due:{task.pk}:{timezone.localdate().isoformat()}"

        # Running the reminder again the same day creates nothing new.
        again = remind_due_tasks.apply_async(queue=queue, ignore_result=False)
        assert again.get(timeout=WAIT_SECONDS) == 0
        assert Notification.objects.filter(recipient=owner).count() == 1

    # start_worker joins the worker thread on exit (and raises if it does not stop in time).
    assert worker.blueprint.state != RUN
