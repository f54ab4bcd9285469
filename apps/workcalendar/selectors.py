"""Reads of the working calendar: what loading a year would change, and whom it touches."""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .calendar import calendar_for
from .importing import CalendarDay
from .models import CalendarYear, StatutoryDay


@dataclass(frozen=True)
class DayChange:
    """One statutory day that a load adds, changes or removes."""

    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"

    date: datetime.date
    action: str
    old: CalendarDay | None
    new: CalendarDay | None
    was_working: bool
    is_working: bool
    # The reason of a company override that decides this day whatever the state calendar says.
    override: str | None = None

    @property
    def status_changes(self) -> bool:
        return self.was_working != self.is_working


def _one_decimal(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.1")))


@dataclass(frozen=True)
class AffectedRequest:
    """A filed leave request or field-work notice whose length in working days a load changes."""

    kind: str
    pk: int
    person: str
    what: str
    start_date: datetime.date
    end_date: datetime.date
    status: str
    old_days: Decimal
    new_days: Decimal
    url: str

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "pk": self.pk,
            "person": self.person,
            "what": self.what,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "status": self.status,
            "old_days": _one_decimal(self.old_days),
            "new_days": _one_decimal(self.new_days),
            "url": self.url,
        }


@dataclass
class CalendarPreview:
    """What loading ``days`` as the state calendar of ``year`` would change."""

    year: int
    days: list[CalendarDay]
    current: CalendarYear | None
    changes: list[DayChange]
    unchanged: int
    affected: list[AffectedRequest]
    fingerprint: str
    warnings: list[str] = field(default_factory=list)

    @property
    def added(self) -> list[DayChange]:
        return [change for change in self.changes if change.action == DayChange.ADDED]

    @property
    def changed(self) -> list[DayChange]:
        return [change for change in self.changes if change.action == DayChange.CHANGED]

    @property
    def removed(self) -> list[DayChange]:
        return [change for change in self.changes if change.action == DayChange.REMOVED]

    @property
    def affected_rows(self) -> list[dict]:
        return [row.as_dict() for row in self.affected]

    @property
    def status_changed_days(self) -> list[datetime.date]:
        return [change.date for change in self.changes if change.status_changes]


def calendar_year_fingerprint(*, year: int, rows: list[CalendarDay], current: CalendarYear | None) -> str:
    """Return a digest of a year's stored state calendar, to notice a change between preview and save."""
    text = "|".join(f"{day.date.isoformat()},{int(day.is_working)},{day.name}" for day in rows)
    if current is not None:
        text += f"#{current.source_kind}:{current.source}"
    return hashlib.sha256(f"{year}#{text}".encode()).hexdigest()


def calendar_year_days(*, year: int) -> list[CalendarDay]:
    return [
        CalendarDay(date=row[0], is_working=row[1], name=row[2])
        for row in StatutoryDay.objects.filter(date__year=year)
        .order_by("date")
        .values_list("date", "is_working", "name")
    ]


def calendar_import_preview(*, year: int, days: list[CalendarDay]) -> CalendarPreview:
    """Compare ``days`` with the stored state calendar of ``year``; list filed requests it changes."""
    current = CalendarYear.objects.filter(year=year).first()
    old_rows = calendar_year_days(year=year)
    old = {day.date: day for day in old_rows}
    new = {day.date: day for day in days}
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    calendar_now = calendar_for(first, last)
    calendar_new = calendar_now.with_statutory_year(year, days)

    changes = []
    unchanged = 0
    for date in sorted(old.keys() | new.keys()):
        before, after = old.get(date), new.get(date)
        if before == after:
            unchanged += 1
            continue
        if before is None:
            action = DayChange.ADDED
        elif after is None:
            action = DayChange.REMOVED
        else:
            action = DayChange.CHANGED
        changes.append(
            DayChange(
                date=date,
                action=action,
                old=before,
                new=after,
                was_working=calendar_now.is_working_day(date),
                is_working=calendar_new.is_working_day(date),
                override=calendar_now.override_reason(date),
            )
        )
    warnings = [
        _("%(date)s is given as a make-up working day but is a weekday anyway.") % {"date": day.date.isoformat()}
        for day in days
        if day.is_working and day.date.weekday() < 5
    ]
    preview = CalendarPreview(
        year=year,
        days=days,
        current=current,
        changes=changes,
        unchanged=unchanged,
        affected=[],
        fingerprint=calendar_year_fingerprint(year=year, rows=old_rows, current=current),
        warnings=warnings,
    )
    preview.affected = affected_requests(year=year, days=days, status_changed=preview.status_changed_days)
    return preview


def _admin_url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def affected_requests(
    *, year: int, days: list[CalendarDay], status_changed: list[datetime.date]
) -> list[AffectedRequest]:
    """Return pending and approved leave and active field-work notices that touch ``status_changed`` days.

    Old length of a leave request is the stored one; the new one is counted with ``days`` as the
    state calendar of ``year``. Nothing is written.
    """
    from apps.attendance.models import FieldWorkNotice
    from apps.leave.models import LeaveRequest

    if not status_changed:
        return []
    touches = Q()
    for day in status_changed:
        touches |= Q(start_date__lte=day, end_date__gte=day)
    leave = list(
        LeaveRequest.objects.filter(touches, status__in=LeaveRequest.ACTIVE_STATUSES)
        .select_related("user", "leave_type")
        .order_by("start_date", "pk")
    )
    notices = list(
        FieldWorkNotice.objects.filter(touches, status=FieldWorkNotice.Status.ACTIVE)
        .select_related("user")
        .order_by("start_date", "pk")
    )
    if not leave and not notices:
        return []
    start = min(row.start_date for row in [*leave, *notices])
    end = max(row.end_date for row in [*leave, *notices])
    calendar_now = calendar_for(start, end)
    calendar_new = calendar_now.with_statutory_year(year, days)
    affected = [
        AffectedRequest(
            kind=_("Leave request"),
            pk=request.pk,
            person=request.user.get_full_name(),
            what=str(request.leave_type.display_name),
            start_date=request.start_date,
            end_date=request.end_date,
            status=request.get_status_display(),
            old_days=request.days,
            new_days=calendar_new.count(request.start_date, request.end_date, request.start_half, request.end_half),
            url=_admin_url("admin:leave_leaverequest_change", request.pk),
        )
        for request in leave
    ]
    affected += [
        AffectedRequest(
            kind=_("Field-work notice"),
            pk=notice.pk,
            person=notice.user.get_full_name(),
            what=notice.destination,
            start_date=notice.start_date,
            end_date=notice.end_date,
            status=notice.get_status_display(),
            old_days=calendar_now.count(notice.start_date, notice.end_date),
            new_days=calendar_new.count(notice.start_date, notice.end_date),
            url=_admin_url("admin:attendance_fieldworknotice_change", notice.pk),
        )
        for notice in notices
    ]
    return affected


def calendar_admins():
    """Return the active people who may load the holiday calendar: superusers and holders of the import permission."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(codename="import_calendar", content_type__app_label="workcalendar")
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(user_permissions__in=permission) | Q(groups__permissions__in=permission),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
