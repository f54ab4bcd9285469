import calendar as month_calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES

from apps.accounts.models import User
from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.core.choices import cached_for_models, cached_for_models_keys
from apps.core.months import parse_month
from apps.org.models import Department
from apps.org.selectors import NAME_FIELDS, active_departments, active_departments_cache_keys, headed_department_ids
from apps.workcalendar.calendar import calendar_cache_keys

from .models import (
    ActingApprover,
    CompTimeEntry,
    CompTimeGrantRequest,
    ImportantPeriod,
    LeaveEvent,
    LeaveRequest,
    LeaveType,
)

Status = LeaveRequest.Status

# What a list shows of a person: ``get_full_name`` reads these. Lists that name many people read only
# them: with select_related the ORM compiles and loads every column of every joined row (issue 8).
PERSON_FIELDS = ("id", "full_name", "first_name", "last_name", "username")


def _person(relation: str) -> list[str]:
    return [f"{relation}__{name}" for name in PERSON_FIELDS]


def _leave_type_fields() -> list[str]:
    return [f"leave_type__{field.name}" for field in LeaveType._meta.concrete_fields]


def _queue_list_fields() -> list[str]:
    """The columns the queue's tables, its reason rule and its details read of a request and its joins."""
    return [
        *("created_at", "user_id", "leave_type_id", "start_date", "start_half", "end_date", "end_half", "days"),
        *("reason", "handover_to_id", "status", "approver_id", "decided_by_id", "decided_at"),
        *_person("user"),
        *("user__department_id", "user__department__id", "user__department__head"),
        *_leave_type_fields(),
    ]


def acting_approver_for(*, department: Department, on_date: datetime.date) -> User | None:
    acting = (
        ActingApprover.objects.filter(
            department=department, is_active=True, start_date__lte=on_date, end_date__gte=on_date
        )
        .select_related("user")
        .order_by("-start_date", "-id")
        .first()
    )
    return acting.user if acting else None


def departments_approved_by(*, user, on_date: datetime.date) -> list[int]:
    """Return ids of departments whose members' leave ``user`` decides today (as head or acting)."""
    # One query for both roles (issue 8): a department headed, or one the user is acting approver of
    # today. Written out: every leave page asks, and the queryset cost a millisecond to build and compile.
    quote = connection.ops.quote_name
    sql = (
        f"SELECT d.id FROM {quote(Department._meta.db_table)} d WHERE d.head_id = %s OR d.id IN ("  # noqa: S608
        f"SELECT a.department_id FROM {quote(ActingApprover._meta.db_table)} a "
        "WHERE a.user_id = %s AND a.is_active AND a.start_date <= %s AND a.end_date >= %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, on_date, on_date])
        return sorted({row[0] for row in cursor.fetchall()})


def leave_approval_queue(
    *, user, on_date: datetime.date, departments: list[int] | None = None
) -> QuerySet[LeaveRequest]:
    """Pending requests waiting for ``user``: routed to them, or in a department they decide for.

    ``departments``: what ``departments_approved_by`` returns, when the caller has it already.
    """
    if departments is None:
        departments = departments_approved_by(user=user, on_date=on_date)
    # A head's own leave goes up a level, so it never lands in their department's queue.
    members_of_departments = Q(user__department_id__in=departments) & ~Q(user__department__head=F("user"))
    return (
        LeaveRequest.objects.filter(status=Status.PENDING)
        .filter(Q(approver=user) | members_of_departments)
        .exclude(user=user)
        .select_related("user", "user__department", "leave_type", "handover_to")
        .only(*_queue_list_fields(), *_person("handover_to"))
        .order_by("start_date", "id")
    )


def _visible_condition(*, user) -> Q:
    """What ``leave_request_visible_to`` filters on, for a user without ``view_all_leave``."""
    departments = departments_approved_by(user=user, on_date=timezone.localdate())
    condition = Q(user=user) | Q(handover_to=user) | Q(approver=user)
    if departments:
        # Like the queue: deciding for a department (as head or acting) does not open the head's own leave.
        condition |= Q(user__department_id__in=departments) & ~Q(user__department__head=F("user"))
    return condition


def leave_request_visible_to(*, user) -> QuerySet[LeaveRequest]:
    """Requests ``user`` may open: their own, handed over to them, routed to them, or all with the permission."""
    qs = LeaveRequest.objects.select_related(
        "user", "user__department", "leave_type", "handover_to", "approver", "decided_by"
    )
    if not user.is_active:
        return qs.none()
    if user.has_perm("leave.view_all_leave"):
        return qs
    return qs.filter(_visible_condition(user=user)).distinct()


def leave_openable_by(*, user):
    """An expression for annotations: whether ``user`` may open the request (as ``leave_request_visible_to``)."""
    if not user.is_active:
        return Value(False, output_field=BooleanField())
    if user.has_perm("leave.view_all_leave"):
        return Value(True, output_field=BooleanField())
    return ExpressionWrapper(_visible_condition(user=user), output_field=BooleanField())


def leave_requests_of(*, user) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(user=user).select_related("leave_type", "handover_to", "approver")


def handovers_to(*, user) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(handover_to=user, status__in=LeaveRequest.ACTIVE_STATUSES)
        .select_related("user", "leave_type")
        .order_by("start_date", "id")
    )


