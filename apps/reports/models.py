import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import ConfidentialityLevel


def report_storage():
    """Private storage for report files: no public URL, served only through the download view."""
    return storages["reports"]


class ReportJob(models.Model):
    """One request for a report: built by a Celery task, downloaded through a checked view."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("File removed")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (XLSX)")
        CSV = "csv", _("CSV")
        PDF = "pdf", _("PDF (printable)")

    class Error(models.TextChoices):
        TIMEOUT = "timeout", _("The report took too long to build. Narrow it down and try again.")
        UNEXPECTED = "unexpected", _("The report could not be built because of an unexpected error.")
        UNKNOWN_TYPE = "unknown_type", _("This report type is no longer available.")
        TRANSIENT = "transient", _("The database or the broker was unavailable; the report will be retried.")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report_type = models.CharField(_("report"), max_length=64, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.XLSX)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    # Scheduled reports are sent to this person when they are done.
    deliver_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("send to"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Makes scheduled creation idempotent: one job per schedule run.
    schedule_key = models.CharField(_("schedule key"), max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), storage=report_storage, upload_to="", blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    # The requester's clearance when the file was built, for report types of classified material
    # (``ReportType.file_clearance``); nobody whose clearance is below it may open the file.
    built_clearance = models.PositiveSmallIntegerField(
        _("built under clearance"), choices=ConfidentialityLevel.choices, null=True, blank=True
    )
    error_code = models.CharField(_("error"), max_length=32, choices=Error.choices, blank=True)
    error_detail = models.TextField(_("technical detail"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    enqueued_at = models.DateTimeField(_("sent to the worker at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("file removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="reportjob_status_enqueued_idx")]
        permissions = [
            ("view_attendance_report", _("Can build and open every monthly attendance report")),
            ("view_leave_report", _("Can build and open every leave statistics report")),
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def file_withheld_from(self, user) -> bool:
        """Return True when the file holds material above ``user``'s current clearance."""
        return self.built_clearance is not None and self.built_clearance > user.clearance

    @property
    def download_name(self) -> str:
        from .registry import report_type

        report = report_type(self.report_type)
        stem = report.file_stem(self.params) if report else self.report_type
        return f"{stem}.{self.format}"

    @property
    def error_message(self) -> str:
        return self.get_error_code_display() if self.error_code else ""
