"""Reads of attendance: today's state, a person's month, the monthly summary (R-ATT-10)."""

import calendar as month_calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import DecimalField, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum

from apps.accounts.models import User
from apps.leave.models import CompTimeEntry, LeaveRequest, LeaveType, leave_day_share
from apps.leave.selectors import leave_types_in_order
from apps.org.models import Department
from apps.org.selectors import active_departments, headed_department_ids
from apps.workcalendar.calendar import WorkingCalendar, calendar_for

from .models import CheckIn, FieldWorkNotice


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    last = month_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def checkin_today(*, user, today: datetime.date) -> CheckIn | None:
    # By primary key: the model's ordering would join the user table for nothing.
    return CheckIn.objects.filter(user=user, date=today).order_by("pk").first()


@dataclass(frozen=True)
class TodayCheckIn:
    """Today's check-in as the check-in page shows it."""

    checked_in_at: datetime.datetime
    is_late: bool
    on_working_day: bool


@dataclass(frozen=True)
class CheckInPage:
    department: Department | None
    check_in: TodayCheckIn | None
    comp_balance: Decimal


def checkin_page(*, user, today: datetime.date) -> CheckInPage:
    """Return the person's department, today's check-in and comp-time balance in one query."""
    balance = (
        CompTimeEntry.objects.filter(user=OuterRef("pk")).order_by().values("user").annotate(t=Sum("days")).values("t")
    )
    row = (
        User.objects.filter(pk=user.pk)
        .select_related("department")
        .annotate(
            today_check_in=FilteredRelation("check_ins", condition=Q(check_ins__date=today)),
            page_checked_in_at=F("today_check_in__checked_in_at"),
            page_is_late=F("today_check_in__is_late"),
            page_on_working_day=F("today_check_in__on_working_day"),
            page_comp_balance=Subquery(balance[:1], output_field=DecimalField(max_digits=7, decimal_places=1)),
        )
        .only("id", "department")
        .first()
    )
    if row is None:
        return CheckInPage(department=None, check_in=None, comp_balance=Decimal(0))
    check_in = None
    if row.page_checked_in_at is not None:
        check_in = TodayCheckIn(
            checked_in_at=row.page_checked_in_at, is_late=row.page_is_late, on_working_day=row.page_on_working_day
        )
    return CheckInPage(department=row.department, check_in=check_in, comp_balance=row.page_comp_balance or Decimal(0))


def field_notices_on(*, day: datetime.date, departments=None) -> QuerySet[FieldWorkNotice]:
    """Active notices covering ``day``; only of people in ``departments`` when given."""
    qs = FieldWorkNotice.objects.filter(status=FieldWorkNotice.Status.ACTIVE, start_date__lte=day, end_date__gte=day)
    if departments is not None:
        qs = qs.filter(user__department__in=departments)
    return qs.select_related("user", "user__department", "received_by").order_by("user__full_name", "id")


def field_notices_of(*, user) -> QuerySet[FieldWorkNotice]:
    return FieldWorkNotice.objects.filter(user=user).order_by("-start_date", "-id")


@dataclass
class DayRecord:
    date: datetime.date
    is_working: bool
    holiday: str = ""
    check_in: CheckIn | None = None
    notices: list = field(default_factory=list)
    leave: list = field(default_factory=list)
    is_past: bool = True  # today and later days are still open, never unexcused
    is_employed: bool = True  # before the start or after the leaving date nothing is expected

    @property
    def is_unexcused(self) -> bool:
        """A past working day of employment with no check-in, no field-work notice and no approved leave."""
        return (
            self.is_past
            and self.is_employed
            and self.is_working
            and self.check_in is None
            and not self.notices
            and not self.leave
        )


@dataclass
class PersonMonth:
    user: User
    days: list[DayRecord]
    working_days: int = 0
    present: int = 0
    late: int = 0
    field_work: int = 0
    unexcused: int = 0
    leave_days: dict = field(default_factory=dict)  # leave type id -> Decimal


class _CheckInMark(NamedTuple):
    """A check-in as the summary reads it: that there is one, and whether it was late."""

    is_late: bool


class _Span(NamedTuple):
    """A field-work notice's or an approved leave request's days, as the summary reads them."""

    start_date: datetime.date
    end_date: datetime.date
    leave_type_id: int | None = None
    start_half: str = ""
    end_half: str = ""

    def day_share(self, day: datetime.date) -> Decimal:
        return leave_day_share(
            day, start_date=self.start_date, start_half=self.start_half, end_date=self.end_date, end_half=self.end_half
        )


_CHECK_IN, _NOTICE, _LEAVE = 0, 1, 2


