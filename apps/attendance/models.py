"""Check-in (R-ATT-01) and field-work notices (R-ATT-02)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CheckIn(models.Model):
    """One check-in (签到) per person and day; the time is the server's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="check_ins"
    )
    date = models.DateField(_("date"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    is_late = models.BooleanField(_("late"), default=False)
    on_working_day = models.BooleanField(_("on a working day"), default=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-date", "user"]
        permissions = [
            ("view_department_attendance", _("Can see the department's attendance")),
            ("view_all_attendance", _("Can see every department's attendance")),
        ]
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="checkin_one_per_person_and_day")]
        indexes = [models.Index(fields=["date", "user"], name="checkin_date_user_idx")]

    def __str__(self):
        return f"{self.user} {self.date}"


class FieldWorkNotice(models.Model):
    """外出报备: filed with Administration before the end of the previous working day."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Filed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="field_notices"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    destination = models.CharField(_("destination"), max_length=200)
    purpose = models.TextField(_("purpose"))
    customer_name = models.CharField(_("customer"), max_length=200, blank=True)
    filed_at = models.DateTimeField(_("filed at"))
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("field-work notice")
        verbose_name_plural = _("field-work notices")
        ordering = ["-start_date", "-id"]
        permissions = [("receive_field_notice", _("Can receive field-work notices (Administration)"))]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="notice_end_after_start"),
            # No backdating: a notice is always filed before its deadline.
            models.CheckConstraint(condition=Q(filed_at__lt=models.F("deadline")), name="notice_filed_before_deadline"),
        ]
        indexes = [models.Index(fields=["status", "start_date", "end_date"], name="notice_status_dates_idx")]

    def __str__(self):
        return f"{self.user} {self.start_date}–{self.end_date} {self.destination}"