def leave_overlapping(*, user, start_slot: int, end_slot: int, exclude_pk=None) -> QuerySet[LeaveRequest]:
    qs = LeaveRequest.objects.filter(
        user=user, status__in=LeaveRequest.ACTIVE_STATUSES, start_slot__lte=end_slot, end_slot__gte=start_slot
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def important_periods_overlapping(*, department, start: datetime.date, end: datetime.date):
    return ImportantPeriod.objects.filter(
        Q(department__isnull=True) | Q(department=department),
        is_active=True,
        start_date__lte=end,
        end_date__gte=start,
    ).order_by("start_date")


def comp_time_balance(*, user) -> Decimal:
    return CompTimeEntry.objects.filter(user=user).aggregate(total=Sum("days"))["total"] or Decimal("0")


def comp_time_pending_spend(*, user, exclude_pk=None):
    """Comp-leave days requested but not yet decided: they are promised out of the balance."""
    qs = LeaveRequest.objects.filter(user=user, status=Status.PENDING, leave_type__spends_comp_time=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("days"))["total"] or Decimal("0")


def comp_time_summary(*, user) -> tuple[Decimal, Decimal]:
    """Return ``comp_time_balance`` and ``comp_time_pending_spend`` of ``user`` in one query (the comp-time page)."""
    balance = CompTimeEntry.objects.filter(user=OuterRef("pk")).order_by().values("user").annotate(total=Sum("days"))
    pending = (
        LeaveRequest.objects.filter(user=OuterRef("pk"), status=Status.PENDING, leave_type__spends_comp_time=True)
        .order_by()
        .values("user")
        .annotate(total=Sum("days"))
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            comp_balance=Subquery(balance.values("total")[:1]), comp_pending=Subquery(pending.values("total")[:1])
        )
        .values_list("comp_balance", "comp_pending")
        .first()
    )
    balance_total, pending_total = row or (None, None)
    return balance_total or Decimal("0"), pending_total or Decimal("0")


def comp_grant_queue(
    *, user, on_date: datetime.date, departments: list[int] | None = None
) -> QuerySet[CompTimeGrantRequest]:
    if departments is None:
        departments = departments_approved_by(user=user, on_date=on_date)
    # A check-in on the day worked is the evidence the head looks for.
    checked_in = CheckIn.objects.filter(user=OuterRef("user"), date=OuterRef("work_date"))
    return (
        CompTimeGrantRequest.objects.filter(status=CompTimeGrantRequest.Status.PENDING)
        .filter(Q(approver=user) | Q(user__department_id__in=departments))
        .exclude(user=user)
        .select_related("user")
        .annotate(checked_in_at=Subquery(checked_in.values("checked_in_at")[:1]))
        .order_by("work_date", "id")
    )


