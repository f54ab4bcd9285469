from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import ConfidentialityLevel


class User(AbstractUser):
    """A person of the company who logs in; holds a position and a clearance."""

    employee_no = models.CharField(_("employee number"), max_length=32, blank=True)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    position = models.ForeignKey(
        "org.Position",
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holders",
    )
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    clearance = models.PositiveSmallIntegerField(
        _("confidentiality clearance"),
        choices=ConfidentialityLevel.choices,
        default=ConfidentialityLevel.INTERNAL,
        help_text=_("The highest confidentiality level this person may read."),
    )
    employment_start = models.DateField(
        _("employment start date"),
        default=timezone.localdate,
        help_text=_("入职日期: attendance is expected from this day on."),
    )
    employment_end = models.DateField(
        _("leaving date"),
        null=True,
        blank=True,
        help_text=_("离职日期: the last day of employment; empty while the person is employed."),
    )
    attendance_exempt = models.BooleanField(
        _("exempt from check-in"),
        default=False,
        help_text=_("免打卡: not expected to check in, left out of attendance summaries and reminders."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_no"],
                condition=~Q(employee_no=""),
                name="user_employee_no_unique",
            ),
            models.CheckConstraint(
                condition=Q(employment_end__isnull=True) | Q(employment_end__gte=models.F("employment_start")),
                name="user_employment_end_after_start",
            ),
        ]
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.get_full_name()

    def clean(self):
        super().clean()
        if self.employment_start and self.employment_end and self.employment_end < self.employment_start:
            raise ValidationError(
                {
                    "employment_end": ValidationError(
                        _("The leaving date cannot be before the employment start date."),
                        code="employment_end_before_start",
                    )
                }
            )

    def is_employed_on(self, day) -> bool:
        """Return whether ``day`` lies within the employment period."""
        return self.employment_start <= day and (self.employment_end is None or day <= self.employment_end)

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self):
        return self.full_name or self.username
