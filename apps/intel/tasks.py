"""Celery tasks of the intelligence app: ids in, a service call, nothing else.

Services imported inside each task so that a worker starts even while an area is being built.
"""

from celery import shared_task
from django.utils import timezone, translation


@shared_task(ignore_result=True)
def alert_followers(model: str, pk: int) -> int:
    """Notify the followers cleared for the new item (``model`` is "report" or "price")."""
    from .services.follows import followers_alert

    with translation.override(None):
        return followers_alert(model=model, pk=pk)


@shared_task(ignore_result=True)
def send_weekly_digests() -> int:
    """Monday morning: each person's digest of last week's items they may see (safe to run twice)."""
    from .services.digest import weekly_digests_send

    with translation.override(None):
        return weekly_digests_send(today=timezone.localdate())


@shared_task(ignore_result=True)
def remind_research_deadlines() -> int:
    """Each working morning: remind the owners of research plans whose deadline is near or past."""
    from .services.plans import research_plan_deadlines_remind

    with translation.override(None):
        return research_plan_deadlines_remind(today=timezone.localdate())


@shared_task(ignore_result=True)
def sweep_price_imports() -> int:
    """Hourly: remove price-import uploads that were previewed and never confirmed or cancelled."""
    from .services.prices import price_import_files_sweep

    return price_import_files_sweep()