def comp_grant_queue_rows(*, user, on_date: datetime.date, departments: list[int] | None = None) -> list:
    """Return the queue's comp-time requests, each with the balance ``balance_before`` and ``balance_after`` approval.

    One query: the balance is a subquery of each request, and only what the queue shows is read of each
    request and its requester (issue 8). The queue page reads the same as plain values with
    ``comp_grant_queue_values`` (``tests/leave/test_queue_raw.py``).
    """
    balance = (
        CompTimeEntry.objects.filter(user=OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(total=Sum("days"))
        .values("total")[:1]
    )
    grants = list(
        comp_grant_queue(user=user, on_date=on_date, departments=departments)
        .only("user_id", "work_date", "days", "reason", *_person("user"))
        .annotate(balance_total=Subquery(balance))
    )
    for grant in grants:
        grant.balance_before = grant.balance_total or Decimal("0")
        grant.balance_after = grant.balance_before + grant.days
    return grants


def leave_types_in_order() -> list[LeaveType]:
    """Every leave type, inactive ones too, in their order (``sort_order``, code): the monthly
    summary's columns and the leave calendar's colours. Cached until a type is saved (``apps.core.choices``)."""
    return cached_for_models(
        "leave.types_in_order",
        (LeaveType,),
        lambda: list(LeaveType.objects.order_by("sort_order", "code")),
        language=False,
    )


def month_page_cache_keys(month: str | None) -> list[str]:
    """What a department's month page (the monthly summary, the leave calendar) reads from the cache:
    the departments, the leave types and the working calendar of ``month`` (``YYYY-MM``; the current
    month when it cannot be read). To read ahead with ``cache_keys.prefetched``."""
    year, number, _valid = parse_month(month)
    first = datetime.date(year, number, 1)
    last = datetime.date(year, number, month_calendar.monthrange(year, number)[1])
    types = cached_for_models_keys("leave.types_in_order", (LeaveType,), language=False)
    return [*active_departments_cache_keys(), *types, *calendar_cache_keys(first, last)]


def leave_types_active() -> QuerySet[LeaveType]:
    return LeaveType.objects.filter(is_active=True)


def leave_in_range(*, start: datetime.date, end: datetime.date, department=None, statuses=None):
    qs = LeaveRequest.objects.filter(
        status__in=statuses or (Status.APPROVED,), start_date__lte=end, end_date__gte=start
    ).select_related("user", "leave_type")
    if department is not None:
        qs = qs.filter(user__department=department)
    return qs.order_by("start_date", "user__full_name")


# The columns of a request the leave calendar shows (``leave_calendar_month``): each access to another
# would read it row by row (the growth guards in tests/test_query_growth.py would count them).
CALENDAR_FIELDS = (
    "user_id",
    "leave_type_id",
    "start_date",
    "start_half",
    "end_date",
    "end_half",
    "days",
    "status",
    *(f"user__{name}" for name in NAME_FIELDS),
    "leave_type__code",
    "leave_type__name",
    "leave_type__name_en",
)


def leave_calendar_month(
    *, user, department, start: datetime.date, end: datetime.date, today: datetime.date
) -> tuple[list[LeaveRequest], list[LeaveRequest]]:
    """Return a department's pending and approved leave from ``start`` to ``end``, and its approved leave today.

    One query, whatever the month and the history: each request carries ``can_open`` (``user`` may
    open it). Both lists are ordered by start date, then name.
    """
    statuses = (Status.APPROVED, Status.PENDING)
    found = list(
        LeaveRequest.objects.filter(user__department=department)
        .filter(
            Q(status__in=statuses, start_date__lte=end, end_date__gte=start)
            | Q(status=Status.APPROVED, start_date__lte=today, end_date__gte=today)
        )
        .select_related("user", "leave_type")
        # What the grid, the list of days and the month's list show: no password, no reason.
        .only(*CALENDAR_FIELDS)
        .annotate(can_open=leave_openable_by(user=user))
        .order_by("start_date", "user__full_name", "id")
    )
    month = [leave for leave in found if leave.start_date <= end and leave.end_date >= start]
    out_today = [
        leave for leave in found if leave.status == Status.APPROVED and leave.start_date <= today <= leave.end_date
    ]
    return month, out_today


def leave_calendar_departments(*, user) -> list[Department]:
    """Return the active departments whose leave calendar ``user`` may open, ordered by code.

    Everyone sees their own department; heads also the departments they head and every one below
    them; with ``view_all_leave`` every department.
    """
    departments = active_departments()  # cached until a department changes (no query when warm)
    if user.has_perm("leave.view_all_leave"):
        return departments
    visible = headed_department_ids(departments=departments, user=user)
    if user.department_id:
        visible.add(user.department_id)
    return [d for d in departments if d.pk in visible]


# ---------------------------------------------------------------------------------------------
# The approval queue page: everything a row shows, for a whole page in a fixed number of queries


@dataclass(frozen=True, eq=False)
class Absence:
    """A colleague away on some of a request's days: on leave (approved or pending) or on field work.

    Read as plain values (issue 8): ``name`` is the colleague's ``get_full_name()``; ``leave_type``
    holds only the type's names (one instance per type for the whole page), enough for its labels.
    """

    user_id: int
    name: str
    start_date: datetime.date
    end_date: datetime.date
    leave_type: LeaveType | None = None
    pending: bool = False
    destination: str = ""

    @property
    def is_field_work(self) -> bool:
        return self.leave_type is None


def _full_name(full_name: str, first_name: str, last_name: str, username: str) -> str:
    """``User.get_full_name`` of the values it reads (``PERSON_FIELDS`` but the id)."""
    return full_name or f"{first_name} {last_name}".strip() or username


@dataclass
class QueueRow:
    leave: LeaveRequest
    can_view_reason: bool
    balance_before: Decimal | None = None
    balance_after: Decimal | None = None
    away: list[Absence] = field(default_factory=list)
    periods: list[ImportantPeriod] = field(default_factory=list)

    @property
    def period_blocks(self) -> bool:
        """The type may not be taken in an important-activity period: approving will be refused."""
        return bool(self.periods) and self.leave.leave_type.blocked_in_important_periods

    @property
    def balance_short(self) -> bool:
        return self.balance_after is not None and self.balance_after < 0


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= b_end and b_start <= a_end


# Spans of a page's requests this many days apart or less are read as one: the rows between them
# (a weekend, a few days) cost less than the conditions that would leave them out (issue 8).
MERGE_GAP = datetime.timedelta(days=7)


def _merged(spans) -> list[tuple[datetime.date, datetime.date]]:
    """Return the union of date ranges as few ranges, in order: ranges at most ``MERGE_GAP`` apart are joined.

    A page's requests mostly overlap or follow each other: one condition per merged range instead of
    one per request keeps the query selective and its construction cheap (issue 8). The ranges may
    cover a few days no request does; callers match each row's own dates in memory.
    """
    merged: list[list[datetime.date]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + MERGE_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _colleagues_away_and_periods(
    spans: dict[int, list[tuple[datetime.date, datetime.date]]], all_spans: list[tuple[datetime.date, datetime.date]]
) -> list[tuple]:
    """Who in the given departments is away in the given ranges, and the important periods touching ``all_spans``.

    One ``UNION ALL`` query written out (issue 8): the three ORM querysets it replaces cost about a
    millisecond each to build and compile on every page, for a few dozen rows. Rows are
    ``(kind, start, sort_name, id, user_id, full_name, first_name, last_name, username, department_id,
    end, status, type_id, type_name, type_name_en, destination)``: leave pending or approved (kind 0),
    then field work (kind 1), each by start date, name and id, as the page lists them; then the active
    important periods of those departments or of all (kind 2, by start date and id), their name in
    ``full_name``. Whoever is in a range is read; callers match each row's own days.
    """
    quote = connection.ops.quote_name
    leave, person, leave_type, notice, period = (
        quote(model._meta.db_table) for model in (LeaveRequest, User, LeaveType, FieldWorkNotice, ImportantPeriod)
    )
    conditions, span_params = [], []
    for department_id, department_spans in spans.items():
        for start, end in _merged(department_spans):
            conditions.append("(u.department_id = %s AND a.start_date <= %s AND a.end_date >= %s)")
            span_params += [department_id, end, start]
    where = " OR ".join(conditions) or "1 = 0"
    period_where = " OR ".join(["(p.start_date <= %s AND p.end_date >= %s)"] * len(all_spans)) or "1 = 0"
    period_params = [date for start, end in all_spans for date in (end, start)]
    departments = ", ".join(["%s"] * len(spans))
    in_departments = f"p.department_id IN ({departments})" if spans else "1 = 0"
    people = "u.full_name, a.id, u.id, u.full_name, u.first_name, u.last_name, u.username, u.department_id, a.end_date"
    statuses = LeaveRequest.ACTIVE_STATUSES
    # Only quoted table names and placeholders are written into the text; every value is a parameter.
    sql = (
        f"SELECT 0, a.start_date, {people}, a.status, t.id, t.name, t.name_en, '' "  # noqa: S608
        f"FROM {leave} a INNER JOIN {person} u ON u.id = a.user_id "
        f"INNER JOIN {leave_type} t ON t.id = a.leave_type_id "
        f"WHERE a.status IN ({', '.join(['%s'] * len(statuses))}) AND ({where}) "
        f"UNION ALL SELECT 1, a.start_date, {people}, NULL, NULL, NULL, NULL, a.destination "
        f"FROM {notice} a INNER JOIN {person} u ON u.id = a.user_id "
        f"WHERE a.status = %s AND ({where}) "
        "UNION ALL SELECT 2, p.start_date, NULL, p.id, NULL, p.name, NULL, NULL, NULL, p.department_id, p.end_date, "
        f"NULL, NULL, NULL, NULL, NULL FROM {period} p "
        f"WHERE p.is_active AND (p.department_id IS NULL OR {in_departments}) AND ({period_where}) "
        "ORDER BY 1, 2, 3, 4"
    )
    params = [
        *statuses,
        *span_params,
        FieldWorkNotice.Status.ACTIVE,
        *span_params,
        *spans,
        *period_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def comp_time_balances(*, user_ids) -> dict[int, Decimal]:
    """Return each person's comp-time balance in one query."""
    totals = (
        CompTimeEntry.objects.filter(user_id__in=set(user_ids))
        .order_by()
        .values("user_id")
        .annotate(total=Sum("days"))
        .values_list("user_id", "total")
    )
    return {user_id: total or Decimal("0") for user_id, total in totals}


def leave_reason_visibility(*, user, on_date: datetime.date, departments: list[int] | None = None):
    """Return a predicate equal to ``can_view_leave_reason`` that runs no query per request.

    The permission asks the database who ``user`` decides for on every call; a list page asks
    once here and checks each row in memory.
    """
    sees_all = user.has_perm("leave.view_all_leave")
    if not user.is_active:
        departments = []
    elif departments is None:
        departments = departments_approved_by(user=user, on_date=on_date)
    departments = set(departments)

    def can_view(leave: LeaveRequest) -> bool:
        if not leave.leave_type.reason_private:
            return True
        if leave.user_id == user.pk or sees_all:
            return True
        if leave.approver_id == user.pk or leave.decided_by_id == user.pk:
            return True
        department = leave.user.department
        if department is None or department.head_id == leave.user_id:
            return False
        return department.pk in departments

    return can_view


def leave_queue_rows(
    *,
    user,
    leaves: list[LeaveRequest],
    on_date: datetime.date,
    details: bool = True,
    departments: list[int] | None = None,
) -> list[QueueRow]:
    """Return what the queue shows beside each request, in a fixed number of queries for the page.

    Reason (unless private to ``user``), the comp-time balance before and after comp leave, who
    else in the requester's department is away on those days (leave pending or approved, field
    work), and the important-activity periods the request touches. Without ``details`` only
    whether the reason may be shown (decisions already taken).
    """
    can_view = leave_reason_visibility(user=user, on_date=on_date, departments=departments)
    rows = [QueueRow(leave=leave, can_view_reason=can_view(leave)) for leave in leaves]
    if not rows or not details:
        return rows
    spans: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for leave in leaves:
        if leave.user.department_id:
            spans.setdefault(leave.user.department_id, []).append((leave.start_date, leave.end_date))
    away = _colleagues_away_and_periods(spans, _merged((leave.start_date, leave.end_date) for leave in leaves))
    comp_users = [leave.user_id for leave in leaves if leave.leave_type.spends_comp_time]
    balances = comp_time_balances(user_ids=comp_users) if comp_users else {}
    # Each absence once, by department, in the order shown (leave first, then field work).
    absences: dict[int, list[Absence]] = {}
    types: dict[int, LeaveType] = {}
    pending = Status.PENDING
    periods: list[ImportantPeriod] = []
    for columns in away:
        kind, start, _sort_name, row_id, user_id = columns[:5]
        department_id, end, status, type_id, type_name, type_name_en, place = columns[9:]
        if kind == 2:
            periods.append(
                ImportantPeriod(id=row_id, name=columns[5], start_date=start, end_date=end, department_id=department_id)
            )
            continue
        name = _full_name(*columns[5:9])
        if kind == 0:
            leave_type = types.get(type_id)
            if leave_type is None:
                leave_type = types[type_id] = LeaveType(pk=type_id, name=type_name, name_en=type_name_en)
            absence = Absence(user_id, name, start, end, leave_type, status == pending)
        else:
            absence = Absence(user_id, name, start, end, destination=place)
        absences.setdefault(department_id, []).append(absence)

    for row in rows:
        leave = row.leave
        department_id = leave.user.department_id
        if leave.leave_type.spends_comp_time:
            row.balance_before = balances.get(leave.user_id, Decimal("0"))
            row.balance_after = row.balance_before - leave.days
        start, end = leave.start_date, leave.end_date
        row.periods = [
            period
            for period in periods
            if period.department_id in (None, department_id)
            and _overlaps(period.start_date, period.end_date, start, end)
        ]
        if department_id is None:
            continue
        row.away = [
            absence
            for absence in absences.get(department_id, ())
            if absence.user_id != leave.user_id and absence.start_date <= end and start <= absence.end_date
        ]
    return rows


def leave_decided_by(*, user) -> QuerySet[LeaveRequest]:
    """Requests ``user`` decided (as head, acting or routed approver), newest decision first.

    ``decision`` and ``decision_comment`` come from the audit event of that decision; ``status``
    is where the request stands now (approved leave may have been cancelled since). The queue's
    decided tab reads the same rows with ``leave_queue_page`` (``tests/leave/test_queue_raw.py``).
    """
    decision = LeaveEvent.objects.filter(
        request=OuterRef("pk"),
        actor=user,
        from_status=Status.PENDING,
        to_status__in=(Status.APPROVED, Status.REJECTED),
    ).order_by("-created_at", "-id")
    return (
        LeaveRequest.objects.filter(decided_by=user)
        .select_related("user", "user__department", "leave_type")
        .only(*_queue_list_fields())
        .annotate(
            decision=Subquery(decision.values("to_status")[:1]),
            decision_comment=Subquery(decision.values("comment")[:1]),
        )
        .order_by("-decided_at", "-id")
    )


def leave_queue_people(*, queryset: QuerySet[LeaveRequest]) -> QuerySet[User]:
    """The requesters among ``queryset``: the choices of the queue's person filter."""
    return (
        User.objects.filter(pk__in=queryset.order_by().values("user_id"))
        .only(*PERSON_FIELDS)
        .order_by("full_name", "username")
    )


# ---------------------------------------------------------------------------------------------
# The approval queue's page of requests, its requesters and its comp-time requests, read as plain
# values: the ORM built five model instances per row and compiled a select_related query of four
# joins on every page, about a third of the page's time (issue 8). The conditions are those of
# ``leave_approval_queue`` and ``leave_decided_by`` (``tests/leave/test_queue_raw.py`` holds the
# rows equal, filtered and not); only quoted names and placeholders are written into the text.


class QueueDepartment:
    """The requester's department as a queue row reads it (``leave_reason_visibility``): its id and head."""

    __slots__ = ("head_id", "id")

    def __init__(self, id: int, head_id: int | None):  # noqa: A002 (the model's name)
        self.id = id
        self.head_id = head_id

    @property
    def pk(self) -> int:
        return self.id


class QueuePerson:
    """A person as a queue row names them: ``get_full_name()`` and ``str()`` are ``User``'s."""

    __slots__ = ("department", "department_id", "first_name", "full_name", "id", "last_name", "username")

    def __init__(self, id, full_name, first_name, last_name, username, department_id=None, department=None):  # noqa: A002
        self.id = id
        self.full_name = full_name
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.department_id = department_id
        self.department = department

    @property
    def pk(self) -> int:
        return self.id

    def get_full_name(self) -> str:
        return _full_name(self.full_name, self.first_name, self.last_name, self.username)

    def __str__(self) -> str:
        return self.get_full_name()


# The request's columns a queue row reads, in the order of ``QueueLeave``'s arguments.
QUEUE_LEAVE_COLUMNS = (
    "id",
    "created_at",
    "user_id",
    "leave_type_id",
    "start_date",
    "start_half",
    "end_date",
    "end_half",
    "days",
    "reason",
    "handover_to_id",
    "status",
    "approver_id",
    "decided_by_id",
    "decided_at",
)
_STATUS_LABELS = dict(Status.choices)


class QueueLeave:
    """A leave request as the queue's tables read it: ``QUEUE_LEAVE_COLUMNS``, ``user`` (a
    :class:`QueuePerson` with its department), ``leave_type`` (a ``LeaveType``), on the pending tab
    ``handover_to`` and on the decided tab ``decision`` and ``decision_comment`` (as ``leave_decided_by``)."""

    __slots__ = (
        *QUEUE_LEAVE_COLUMNS,
        "decision",
        "decision_comment",
        "handover_to",
        "leave_type",
        "user",
    )

    def __init__(self, values, *, user, leave_type, handover_to=None, decision=None, decision_comment=None):
        for name, value in zip(QUEUE_LEAVE_COLUMNS, values, strict=True):
            setattr(self, name, value)
        self.user = user
        self.leave_type = leave_type
        self.handover_to = handover_to
        self.decision = decision
        self.decision_comment = decision_comment

    @property
    def pk(self) -> int:
        return self.id

    def __eq__(self, other):
        # The request it was read from, like a model instance: the same pk of a leave request.
        if isinstance(other, QueueLeave | LeaveRequest):
            return self.id == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.id)

    def __repr__(self):
        return f"<QueueLeave: {self.id}>"

    def get_status_display(self) -> str:
        label = _STATUS_LABELS.get(self.status)
        return self.status if label is None else str(label)


def _converters(fields) -> list[tuple[int, list, object]]:
    """Django's converters of each column read by hand, as the ORM applies them: ``(index, converters, column)``.

    ``fields`` holds each column's model field, or None for a value taken as it comes. PostgreSQL needs
    none of them; SQLite gives dates and times as text and decimals as floats. Looked up once per
    connection and list of fields.
    """
    fields = tuple(fields)
    # On this thread's connection itself (``connection`` is a proxy shared by every thread).
    known = connections[DEFAULT_DB_ALIAS].__dict__.setdefault("_queue_converters", {})
    found = known.get(fields)
    if found is None:
        found = known[fields] = _converters_of(fields)
    return found


def _converters_of(fields) -> list[tuple[int, list, object]]:
    found = []
    for index, model_field in enumerate(fields):
        if model_field is None:
            continue
        column = model_field.get_col(model_field.model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + model_field.get_db_converters(connection)
        if functions:
            found.append((index, functions, column))
    return found


def _converted(rows: list[tuple], converters) -> list:
    if not converters:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for index, functions, column in converters:
            value = row[index]
            for function in functions:
                value = function(value, column, connection)
            row[index] = value
        out.append(row)
    return out


def _tables():
    quote = connection.ops.quote_name
    return {
        "leave": quote(LeaveRequest._meta.db_table),
        "person": quote(User._meta.db_table),
        "department": quote(Department._meta.db_table),
        "leave_type": quote(LeaveType._meta.db_table),
        "event": quote(LeaveEvent._meta.db_table),
        "grant": quote(CompTimeGrantRequest._meta.db_table),
        "checkin": quote(CheckIn._meta.db_table),
        "entry": quote(CompTimeEntry._meta.db_table),
        "acting": quote(ActingApprover._meta.db_table),
    }


# The filters the queue's filter set may apply, and the SQL of each lookup.
_FILTER_OPERATORS = {"exact": "=", "gte": ">=", "lte": "<="}


def queue_filter_conditions(filterset) -> list[tuple[str, object]]:
    """The filter set's cleaned values as ``(column, operator, value)`` conditions on the request (alias ``a``).

    Read from each filter's ``field_name`` and ``lookup_expr`` exactly as ``FilterSet.qs`` applies them:
    a value django-filter leaves out (empty, or not valid) is left out. A filter this cannot write
    (a method, ``exclude``, ``distinct``, a lookup across a relation) is an error, never a silently
    wider list.
    """
    if not filterset.is_bound:
        return []
    filterset.errors  # noqa: B018 (validates, as FilterSet.qs does, so cleaned_data holds the valid values)
    conditions = []
    for name, value in filterset.form.cleaned_data.items():
        if value in EMPTY_VALUES:
            continue
        spec = filterset.filters[name]
        operator = _FILTER_OPERATORS.get(spec.lookup_expr)
        if operator is None or spec.method is not None or spec.exclude or spec.distinct or "__" in spec.field_name:
            raise ValueError(f"The approval queue cannot apply the filter {name!r} in its own query")
        if getattr(spec, "null_value", object()) == value:
            raise ValueError(f"The approval queue cannot apply the null choice of {name!r}")
        column = LeaveRequest._meta.get_field(spec.field_name).column
        conditions.append((column, operator, value.pk if hasattr(value, "_meta") else value))
    return conditions


def _queue_where(*, user, departments, decided: bool, conditions=()) -> tuple[str, list, bool]:
    """The WHERE of the tab's requests (alias ``a``; ``u`` the requester, ``d`` their department), its
    parameters, and whether it needs those two joins. ``departments``: the ids the user decides for,
    or a subquery of them (SQL text without parameters)."""
    quote = connection.ops.quote_name
    if decided:
        parts, params, joins = ["a.decided_by_id = %s"], [user.pk], False
    else:
        decides = "a.approver_id = %s"
        params = [Status.PENDING, user.pk, user.pk]
        if departments:
            in_departments = departments if isinstance(departments, str) else ", ".join(["%s"] * len(departments))
            # A head's own leave goes up a level, so it never lands in their department's queue.
            decides = (
                f"({decides} OR (u.department_id IN ({in_departments}) "
                "AND (d.head_id IS NULL OR d.head_id <> a.user_id)))"
            )
            if not isinstance(departments, str):
                params += list(departments)
        parts, joins = ["a.status = %s", "a.user_id <> %s", decides], bool(departments)
    for column, operator, value in conditions:
        parts.append(f"a.{quote(column)} {operator} %s")
        params.append(value)
    return " AND ".join(parts), params, joins


def _queue_from(tables, joins: bool) -> str:
    if not joins:
        return f"{tables['leave']} a"
    return (
        f"{tables['leave']} a INNER JOIN {tables['person']} u ON u.id = a.user_id "
        f"LEFT OUTER JOIN {tables['department']} d ON d.id = u.department_id"
    )


def leave_queue_page(
    *, user, departments: list[int], decided: bool, conditions=(), offset: int, limit: int
) -> tuple[list[QueueLeave], int | None]:
    """One page of the queue's requests, and how many there are in all (None for a page past the last).

    The pending tab is ``leave_approval_queue`` (its handover colleague read too), the decided tab
    ``leave_decided_by`` (with ``decision`` and ``decision_comment``); ``conditions`` are
    ``queue_filter_conditions``. One query, the count in it (``COUNT(*) OVER ()``); a person,
    a department and a leave type are one object each however many rows show them.
    """
    tables = _tables()
    quote = connection.ops.quote_name
    where, params, joins = _queue_where(user=user, departments=departments, decided=decided, conditions=conditions)
    columns = ", ".join(f"a.{quote(LeaveRequest._meta.get_field(name).column)}" for name in QUEUE_LEAVE_COLUMNS)
    order = ("{0}.decided_at DESC, {0}.id DESC" if decided else "{0}.start_date, {0}.id").format
    type_fields = LeaveType._meta.concrete_fields
    type_columns = ", ".join(f"t.{quote(field.column)}" for field in type_fields)
    person = "u.id, u.full_name, u.first_name, u.last_name, u.username, u.department_id, d.head_id"
    if decided:
        # The audit event of this approver's decision, as ``leave_decided_by``'s subqueries.
        event = (
            f"FROM {tables['event']} e WHERE e.request_id = p.id AND e.actor_id = %s AND e.from_status = %s "
            "AND e.to_status IN (%s, %s) ORDER BY e.created_at DESC, e.id DESC LIMIT 1)"
        )
        extra = f", (SELECT e.to_status {event}, (SELECT e.comment {event}"
        extra_params = [user.pk, Status.PENDING, Status.APPROVED, Status.REJECTED] * 2
        handover = ""
    else:
        extra = ", h.full_name, h.first_name, h.last_name, h.username"
        extra_params = []
        handover = f" INNER JOIN {tables['person']} h ON h.id = p.handover_to_id"
    sql = (
        f"SELECT p.*, {person}, {type_columns}{extra} FROM ("  # noqa: S608 (quoted names and placeholders only)
        f"SELECT {columns}, COUNT(*) OVER () AS queue_total FROM {_queue_from(tables, joins)} "
        f"WHERE {where} ORDER BY {order('a')} LIMIT %s OFFSET %s) p "
        f"INNER JOIN {tables['person']} u ON u.id = p.user_id "
        f"LEFT OUTER JOIN {tables['department']} d ON d.id = u.department_id "
        f"INNER JOIN {tables['leave_type']} t ON t.id = p.leave_type_id{handover} "
        f"ORDER BY {order('p')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*extra_params, *params, limit, offset])
        found = cursor.fetchall()
    if not found:
        return [], None
    leave_count = len(QUEUE_LEAVE_COLUMNS)
    person_at = leave_count + 1
    type_at = person_at + 7
    extra_at = type_at + len(type_fields)
    fields = [LeaveRequest._meta.get_field(name) for name in QUEUE_LEAVE_COLUMNS]
    fields += [None] * 8 + list(type_fields)
    found = _converted(found, _converters(fields))
    type_names = [field.attname for field in type_fields]
    requesters: dict[int, QueuePerson] = {}
    handovers: dict[int, QueuePerson] = {}
    department_of: dict[int, QueueDepartment] = {}
    types: dict[int, LeaveType] = {}
    leaves = []
    for row in found:
        user_id, *names, department_id, head_id = row[person_at:type_at]
        requester = requesters.get(user_id)
        if requester is None:
            department = None
            if department_id is not None:
                department = department_of.get(department_id)
                if department is None:
                    department = department_of[department_id] = QueueDepartment(department_id, head_id)
            requester = requesters[user_id] = QueuePerson(user_id, *names, department_id, department)
        leave_type = types.get(row[type_at])
        if leave_type is None:
            leave_type = types[row[type_at]] = LeaveType.from_db(connection.alias, type_names, row[type_at:extra_at])
        leave = QueueLeave(row[:leave_count], user=requester, leave_type=leave_type)
        if decided:
            leave.decision, leave.decision_comment = row[extra_at:]
        else:
            handover_id = leave.handover_to_id
            handover = handovers.get(handover_id)
            if handover is None:
                # Only the names of the handover colleague are read (as the ORM query did).
                handover = handovers[handover_id] = QueuePerson(handover_id, *row[extra_at:])
            leave.handover_to = handover
        leaves.append(leave)
    return leaves, found[0][leave_count]


def leave_queue_people_among(requesters) -> QuerySet[User]:
    """``leave_queue_people`` of the requesters ``leave_queue_basics`` read: who the person filter accepts."""
    return (
        User.objects.filter(pk__in=[row[0] for row in requesters])
        .only(*PERSON_FIELDS)
        .order_by("full_name", "username")
    )


class QueueGrant:
    """A pending comp-time request as the queue shows it (``comp_grant_queue_rows`` read as values)."""

    __slots__ = (
        "balance_after",
        "balance_before",
        "checked_in_at",
        "days",
        "decide_url",
        "id",
        "reason",
        "user",
        "work_date",
    )

    def __init__(self, id, work_date, days, reason, checked_in_at, balance_before, user):  # noqa: A002
        self.id = id
        self.work_date = work_date
        self.days = days
        self.reason = reason
        self.checked_in_at = checked_in_at
        self.balance_before = balance_before
        self.balance_after = balance_before + days
        self.user = user
        self.decide_url = ""  # the view's

    @property
    def pk(self) -> int:
        return self.id

    @property
    def user_id(self) -> int:
        return self.user.id


@dataclass
class QueueBasics:
    """What the approval queue shows whatever its filters and page (``leave_queue_basics``)."""

    departments: list[int]  # ``departments_approved_by``
    requesters: list[tuple]  # the person filter's choices: (pk, full_name, first_name, last_name, username)
    leave_types: list[tuple]  # the type filter's choices: (pk, name, name_en), in the types' order
    grants: list[QueueGrant]  # ``comp_grant_queue_rows`` (pending tab only)


def leave_queue_basics(*, user, on_date: datetime.date, decided: bool) -> QueueBasics:
    """What the queue shows whatever its filters and page, in one query written out (issue 8: one
    round trip where there were four querysets).

    - the departments ``user`` decides for on ``on_date`` (``departments_approved_by``), which the other
      parts read as a common table;
    - the requesters among the tab's requests, unfiltered, by name (``leave_queue_people`` read as values);
    - every leave type in its order (the type filter's queryset, read as values);
    - on the pending tab, the comp-time requests waiting for ``user`` in order, each with the requester's
      names, the check-in on the day worked and the balance before and after approval
      (``comp_grant_queue_rows``).

    Columns: kind (0 department, 1 requester, 2 type, 3 comp-time request), id, four texts, then the
    sort keys (type order, code or name, username; date worked), the days, the balance, the check-in,
    the reason and the requester's id of a comp-time request.
    """
    tables = _tables()
    # The first part's empty columns are typed: PostgreSQL gives a union's column the first part's type.
    nulls = ", ".join(
        f"CAST(NULL AS {kind})"
        for kind in ["text"] * 4
        + ["integer", "text", "text", "date", "numeric", "numeric"]
        + ["timestamp with time zone", "text", "integer"]
    )
    where, params, joins = _queue_where(user=user, departments="SELECT id FROM deps", decided=decided)
    sql = (
        "WITH deps (id) AS ("  # noqa: S608 (quoted names and placeholders only)
        f"SELECT d.id FROM {tables['department']} d WHERE d.head_id = %s OR d.id IN ("
        f"SELECT x.department_id FROM {tables['acting']} x "
        "WHERE x.user_id = %s AND x.is_active AND x.start_date <= %s AND x.end_date >= %s)) "
        f"SELECT 0, deps.id, {nulls} FROM deps "
        "UNION ALL SELECT 1, p.id, p.full_name, p.first_name, p.last_name, p.username, NULL, p.full_name, "
        f"p.username, NULL, NULL, NULL, NULL, NULL, NULL FROM {tables['person']} p "
        f"WHERE p.id IN (SELECT a.user_id FROM {_queue_from(tables, joins)} WHERE {where}) "
        "UNION ALL SELECT 2, t.id, t.name, t.name_en, NULL, NULL, t.sort_order, t.code, NULL, NULL, NULL, NULL, "
        f"NULL, NULL, NULL FROM {tables['leave_type']} t "
    )
    params = [user.pk, user.pk, on_date, on_date, *params]
    if not decided:
        sql += (
            "UNION ALL SELECT 3, g.id, u.full_name, u.first_name, u.last_name, u.username, NULL, NULL, NULL, "  # noqa: S608
            "g.work_date, g.days, "
            f"(SELECT SUM(e.days) FROM {tables['entry']} e WHERE e.user_id = g.user_id), "
            f"(SELECT c.checked_in_at FROM {tables['checkin']} c "
            "WHERE c.user_id = g.user_id AND c.date = g.work_date), "
            f"g.reason, u.id FROM {tables['grant']} g INNER JOIN {tables['person']} u ON u.id = g.user_id "
            "WHERE g.status = %s AND (g.approver_id = %s OR u.department_id IN (SELECT id FROM deps)) "
            "AND g.user_id <> %s "
        )
        params += [CompTimeGrantRequest.Status.PENDING, user.pk, user.pk]
    sql += "ORDER BY 1, 7, 8, 9, 10, 2"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    basics = QueueBasics([], [], [], [])
    grants = [row for row in found if row[0] == 3]
    for row in found:
        kind = row[0]
        if kind == 0:
            basics.departments.append(row[1])
        elif kind == 1:
            basics.requesters.append(row[1:6])
        elif kind == 2:
            basics.leave_types.append(row[1:4])
    if grants:
        fields = [None] * 9 + [
            CompTimeGrantRequest._meta.get_field("work_date"),
            CompTimeGrantRequest._meta.get_field("days"),
            CompTimeEntry._meta.get_field("days"),
            CheckIn._meta.get_field("checked_in_at"),
        ]
        people: dict[int, QueuePerson] = {}
        for row in _converted(grants, _converters(fields)):
            (grant_id, full_name, first_name, last_name, username), (work_date, days, balance, checked_in_at) = (
                row[1:6],
                row[9:13],
            )
            reason, user_id = row[13:15]
            person = people.get(user_id)
            if person is None:
                person = people[user_id] = QueuePerson(user_id, full_name, first_name, last_name, username)
            basics.grants.append(
                QueueGrant(grant_id, work_date, days, reason, checked_in_at, balance or Decimal("0"), person)
            )
    return basics
