"""The Celery application, configured from Django settings (``CELERY_*``), and the one way web code
sends a task: ``task_send``, which never blocks a page on a broker that is down."""

import logging
import os
import threading
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mktdept.settings.base")

logger = logging.getLogger(__name__)

app = Celery("mktdept")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# After a failed send, further sends from this process give up at once for this long: a page that
# queues several e-mails pays for one failed connection, not one per e-mail. What could not be
# sent is kept (outbox, queued report jobs) and sent again by the sweepers.
OUTAGE_SECONDS = 15.0
_outage_lock = threading.Lock()
_outage_until = 0.0


def broker_outage_forget() -> None:
    """Forget a recorded outage (the broker configuration changed, or in tests)."""
    global _outage_until
    with _outage_lock:
        _outage_until = 0.0


def broker_outage_known() -> bool:
    return time.monotonic() < _outage_until


def _outage_record() -> None:
    global _outage_until
    with _outage_lock:
        _outage_until = time.monotonic() + OUTAGE_SECONDS


def task_send(task, *, args=None, kwargs=None, **options) -> bool:
    """Queue ``task`` without publish retries; return False, having logged why, when it cannot be queued.

    Results are not stored (``ignore_result``) unless asked for, so a send never waits on the
    result store either. The caller keeps what it wanted to send and a sweeper sends it later.
    """
    if broker_outage_known() and not app.conf.task_always_eager:
        logger.info("Broker recently unreachable: %s not sent", task.name)
        return False
    options.setdefault("retry", False)
    options.setdefault("ignore_result", True)
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
    except Exception:  # kombu OperationalError, redis ConnectionError, OSError, the result store's RuntimeError …
        if not app.conf.task_always_eager:
            _outage_record()
        logger.warning("Broker unreachable: %s not sent", task.name, exc_info=True)
        return False
    return True