def _as_date(value) -> datetime.date:
    # SQLite (the embedded database of ``make run``) returns the dates of a raw query as text.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _month_values_sql(*, ids: list[int], start: datetime.date, end: datetime.date) -> tuple[str, list]:
    """One ``UNION ALL`` of a month's check-ins, active field-work notices and approved leave of
    ``ids``: ``(kind, user, start, end, leave type, start half, end half, late)``. Every value is a
    parameter; table and column names come from the models."""
    qn = connection.ops.quote_name

    def column(model, name: str) -> str:
        return qn(model._meta.get_field(name).column)

    people = ", ".join(["%s"] * len(ids))

    def branch(kind: int, model, columns: list[str], where: str) -> str:
        table = qn(model._meta.db_table)
        return f"SELECT {kind}, {', '.join(columns)} FROM {table} WHERE {where}"  # noqa: S608 (names, not values)

    check_in, notice, leave = CheckIn, FieldWorkNotice, LeaveRequest
    # PostgreSQL settles a column's type branch by branch: the leave type's NULLs are cast first.
    no_type = "CAST(NULL AS BIGINT)"
    sql = " UNION ALL ".join(
        [
            branch(
                _CHECK_IN,
                check_in,
                [column(check_in, "user"), column(check_in, "date"), column(check_in, "date"), no_type, "NULL", "NULL"]
                + [column(check_in, "is_late")],
                f"{column(check_in, 'user')} IN ({people}) AND {column(check_in, 'date')} BETWEEN %s AND %s",
            ),
            branch(
                _NOTICE,
                notice,
                [column(notice, "user"), column(notice, "start_date"), column(notice, "end_date"), no_type]
                + ["NULL", "NULL", "NULL"],
                f"{column(notice, 'user')} IN ({people}) AND {column(notice, 'status')} = %s "
                f"AND {column(notice, 'start_date')} <= %s AND {column(notice, 'end_date')} >= %s",
            ),
            branch(
                _LEAVE,
                leave,
                [column(leave, "user"), column(leave, "start_date"), column(leave, "end_date")]
                + [column(leave, "leave_type"), column(leave, "start_half"), column(leave, "end_half"), "NULL"],
                f"{column(leave, 'user')} IN ({people}) AND {column(leave, 'status')} = %s "
                f"AND {column(leave, 'start_date')} <= %s AND {column(leave, 'end_date')} >= %s",
            ),
        ]
    )
    params = [
        *ids,
        start,
        end,
        *ids,
        FieldWorkNotice.Status.ACTIVE.value,
        end,
        start,
        *ids,
        LeaveRequest.Status.APPROVED.value,
        end,
        start,
    ]
    return sql, params


class MonthData:
    """Everything needed for one month and a set of people, in a fixed number of queries.

    The working calendar is asked once per day of the month, not once per person and day, and each
    person's notices and leave are spread over their days once.

    ``days=False`` reads only what the totals need (the monthly summary): plain values instead of
    model instances, which at the end of a month are a thousand check-ins for a department of fifty;
    ``person`` then gives the totals only.
    """

    def __init__(self, *, users, year: int, month: int, today: datetime.date, days: bool = True):
        self.start, self.end = month_bounds(year, month)
        self.today = today
        self.users = list(users)
        ids = [u.pk for u in self.users]
        self.calendar: WorkingCalendar = calendar_for(self.start, self.end)
        self.month_days: list[tuple[datetime.date, bool, str]] = []  # (day, working, holiday name)
        day = self.start
        while day <= self.end:
            self.month_days.append((day, self.calendar.is_working_day(day), self.calendar.holiday_name(day)))
            day += datetime.timedelta(days=1)
        self.days = days
        self.check_ins = defaultdict(dict)
        self.notices = defaultdict(list)
        self.leave = defaultdict(list)
        if days:
            self._read_rows(ids)
        else:
            self._read_values(ids)

    def _read_rows(self, ids: list[int]) -> None:
        # Only the columns the month and the summary show; check-ins unordered (their ordering joins the user).
        for check_in in (
            CheckIn.objects.filter(user_id__in=ids, date__range=(self.start, self.end))
            .order_by()
            .only("user_id", "date", "checked_in_at", "is_late")
        ):
            self.check_ins[check_in.user_id][check_in.date] = check_in
        for notice in FieldWorkNotice.objects.filter(
            user_id__in=ids,
            status=FieldWorkNotice.Status.ACTIVE,
            start_date__lte=self.end,
            end_date__gte=self.start,
        ).only("user_id", "start_date", "end_date", "destination"):
            self.notices[notice.user_id].append(notice)
        for leave in (
            LeaveRequest.objects.filter(
                user_id__in=ids,
                status=LeaveRequest.Status.APPROVED,
                start_date__lte=self.end,
                end_date__gte=self.start,
            )
            .select_related("leave_type")
            .only(
                "user_id",
                "leave_type_id",
                "start_date",
                "start_half",
                "end_date",
                "end_half",
                "leave_type__name",
                "leave_type__name_en",
            )
        ):
            self.leave[leave.user_id].append(leave)

    def _read_values(self, ids: list[int]) -> None:
        """What the totals read, as plain values: the same rows as ``_read_rows``, in one query.

        The check-ins, active field-work notices and approved leave of the month are one
        ``UNION ALL`` of plain columns (a round trip and a query to build, where three cost three
        each: most of the summary's time). ``tests/attendance/test_summary_rows.py`` holds the totals
        equal to those of ``_read_rows``.
        """
        if not ids:
            return
        sql, params = _month_values_sql(ids=ids, start=self.start, end=self.end)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for kind, user_id, start, end, type_id, start_half, end_half, is_late in rows:
            if kind == _CHECK_IN:
                self.check_ins[user_id][_as_date(start)] = _CheckInMark(bool(is_late))
            elif kind == _NOTICE:
                self.notices[user_id].append(_Span(_as_date(start), _as_date(end)))
            else:
                self.leave[user_id].append(_Span(_as_date(start), _as_date(end), type_id, start_half, end_half))

    def _by_day(self, rows) -> dict[datetime.date, list]:
        by_day: dict[datetime.date, list] = {}
        for row in rows:
            day = max(row.start_date, self.start)
            last = min(row.end_date, self.end)
            while day <= last:
                by_day.setdefault(day, []).append(row)
                day += datetime.timedelta(days=1)
        return by_day

    def person(self, user, *, with_days: bool = True) -> PersonMonth:
        """Return ``user``'s month; ``with_days=False`` gives the totals only (the summary's rows)."""
        if with_days and not self.days:
            raise ValueError("This month was read for its totals only (days=False).")
        days = []
        summary = PersonMonth(user=user, days=days)
        check_ins = self.check_ins.get(user.pk, {})
        notices = self._by_day(self.notices.get(user.pk, ()))
        leave_by_day = self._by_day(self.leave.get(user.pk, ()))
        first_day, last_day = user.employment_start, user.employment_end
        for day, working, holiday in self.month_days:
            check_in = check_ins.get(day)
            day_notices = notices.get(day, [])
            day_leave = leave_by_day.get(day, [])
            employed = first_day <= day and (last_day is None or day <= last_day)
            if with_days:
                days.append(
                    DayRecord(
                        date=day,
                        is_working=working,
                        holiday=holiday,
                        check_in=check_in,
                        notices=day_notices,
                        leave=day_leave,
                        is_past=day < self.today,
                        is_employed=employed,
                    )
                )
            if not (working and employed):
                continue
            summary.working_days += 1
            if check_in is not None:
                summary.present += 1
                summary.late += check_in.is_late
            if day_notices:
                summary.field_work += 1
            for leave in day_leave:
                share = leave.day_share(day)
                summary.leave_days[leave.leave_type_id] = summary.leave_days.get(leave.leave_type_id, 0) + share
            # DayRecord.is_unexcused, for a working day of employment.
            if day < self.today and check_in is None and not day_notices and not day_leave:
                summary.unexcused += 1
        return summary


