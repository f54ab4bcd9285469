from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from mktdept.celery import task_send

from .services import TRANSIENT_ERRORS, report_files_cleanup, report_job_build, report_jobs_sweep


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
    acks_late=True,
)
def build_report(self, job_id: str) -> str:
    return report_job_build(job_id=job_id, task_id=self.request.id or "")


@shared_task
def sweep_report_jobs() -> int:
    """Send again the jobs left queued while the broker was down."""
    return report_jobs_sweep()


@shared_task
def cleanup_report_files() -> int:
    return report_files_cleanup()


@worker_ready.connect
def _sweep_on_worker_start(sender=None, **kwargs):
    # A worker coming up after an outage picks up what waited, without waiting for beat.
    task_send(sweep_report_jobs)
