"""Departments, positions, duties, product lifecycle and assigned tasks (R-ORG-01..06)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, localized


class Department(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
    )
    is_active = models.BooleanField(_("active"), default=True)
    office_start = models.TimeField(_("office start time"), default=datetime.time(9, 0))
    office_end = models.TimeField(
        _("end of the working day"),
        default=datetime.time(18, 0),
        help_text=_("下班时间: field-work notices for the next working day must be filed before it."),
    )
    late_grace_minutes = models.PositiveSmallIntegerField(_("late grace period (minutes)"), default=5)
    checkin_reminder_minutes = models.PositiveSmallIntegerField(
        _("check-in reminder delay (minutes)"),
        default=30,
        help_text=_("People with no check-in, notice or leave are reminded this long after the start time."),
    )
    leave_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver of the head's leave"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who approves the department head's own leave; empty means the parent department's head."),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="department_not_own_parent"),
            models.CheckConstraint(
                condition=Q(office_end__gt=models.F("office_start")), name="department_office_hours_order"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Position(TimeStampedModel):
    """A post (岗位) in a department; how many people hold it is data."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="positions"
    )
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100, blank=True)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["department", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="position_department_code_unique")]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class Duty(models.Model):
    """One numbered responsibility of the regulation.

    A department duty belongs to one of the four functions; a position duty belongs to a
    position. Exactly one of the two is set.
    """

    class Function(models.TextChoices):
        INTELLIGENCE = "intelligence", _("Intelligence")
        ADVISORY = "advisory", _("Advisory")
        SUPERVISION = "supervision", _("Supervision")
        PUBLIC_RELATIONS = "public_relations", _("Public relations")

    code = models.CharField(_("code"), max_length=32, unique=True)
    function = models.CharField(_("function"), max_length=32, choices=Function.choices, blank=True)
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duties",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["function", "position", "number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(position__isnull=True) & ~Q(function="")) | (Q(position__isnull=False) & Q(function="")),
                name="duty_function_xor_position",
            )
        ]

    def __str__(self):
        return f"{self.number}) {self.display_text}"

    @property
    def display_text(self) -> str:
        return localized(self, "text")


class LifecycleStage(models.Model):
    """A product lifecycle stage (导入期, 成长期, 成熟期) with its focus items."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("lifecycle stage")
        verbose_name_plural = _("lifecycle stages")
        ordering = ["sort_order"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class StageFocus(models.Model):
    """One thing the department concentrates on while a product is in a stage."""

    stage = models.ForeignKey(
        LifecycleStage, verbose_name=_("lifecycle stage"), on_delete=models.CASCADE, related_name="focus_items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("text (Chinese)"), max_length=200)
    text_en = models.CharField(_("text (English)"), max_length=200, blank=True)
    duties = models.ManyToManyField(
        Duty, verbose_name=_("related duties"), blank=True, related_name="stage_focus_items"
    )

    class Meta:
        verbose_name = _("stage focus")
        verbose_name_plural = _("stage focus items")
        ordering = ["stage", "number"]
        constraints = [models.UniqueConstraint(fields=["stage", "number"], name="stagefocus_stage_number_unique")]

    def __str__(self):
        return self.display_text

    @property
    def display_text(self) -> str:
        return localized(self, "text")


class Product(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    stage = models.ForeignKey(
        LifecycleStage, verbose_name=_("lifecycle stage"), on_delete=models.PROTECT, related_name="products"
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self):
        return self.name


class AssignedTask(TimeStampedModel):
    """Work a superior hands over (领导交办的其他工作), tracked to done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="tasks_handed_out",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        verbose_name = _("assigned task")
        verbose_name_plural = _("assigned tasks")
        ordering = ["due_date", "id"]
        permissions = [
            ("assign_task", _("Can assign tasks to people")),
            ("view_all_tasks", _("Can see every assigned task")),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="task_owner_status_due_idx")]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class TaskEvent(models.Model):
    """The history of an assigned task: every change of state, by whom, with a comment."""

    task = models.ForeignKey(AssignedTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=AssignedTask.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=AssignedTask.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task history")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.task}: {self.from_status} → {self.to_status}"
