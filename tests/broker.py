"""Point the project's Celery app at a broker that is down, for the R-JOB-02 tests."""

import contextlib

from kombu import pools

from mktdept.celery import app

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def forget_connections() -> None:
    """Close and forget kombu's pooled connections, so the next publish uses the current broker_url.

    Eager tasks still acquire a producer, so a closed pool left behind breaks later tests.
    """
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_down():
    """Send tasks for real, to a broker nothing listens on; restore the eager test mode afterwards."""
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.task_always_eager = False
    app.conf.broker_url = UNREACHABLE_BROKER
    forget_connections()
    try:
        yield
    finally:
        for name, value in saved.items():
            app.conf[name] = value
        forget_connections()
