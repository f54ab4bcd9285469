"""Report jobs: request, hand to the worker (or leave queued when the broker is down), build,
retry, deliver, sweep and clean up."""

from __future__ import annotations

import datetime
import logging
import tempfile
import time
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.notifications.services import notification_send
from mktdept.celery import task_send

from .models import ReportJob
from .registry import BUILT_CLEARANCE, ReportType, report_type
from .writers import write_csv, write_pdf, write_xlsx

logger = logging.getLogger(__name__)
Status = ReportJob.Status
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# Progress is written at most this often (seconds): cheap enough for 100,000 rows.
_PROGRESS_INTERVAL = 0.5


# ---------------------------------------------------------------------------------------------
# Requesting and queueing


def report_job_request(*, user, report: ReportType, params: dict, file_format: str) -> ReportJob:
    """Save a job and hand it to the worker after commit. Never fails because the broker is down."""
    if not report.user_may_request(user):
        raise PermissionDenied
    if file_format not in report.formats:
        raise ValidationError(_("This report cannot be made in that format."), code="invalid_format")
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = f"{report.title} · {report.describe(params)}"
    job = ReportJob.objects.create(
        report_type=report.code,
        params=params,
        format=file_format,
        title=title[:200],
        language=user.language or settings.LANGUAGE_CODE,
        requested_by=user,
    )
    transaction.on_commit(lambda: report_job_enqueue(job_id=job.pk))
    return job


def report_job_enqueue(*, job_id) -> bool:
    """Send a queued job to the broker. Returns False, and leaves the job queued for the sweeper,
    when the broker cannot be reached."""
    from .tasks import build_report

    now = timezone.now()
    claimed = ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(enqueued_at=now)
    if not claimed:
        return False
    # No publish retries and no result store: a request must not hang on Redis that is down.
    if not task_send(build_report, args=[str(job_id)]):
        logger.warning("Broker unreachable: report job %s stays queued for the sweeper", job_id)
        ReportJob.objects.filter(pk=job_id, status=Status.QUEUED, enqueued_at=now).update(enqueued_at=None)
        return False
    return True


def report_jobs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Send again the jobs left queued (broker down, lost message) and requeue jobs whose worker died."""
    now = now or timezone.now()
    stale_queue = now - datetime.timedelta(minutes=settings.REPORT_REQUEUE_AFTER_MINUTES)
    dead_run = now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 60)
    ReportJob.objects.filter(status=Status.RUNNING, started_at__lt=dead_run).update(
        status=Status.QUEUED, enqueued_at=None, progress=0
    )
    ids = list(
        ReportJob.objects.filter(status=Status.QUEUED)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale_queue))
        .order_by("created_at")
        .values_list("pk", flat=True)[:200]
    )
    sent = 0
    for job_id in ids:
        if report_job_enqueue(job_id=job_id):
            sent += 1
        else:
            break  # the broker is still down: try again on the next sweep
    return sent


def report_job_retry(*, user, job: ReportJob) -> ReportJob:
    """Queue a failed job again (its requester or a holder of the report's permission)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != Status.FAILED:
            raise ValidationError(_("Only a failed report can be retried."), code="not_failed")
        job.status = Status.QUEUED
        job.progress = 0
        job.error_code = ""
        job.error_detail = ""
        job.enqueued_at = None
        job.save(update_fields=["status", "progress", "error_code", "error_detail", "enqueued_at"])
        transaction.on_commit(lambda: report_job_enqueue(job_id=job.pk))
    return job


# ---------------------------------------------------------------------------------------------
# Building


def _claim(job_id, task_id: str) -> ReportJob | None:
    """Mark the job running, unless it is done or another worker is on it (idempotency)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (Status.DONE, Status.EXPIRED, Status.FAILED):
            return None
        if job.status == Status.RUNNING and job.task_id and job.task_id != task_id:
            return None
        job.status = Status.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.progress = 0
        job.task_id = task_id or ""
        job.save(update_fields=["status", "started_at", "attempts", "progress", "task_id"])
        return job


def _fail(job: ReportJob, code: str, detail: str = "") -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.FAILED, error_code=code, error_detail=detail[:4000], finished_at=timezone.now()
    )
    job.refresh_from_db()
    transaction.on_commit(lambda: report_job_notify_failed(job=job))


def report_job_build(*, job_id, task_id: str = "") -> str:
    """Build the job's file. Running it twice gives one file: a done job is left alone, and the
    file is saved under the job's own name, replacing a half-written one."""
    job = _claim(job_id, task_id)
    if job is None:
        return "skipped"
    report = report_type(job.report_type)
    if report is None:
        _fail(job, ReportJob.Error.UNKNOWN_TYPE)
        return "failed"

    last = [0.0]

    def progress(share: float) -> None:
        now = time.monotonic()
        if now - last[0] >= _PROGRESS_INTERVAL:
            last[0] = now
            percent = max(0, min(99, int(share * 100)))
            ReportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(progress=percent)

    try:
        params = job.params
        # Read afresh by the worker, once for the whole file: a clearance lowered after the request
        # counts, and the level recorded on the job is the one the rows were limited to.
        job.requested_by = get_user_model().objects.get(pk=job.requested_by_id)
        clearance = report.file_clearance(requester=job.requested_by)
        if clearance is not None:
            params = {**params, BUILT_CLEARANCE: clearance}
        with translation.override(job.language), tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{job.pk}.{job.format}"
            sheets = report.sheets(params)
            rows = report.rows(params, progress)
            if job.format == ReportJob.Format.XLSX:
                write_xlsx(path, sheets, rows)
            elif job.format == ReportJob.Format.CSV:
                write_csv(path, sheets, rows)
            else:
                subtitle = _("Made %(when)s for %(name)s") % {
                    "when": date_format(timezone.localtime(), "DATETIME_FORMAT"),
                    "name": job.requested_by.get_full_name(),
                }
                write_pdf(path, sheets, rows, title=job.title, subtitle=subtitle)
            name = f"{job.pk}.{job.format}"
            storage = ReportJob._meta.get_field("file").storage
            if storage.exists(name):
                storage.delete(name)  # a half-finished earlier attempt
            with open(path, "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            size = path.stat().st_size
    except SoftTimeLimitExceeded:
        _fail(job, ReportJob.Error.TIMEOUT)
        return "failed"
    except TRANSIENT_ERRORS:
        # Back to the queue; the task retries with backoff.
        ReportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, error_code=ReportJob.Error.TRANSIENT)
        raise
    except Exception as exc:
        logger.exception("Report job %s failed", job.pk)
        _fail(job, ReportJob.Error.UNEXPECTED, f"{type(exc).__name__}: {exc}")
        return "failed"
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.DONE,
        progress=100,
        file=saved,
        file_size=size,
        built_clearance=clearance,
        finished_at=timezone.now(),
        error_code="",
    )
    job.refresh_from_db()
    if job.delivered_at is None:
        transaction.on_commit(lambda: report_job_deliver(job=job))
    return "done"


