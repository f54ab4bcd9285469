"""Point the project's Celery app (and the Django cache) at Redis that is down, for the R-JOB-02 tests."""

import contextlib

from django.conf import settings
from django.test import override_settings
from kombu import pools

from mktdept.celery import app, broker_outage_forget

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
UNREACHABLE_BROKER = UNREACHABLE_REDIS


def forget_connections() -> None:
    """Close and forget kombu's pooled connections and the result backend, so that the next publish
    uses the current broker_url and result_backend.

    Eager tasks still acquire a producer, so a closed pool left behind breaks later tests.
    """
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    broker_outage_forget()


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


def unreachable_caches() -> dict:
    """The configured Redis cache (as production runs it with REDIS_URL), aimed at the closed port.

    Without REDIS_URL the suite runs on the local-memory cache; the production Redis cache is used then.
    """
    default = dict(settings.CACHES["default"])
    if "redis" not in default["BACKEND"].lower():
        default = {"BACKEND": "mktdept.cache.FailSafeRedisCache"}
    default["LOCATION"] = UNREACHABLE_REDIS
    return {"default": default}


@contextlib.contextmanager
def redis_down():
    """Everything Redis serves is down: the broker, the result store and the Django cache.

    Tasks are sent for real (not eagerly) to the closed port, and so is every result-store call.
    """
    names = ("task_always_eager", "broker_url", "result_backend")
    saved = {name: app.conf[name] for name in names}
    app.conf.task_always_eager = False
    app.conf.broker_url = UNREACHABLE_REDIS
    app.conf.result_backend = UNREACHABLE_REDIS
    forget_connections()
    try:
        with override_settings(CACHES=unreachable_caches()):
            yield
    finally:
        for name, value in saved.items():
            app.conf[name] = value
        forget_connections()
