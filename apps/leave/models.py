"""Leave under the department's rules (R-ATT-03..09): types, requests, decisions, comp time."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, localized
from apps.workcalendar.calendar import Half

HALF_CHOICES = [(Half.MORNING, _("morning")), (Half.AFTERNOON, _("afternoon"))]


def half_day_slot(day, half: str) -> int:
    """Number half days on one axis so that overlaps are a simple comparison."""
    return day.toordinal() * 2 + (1 if half == Half.AFTERNOON else 0)


def leave_day_share(day, *, start_date, start_half: str, end_date, end_half: str) -> Decimal:
    """How much of ``day`` (a working day within a request) the request takes: 1, or 0.5 at a half-day end."""
    share = Decimal(1)
    if day == start_date and start_half == Half.AFTERNOON:
        share -= Decimal("0.5")
    if day == end_date and end_half == Half.MORNING:
        share -= Decimal("0.5")
    return share


class LeaveType(models.Model):
    """A kind of leave and the rules that go with it; data, editable in admin."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    requires_advance_approval = models.BooleanField(
        _("must be requested before it starts"),
        default=True,
        help_text=_("严禁先休后报: a request for a period that has started is refused."),
    )
    late_filing_days = models.PositiveSmallIntegerField(
        _("working days it may be filed after the start"),
        default=0,
        help_text=_("Only for types that need not be requested in advance (e.g. sick leave)."),
    )
    requires_attachment = models.BooleanField(_("needs an attachment"), default=False)
    attachment_label = models.CharField(
        _("attachment name"), max_length=50, blank=True, help_text=_("For example: doctor's note.")
    )
    spends_comp_time = models.BooleanField(_("spends comp-time balance"), default=False)
    blocked_in_important_periods = models.BooleanField(_("not allowed in important-activity periods"), default=False)
    reason_private = models.BooleanField(
        _("reason hidden from the handover colleague"),
        default=False,
        help_text=_(
            "For example sick leave: the colleague who takes over sees the dates and the handover notes, "
            "not the reason, the attachment or the decision comments."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("leave type")
        verbose_name_plural = _("leave types")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name as a label shows it: "Personal leave", "事假"."""
        return localized(self, "name")

    @property
    def name_in_sentence(self) -> str:
        """The name inside a sentence: "Your personal leave was approved"; Chinese as it is ("您的事假已批准").

        Only English changes: its first letter is lowered unless the name starts with an acronym ("COVID leave").
        A sentence that starts with the type uses ``display_name``.
        """
        name = self.display_name
        if (get_language() or "").startswith("en") and name[:1].isupper() and not name[1:2].isupper():
            return name[0].lower() + name[1:]
        return name


class LeaveRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.PENDING, Status.APPROVED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    leave_type = models.ForeignKey(
        LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT, related_name="requests"
    )
    start_date = models.DateField(_("start date"))
    start_half = models.CharField(_("starts in the"), max_length=2, choices=HALF_CHOICES, default=Half.MORNING)
    end_date = models.DateField(_("end date"))
    end_half = models.CharField(_("ends in the"), max_length=2, choices=HALF_CHOICES, default=Half.AFTERNOON)
    start_slot = models.IntegerField(editable=False)
    end_slot = models.IntegerField(editable=False)
    days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"))
    handover_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handover colleague"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    handover_notes = models.TextField(_("handover notes"))
    attachment = models.FileField(_("attachment"), upload_to="leave/%Y/%m/", blank=True)
    attachment_name = models.CharField(_("attachment file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        related_name="leave_to_approve",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-id"]
        permissions = [("view_all_leave", _("Can see every leave request"))]
        constraints = [
            models.CheckConstraint(condition=Q(end_slot__gte=models.F("start_slot")), name="leave_end_after_start"),
            models.CheckConstraint(condition=~Q(handover_to=models.F("user")), name="leave_handover_not_self"),
            models.CheckConstraint(condition=Q(days__gte=0), name="leave_days_not_negative"),
        ]
        indexes = [
            models.Index(fields=["user", "status", "start_slot", "end_slot"], name="leave_user_status_slots_idx"),
            models.Index(fields=["status", "start_date", "end_date"], name="leave_status_dates_idx"),
            # "Leave that ends on or after a day" (the calendar's month, the queue's colleagues away): recent
            # and future rows only, however long the history (issue 8).
            models.Index(fields=["end_date", "start_date"], name="leave_end_start_idx"),
        ]

    def __str__(self):
        return f"{self.user} {self.leave_type} {self.start_date}–{self.end_date}"

    def day_share(self, day) -> Decimal:
        """How much of ``day`` (a working day within the request) it takes: 1, or 0.5 at a half-day end."""
        return leave_day_share(
            day, start_date=self.start_date, start_half=self.start_half, end_date=self.end_date, end_half=self.end_half
        )

    def save(self, *args, **kwargs):
        self.start_slot = half_day_slot(self.start_date, self.start_half)
        self.end_slot = half_day_slot(self.end_date, self.end_half)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class LeaveEvent(models.Model):
    """Every decision on a request: who, when, from which state to which, and why."""

    request = models.ForeignKey(
        LeaveRequest, verbose_name=_("leave request"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=LeaveRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=LeaveRequest.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("leave decision")
        verbose_name_plural = _("leave decisions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


class ImportantPeriod(TimeStampedModel):
    """重要活动期间: no comp leave may overlap it (R-ATT-06)."""

    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="important_periods",
        help_text=_("Empty means the whole company."),
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("declared by"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("important-activity period")
        verbose_name_plural = _("important-activity periods")
        ordering = ["-start_date"]
        permissions = [("declare_important_period", _("Can declare important-activity periods"))]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="period_end_after_start")
        ]

    def __str__(self):
        return f"{self.name} ({self.start_date}–{self.end_date})"


class ActingApprover(TimeStampedModel):
    """Someone a department head names to approve leave in their place for a period."""

    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="acting_approvers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acting approver"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("named by"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("acting approver")
        verbose_name_plural = _("acting approvers")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="acting_end_after_start")
        ]

    def __str__(self):
        return f"{self.user} ({self.start_date}–{self.end_date})"


class CompTimeGrantRequest(TimeStampedModel):
    """A request to earn comp time for work on a non-working day, decided by the head."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="comp_grants"
    )
    work_date = models.DateField(_("date worked"))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1)
    reason = models.TextField(_("what was done"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("comp-time grant request")
        verbose_name_plural = _("comp-time grant requests")
        ordering = ["-work_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gt=0) & Q(days__lte=Decimal("1.0")), name="compgrant_days_half_or_one"
            ),
            models.UniqueConstraint(
                fields=["user", "work_date"],
                condition=Q(status__in=["pending", "approved"]),
                name="compgrant_one_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.work_date} {self.days}"


class CompTimeEntry(models.Model):
    """The comp-time ledger: grants add, comp leave spends, cancellation gives back."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Granted")
        SPEND = "spend", _("Spent on comp leave")
        REFUND = "refund", _("Given back (leave cancelled)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="comp_time"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    leave_request = models.ForeignKey(
        LeaveRequest, verbose_name=_("leave request"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grant_request = models.ForeignKey(
        CompTimeGrantRequest,
        verbose_name=_("grant request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("comp-time entry")
        verbose_name_plural = _("comp-time ledger")
        ordering = ["-created_at", "-id"]
        permissions = [("grant_comp_time", _("Can grant comp time directly"))]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="spend") & Q(days__lt=0)) | (~Q(kind="spend") & Q(days__gt=0)),
                name="comptime_sign_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["leave_request", "kind"],
                condition=Q(leave_request__isnull=False),
                name="comptime_one_entry_per_leave_and_kind",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.days}"