def attendance_month(*, user, year: int, month: int, today: datetime.date) -> PersonMonth:
    return MonthData(users=[user], year=year, month=month, today=today).person(user)


def attendance_summary(*, users, year: int, month: int, today: datetime.date) -> tuple[list[PersonMonth], dict]:
    """Return one row per person and the department totals for a month (R-ATT-10)."""
    data = MonthData(users=users, year=year, month=month, today=today, days=False)
    rows = [data.person(user, with_days=False) for user in data.users]
    totals = {
        "present": sum(r.present for r in rows),
        "late": sum(r.late for r in rows),
        "field_work": sum(r.field_work for r in rows),
        "unexcused": sum(r.unexcused for r in rows),
        "leave_days": defaultdict(Decimal),
    }
    for row in rows:
        for type_id, days in row.leave_days.items():
            totals["leave_days"][type_id] += days
    return rows, totals


# What a month, the summary and its reports read of a person.
PERSON_FIELDS = (
    "id",
    "username",
    "full_name",
    "first_name",
    "last_name",
    "employee_no",
    "department",
    "employment_start",
    "employment_end",
)


def attendance_people(
    *, department, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[User]:
    """Return the people expected to check in, employed on at least one day of ``start``..``end`` if given.

    People exempt from check-in are left out. A person who has left keeps appearing for the
    months of their employment even once their account is deactivated.
    """
    qs = (
        User.objects.filter(attendance_exempt=False)
        .select_related("department")
        .only(*PERSON_FIELDS, "department__code", "department__name", "department__name_en")
    )
    if start is None or end is None:
        qs = qs.filter(is_active=True)
    else:
        qs = qs.filter(
            Q(is_active=True) | Q(employment_end__isnull=False),
            Q(employment_end__isnull=True) | Q(employment_end__gte=start),
            employment_start__lte=end,
        )
    if department is not None:
        qs = qs.filter(department=department)
    return qs.order_by("full_name", "username")


def attendance_departments_visible_to(*, user) -> list[Department]:
    """Return the active departments whose attendance ``user`` may read, ordered by code.

    Everyone sees the departments they head and those below them; with
    ``view_department_attendance`` also their own department; with ``view_all_attendance``
    (Administration) every department.
    """
    departments = active_departments()
    if user.has_perm("attendance.view_all_attendance"):
        return departments
    visible = headed_department_ids(departments=departments, user=user)
    if user.department_id and user.has_perm("attendance.view_department_attendance"):
        visible.add(user.department_id)
    return [d for d in departments if d.pk in visible]


def leave_types_for_report() -> list[LeaveType]:
    """Every leave type, in column order (cached: ``apps.leave.selectors.leave_types_in_order``)."""
    return leave_types_in_order()
