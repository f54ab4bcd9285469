"""The working calendar (R-ATT-07): statutory holidays and make-up days, plus company overrides."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

# chinesecalendar names holidays in English; these are the labels people read.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist War Victory Day"),
}


class CalendarYear(models.Model):
    """A year whose statutory days have been loaded, and where they came from."""

    class SourceKind(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar package")
        FILE = "file", _("file import")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source_kind = models.CharField(
        _("loaded from"), max_length=16, choices=SourceKind.choices, default=SourceKind.PACKAGE
    )
    # The package and its version ("chinesecalendar 1.11.0"), or the imported file's name.
    source = models.CharField(_("source"), max_length=200)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]
        permissions = [("import_calendar", _("Can import a year's holiday calendar from a file"))]

    def __str__(self):
        return str(self.year)

    @property
    def is_file_import(self) -> bool:
        return self.source_kind == self.SourceKind.FILE


class StatutoryDay(models.Model):
    """A day the state calendar makes different from the Monday–Friday rule."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(
        _("working day"), help_text=_("Checked for an adjusted working weekend (调休/补班).")
    )
    name = models.CharField(_("holiday"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("statutory day")
        verbose_name_plural = _("statutory days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.display_name}"

    @property
    def display_name(self) -> str:
        return str(HOLIDAY_NAMES.get(self.name, self.name))


class CalendarOverride(TimeStampedModel):
    """A company decision that beats the state calendar for one day."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("company calendar override")
        verbose_name_plural = _("company calendar overrides")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.reason}"
