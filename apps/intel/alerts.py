"""Alerts to followers when an item is filed.

Services call :func:`alerts_item_filed` from ``transaction.on_commit`` after a report or a price
observation is filed; the worker then notifies only the followers cleared for the item
(:func:`apps.intel.services.follows.followers_alert`).
"""

import logging

from mktdept.celery import task_send

logger = logging.getLogger(__name__)

ALERT_MODELS = ("report", "price")


def alerts_item_filed(*, model: str, pk: int) -> None:
    """Queue alerts for the new item ``model`` ("report" or "price") with primary key ``pk``.

    Never blocks and never fails the caller: while the broker is down ``task_send`` gives up at
    once and the alert is not sent (the weekly digest still lists the item).
    """
    if model not in ALERT_MODELS:
        raise ValueError(f"unknown alert model {model!r}")
    from .tasks import alert_followers

    if not task_send(alert_followers, args=[model, pk]):
        logger.warning("Alerts for %s %s not queued: broker unreachable", model, pk)