# ---------------------------------------------------------------------------------------------
# Delivery, schedules and cleanup


def report_job_deliver(*, job: ReportJob) -> None:
    """Tell the recipient that the report is ready, with the link: the person it is scheduled for
    (in-app and e-mail), or else the person who asked for it (in-app; they may have left the page)."""
    updated = ReportJob.objects.filter(pk=job.pk, delivered_at__isnull=True).update(delivered_at=timezone.now())
    if not updated:
        return
    scheduled = job.deliver_to_id is not None
    notification_send(
        recipient=job.deliver_to if scheduled else job.requested_by,
        title=gettext_lazy("Your report is ready: %(title)s"),
        body=gettext_lazy("Open the link to download it. The file is kept for %(days)s days."),
        params={"title": job.title, "days": settings.REPORT_RETENTION_DAYS},
        url=reverse("reports:job", args=[job.pk]),
        dedupe_key=f"report-ready:{job.pk}",
        email=scheduled,
    )


def report_job_notify_failed(*, job: ReportJob) -> None:
    """Tell the person who asked for the report (or gets it on schedule) that it could not be made."""
    notification_send(
        recipient=job.deliver_to or job.requested_by,
        title=gettext_lazy("Your report could not be made: %(title)s"),
        body=gettext_lazy("Open the link to see why and to try again."),
        params={"title": job.title},
        url=reverse("reports:job", args=[job.pk]),
        dedupe_key=f"report-failed:{job.pk}:{job.attempts}",
        email=job.deliver_to_id is not None,
    )


def report_files_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Delete files older than the retention period; the job record stays, marked as removed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REPORT_RETENTION_DAYS)
    removed = 0
    for job in ReportJob.objects.filter(status=Status.DONE, finished_at__lt=cutoff).iterator():
        if job.file:
            try:
                job.file.storage.delete(job.file.name)
            except OSError:
                logger.warning("Could not delete report file %s", job.file.name, exc_info=True)
                continue
        ReportJob.objects.filter(pk=job.pk).update(status=Status.EXPIRED, file="", expired_at=now)
        removed += 1
    return removed


def scheduled_report_create(*, report: ReportType, params: dict, owner, schedule_key: str) -> ReportJob | None:
    """Create a scheduled job once per key, built in the owner's language and sent to them."""
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        title = f"{report.title} · {report.describe(params)}"
    # get_or_create copes with a concurrent run creating the same key first.
    job, created = ReportJob.objects.get_or_create(
        schedule_key=schedule_key,
        defaults={
            "report_type": report.code,
            "params": params,
            "format": ReportJob.Format.XLSX,
            "title": title[:200],
            "language": owner.language or settings.LANGUAGE_CODE,
            "requested_by": owner,
            "deliver_to": owner,
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda: report_job_enqueue(job_id=job.pk))
    return job
