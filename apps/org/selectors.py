import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    FilteredRelation,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.utils.translation import get_language

from apps.accounts.models import User
from apps.attendance.models import FieldWorkNotice
from apps.core.cache_keys import (
    cached_with_versions,
    cached_with_versions_keys,
    org_text_key,
    org_text_version_keys,
    position_key,
)
from apps.core.people import people_choosable
from apps.leave.models import CompTimeEntry, LeaveRequest
from apps.workcalendar.calendar import Half, calendar_for

from .dashboard_cache import dashboard_cached
from .models import AssignedTask, Department, Duty, LifecycleStage, Position, Product, StageFocus

# Edits replace the stamp (apps/org/signals.py); the expiry only bounds memory, within the stamp's own.
ORG_TEXT_CACHE_SECONDS = 12 * 60 * 60


def task_list_visible_to(*, user) -> QuerySet[AssignedTask]:
    """Return the tasks ``user`` may see: their own, those they handed out, or all with the permission."""
    qs = AssignedTask.objects.select_related("owner", "assigned_by")
    if not user.is_active:
        return qs.none()
    if user.has_perm("org.view_all_tasks"):
        return qs
    return qs.filter(Q(owner=user) | Q(assigned_by=user))


def task_get_events(*, task: AssignedTask):
    return task.events.select_related("actor")


def task_open_for_owner(*, user) -> QuerySet[AssignedTask]:
    return (
        AssignedTask.objects.filter(owner=user, status__in=AssignedTask.OPEN_STATUSES)
        .select_related("assigned_by")
        .order_by("due_date", "id")
    )


def task_assignable_users() -> QuerySet[User]:
    return people_choosable()


def position_duties(*, user) -> list[Duty]:
    if user.position_id is None:
        return []
    return list(Duty.objects.filter(position_id=user.position_id).order_by("number"))


def department_function_duties() -> dict[str, tuple[str, ...]]:
    """Return the text of the department duties grouped by function, in the regulation's order.

    Cached per language (no query on a warm cache).
    """

    def compute() -> dict[str, tuple[str, ...]]:
        grouped: dict[str, list[str]] = {value: [] for value in Duty.Function.values}
        for duty in Duty.objects.filter(position__isnull=True).order_by("number"):
            grouped[duty.function].append(duty.display_text)
        return {function: tuple(texts) for function, texts in grouped.items()}

    return _cached_text("functions", compute)


@dataclass
class PositionRow:
    """A position of the department page: cached title and duty text, and the people holding it."""

    pk: int
    title: str
    headcount: int
    duties: tuple[str, ...]
    holders: list = field(default_factory=list)


def department_positions(*, department: Department) -> list[PositionRow]:
    """Return the department's positions with their duties and their active holders.

    The titles and duty text are cached per language; the holders are one query.
    """

    def compute() -> list[tuple[int, str, int, tuple[str, ...]]]:
        positions = department.positions.prefetch_related(Prefetch("duties", queryset=Duty.objects.order_by("number")))
        return [(p.pk, p.display_title, p.headcount, tuple(d.display_text for d in p.duties.all())) for p in positions]

    rows = [
        PositionRow(pk=pk, title=title, headcount=headcount, duties=duties)
        for pk, title, headcount, duties in _cached_text(f"positions-{department.pk}", compute)
    ]
    by_pk = {row.pk: row for row in rows}
    holders = (
        User.objects.filter(is_active=True, position_id__in=list(by_pk))
        .only("id", "username", "full_name", "first_name", "last_name", "position_id")
        .order_by("full_name", "username")
    )
    for holder in holders if by_pk else []:
        by_pk[holder.position_id].holders.append(holder)
    return rows


@dataclass(frozen=True)
class StageCard:
    """A lifecycle stage as the dashboard and the department page show it, in one language."""

    code: str
    name: str
    focus: tuple[str, ...]  # the focus items' text, by number
    products: tuple[str, ...]  # the names of the stage's active products, by code


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _cached_text_keys(name: str, *, version: int = 1) -> list[str]:
    return cached_with_versions_keys(org_text_key(name, _language(), version), org_text_version_keys())


def lifecycle_cache_keys() -> list[str]:
    """What ``lifecycle_stages_with_products`` reads (to read ahead with ``cache_keys.prefetched``)."""
    return _cached_text_keys("lifecycle")


def _cached_text(name: str, compute, *, version: int = 1):
    """Return ``compute()`` cached per language under the regulation text's stamp (``apps/org/signals.py``)."""
    return cached_with_versions(
        org_text_key(name, _language(), version), org_text_version_keys(), compute, timeout=ORG_TEXT_CACHE_SECONDS
    )


def lifecycle_stages_with_products() -> list[StageCard]:
    """Return every stage with its focus items and its active products, in the active language.

    Static text edited only in admin: cached per language, no query on a warm cache.
    """

    def compute() -> list[StageCard]:
        stages = LifecycleStage.objects.prefetch_related(
            Prefetch("focus_items", queryset=StageFocus.objects.order_by("number")),
            Prefetch("products", queryset=Product.objects.filter(is_active=True).order_by("code")),
        )
        return [
            StageCard(
                code=stage.code,
                name=stage.display_name,
                focus=tuple(item.display_text for item in stage.focus_items.all()),
                products=tuple(product.name for product in stage.products.all()),
            )
            for stage in stages
        ]

    return _cached_text("lifecycle", compute)


def product_list(*, stage_code: str = "", search: str = "") -> QuerySet[Product]:
    qs = Product.objects.select_related("stage").filter(is_active=True)
    if stage_code:
        qs = qs.filter(stage__code=stage_code)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return qs.order_by("code")


def user_department(*, user) -> Department | None:
    """Return the person's department, or the marketing department for people outside any."""
    qs = Department.objects.select_related("head")
    if user.department_id is not None:
        return qs.filter(pk=user.department_id).first()
    return qs.filter(code=settings.MAIN_DEPARTMENT_CODE).first()


# --- The dashboard: the head's today board and the position page (issue 8) ---

POSITION_CACHE_VERSION = 2
# Edits replace the stamp the text is cached under (apps/org/signals.py); the expiry only bounds memory.
POSITION_CACHE_SECONDS = ORG_TEXT_CACHE_SECONDS
WEEK_AHEAD_DAYS = 7
BOARD_TASKS_SHOWN = 10
# What ``User.get_full_name`` and ``get_short_name`` read: the columns a list of people needs.
NAME_FIELDS = ("id", "username", "full_name", "first_name", "last_name")


def departments_headed_by(*, user) -> list[Department]:
    """Return the active departments ``user`` heads and every active department below them, by code.

    The head's part of ``attendance_departments_visible_to``, without the permissions that widen
    it: the today board is a head's view of their own people. No query on a warm cache.
    """
    departments = active_departments()
    scope = headed_department_ids(departments=departments, user=user)
    return [d for d in departments if d.pk in scope]


def active_departments_cache_keys() -> list[str]:
    """What ``active_departments`` reads (to read ahead with ``cache_keys.prefetched``)."""
    return cached_with_versions_keys(org_text_key("departments", "all", 1), org_text_version_keys())


def active_departments() -> list[Department]:
    """Return the active departments by code: cached under the regulation's stamp (no query when warm).

    Departments change in admin only, and every save or delete replaces the stamp (``apps/org/signals.py``).
    """
    return cached_with_versions(
        org_text_key("departments", "all", 1),
        org_text_version_keys(),
        lambda: list(Department.objects.filter(is_active=True).order_by("code")),
        timeout=ORG_TEXT_CACHE_SECONDS,
    )


def headed_department_ids(*, departments, user) -> set[int]:
    """The ids among ``departments`` that ``user`` heads, and every one below them (no query).

    The one walk of the department tree: attendance, leave-calendar and board scopes build on it.
    """
    children: dict[int | None, list[int]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department.pk)
    scope: set[int] = set()
    pending = [d.pk for d in departments if d.head_id == user.pk]
    while pending:
        pk = pending.pop()
        if pk not in scope:
            scope.add(pk)
            pending.extend(children.get(pk, []))
    return scope


@dataclass(frozen=True)
class BoardPerson:
    """Someone on the board with today's check-in (``None`` when there is none)."""

    pk: int
    username: str
    first_name: str
    last_name: str
    full_name: str
    attendance_exempt: bool
    checked_in_at: datetime.datetime | None
    checked_in_late: bool | None

    def get_full_name(self) -> str:
        """The name ``User.get_full_name`` gives, from the same columns."""
        return self.full_name or f"{self.first_name} {self.last_name}".strip() or self.username


@dataclass
class BoardLeave:
    leave: object
    half: str = ""  # "am" or "pm" when only that half of today is taken


@dataclass
class TodayBoard:
    """The department today and the week ahead, for the departments a head is responsible for."""

    today: datetime.date
    departments: list[Department]
    is_working_day: bool
    holiday: str = ""
    checked_in: list = field(default_factory=list)
    late: list = field(default_factory=list)
    on_leave: list[BoardLeave] = field(default_factory=list)
    field_work: list = field(default_factory=list)
    not_checked_in: list = field(default_factory=list)
    week_leave: list = field(default_factory=list)
    week_field_work: list = field(default_factory=list)
    week: list[tuple[str, object]] = field(default_factory=list)  # ("leave" | "field_work", row) by start
    overdue_tasks: list = field(default_factory=list)
    overdue_count: int = 0
    people: dict = field(default_factory=dict)  # user id -> person with today's check-in annotated

    def own_check_in(self, user) -> "BoardCheckIn | None | bool":
        """Return ``user``'s check-in today as read with the board, ``None`` if none, ``False`` if not on it."""
        person = self.people.get(user.pk)
        if person is None:
            return False
        if person.checked_in_at is None:
            return None
        return BoardCheckIn(checked_in_at=person.checked_in_at, is_late=person.checked_in_late)


@dataclass(frozen=True)
class BoardCheckIn:
    """Today's check-in of someone on the board: what the check-in panel shows."""

    checked_in_at: datetime.datetime
    is_late: bool


def today_board(*, departments: list[Department], today: datetime.date, calendar=None) -> TodayBoard:
    """Return who is in, late, on leave, out and missing today, overdue tasks and the week ahead.

    A fixed number of queries whatever the history length: the people with today's check-in
    joined on every call; the leave and the field work of today and the next seven days and the
    overdue tasks (the first few with the total) from the dashboard cache, read again only after
    one of them changes (``apps/org/dashboard_cache.py``); the working calendar. Nobody is expected to check in on a
    rest day, before their employment starts, or when exempt; approved leave or a field-work notice
    covering today excuses the day, as in the monthly summary.
    """
    week_end = today + datetime.timedelta(days=WEEK_AHEAD_DAYS)
    if calendar is None:
        calendar = calendar_for(today, week_end)
    board = TodayBoard(
        today=today,
        departments=departments,
        is_working_day=calendar.is_working_day(today),
        holiday=calendar.holiday_name(today),
    )
    ids = [d.pk for d in departments]
    if not ids:
        return board

    # Plain rows of the columns the board shows: read on every visit, and a model instance per person
    # costs more to build than the query to run.
    people = [
        BoardPerson(*row)
        for row in User.objects.filter(department_id__in=ids, is_active=True, employment_start__lte=today)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=today))
        .annotate(today_check_in=FilteredRelation("check_ins", condition=Q(check_ins__date=today)))
        .order_by("full_name", "username")
        .values_list(*NAME_FIELDS, "attendance_exempt", "today_check_in__checked_in_at", "today_check_in__is_late")
    ]
    leave, notices, board.overdue_tasks, board.overdue_count = dashboard_cached(
        "board", tuple(ids), today, lambda: _board_rows(ids=ids, today=today, week_end=week_end)
    )

    excused: set[int] = set()
    for request in leave:
        if request.start_date > today:
            board.week_leave.append(request)
            continue
        half = ""
        if request.start_date == today and request.start_half == Half.AFTERNOON:
            half = Half.AFTERNOON
        elif request.end_date == today and request.end_half == Half.MORNING:
            half = Half.MORNING
        board.on_leave.append(BoardLeave(leave=request, half=half))
        if request.status == LeaveRequest.Status.APPROVED:
            excused.add(request.user_id)
    for notice in notices:
        if notice.start_date > today:
            board.week_field_work.append(notice)
        else:
            board.field_work.append(notice)
            excused.add(notice.user_id)
    board.week = sorted(
        [("leave", row) for row in board.week_leave] + [("field_work", row) for row in board.week_field_work],
        key=lambda entry: (entry[1].start_date, entry[1].user.get_full_name()),
    )

    for person in people:
        board.people[person.pk] = person
        if person.checked_in_at is not None:
            board.checked_in.append(person)
            if person.checked_in_late:
                board.late.append(person)
        elif board.is_working_day and not person.attendance_exempt and person.pk not in excused:
            board.not_checked_in.append(person)
    return board


def _board_rows(*, ids: list[int], today: datetime.date, week_end: datetime.date) -> tuple[list, list, list, int]:
    """The board's leave and field work from today to ``week_end`` and its overdue tasks with their total.

    One query each; cached by the caller (``apps/org/dashboard_cache.py``), so a visit reads them only after a change.
    """
    user_names = [f"user__{name}" for name in NAME_FIELDS]
    leave = list(
        LeaveRequest.objects.filter(
            user__department_id__in=ids,
            status__in=LeaveRequest.ACTIVE_STATUSES,
            start_date__lte=week_end,
            end_date__gte=today,
        )
        .select_related("user", "leave_type")
        .only(
            "user_id",
            "leave_type_id",
            "start_date",
            "start_half",
            "end_date",
            "end_half",
            "status",
            *user_names,
            "leave_type__name",
            "leave_type__name_en",
        )
        .order_by("start_date", "user__full_name", "id")
    )
    notices = list(
        FieldWorkNotice.objects.filter(
            user__department_id__in=ids,
            status=FieldWorkNotice.Status.ACTIVE,
            start_date__lte=week_end,
            end_date__gte=today,
        )
        .select_related("user")
        .only("user_id", "start_date", "end_date", "destination", *user_names)
        .order_by("start_date", "user__full_name", "id")
    )
    tasks = list(
        AssignedTask.objects.filter(
            owner__department_id__in=ids, status__in=AssignedTask.OPEN_STATUSES, due_date__lt=today
        )
        .select_related("owner")
        .only("title", "due_date", "owner_id", *(f"owner__{name}" for name in NAME_FIELDS))
        .annotate(total=Window(Count("id")))
        .order_by("due_date", "id")[:BOARD_TASKS_SHOWN]
    )
    return leave, notices, tasks, (tasks[0].total if tasks else 0)


@dataclass(frozen=True)
class PositionSummary:
    position_id: int
    title: str
    department: str
    duties: tuple[tuple[int, str], ...]


def _position_cache_key(position_id: int) -> str:
    return position_key(position_id, _language(), POSITION_CACHE_VERSION)


def position_cache_keys(*, user) -> list[str]:
    """What ``position_summary`` reads (to read ahead with ``cache_keys.prefetched``)."""
    if user.position_id is None:
        return []
    return cached_with_versions_keys(_position_cache_key(user.position_id), org_text_version_keys())


def position_summary(*, user) -> PositionSummary | None:
    """Return the title, department and duty text of ``user``'s position in the active language.

    The text is static (the regulation's), so it is cached per language and position: on a warm
    cache this costs no query. Saving or deleting a position, duty, department (or any other row
    of the regulation) replaces the stamp the value is stored under (``apps/org/signals.py``), so
    an edit in admin shows at once. ``None`` for people without a position.
    """
    if user.position_id is None:
        return None

    def compute() -> PositionSummary | None:
        position = Position.objects.select_related("department").filter(pk=user.position_id).first()
        if position is None:
            return None
        return PositionSummary(
            position_id=position.pk,
            title=position.display_title,
            department=position.department.display_name,
            duties=tuple((duty.number, duty.display_text) for duty in position_duties(user=user)),
        )

    return cached_with_versions(
        _position_cache_key(user.position_id), org_text_version_keys(), compute, timeout=POSITION_CACHE_SECONDS
    )


ANNUAL_LEAVE_CODE = "annual"


@dataclass(frozen=True)
class LeaveBalances:
    comp_time: Decimal
    annual_taken: Decimal  # approved annual leave starting this year
    annual_pending: Decimal  # annual leave requested this year and not yet decided

    # gettext's plural forms take whole numbers: 1 picks "day", anything else (1.5 too) "days".
    @property
    def comp_time_count(self) -> int:
        return 1 if self.comp_time == 1 else 2

    @property
    def annual_taken_count(self) -> int:
        return 1 if self.annual_taken == 1 else 2


def leave_balances(*, user, today: datetime.date) -> LeaveBalances:
    """Return the comp-time balance and this year's annual leave of ``user`` in two plain aggregates.

    (Measured on the bench: two aggregates cost a third of one row with three correlated subqueries.)
    No annual-leave entitlement is recorded anywhere, so there is no annual balance to give: the
    days approved (and those still pending) this year are what can be shown honestly.
    """
    annual = LeaveRequest.objects.filter(
        user=user, leave_type__code=ANNUAL_LEAVE_CODE, start_date__year=today.year
    ).aggregate(
        taken=Sum("days", filter=Q(status=LeaveRequest.Status.APPROVED)),
        pending=Sum("days", filter=Q(status=LeaveRequest.Status.PENDING)),
    )
    comp = CompTimeEntry.objects.filter(user=user).aggregate(total=Sum("days"))
    return LeaveBalances(
        comp_time=comp["total"] or Decimal(0),
        annual_taken=annual["taken"] or Decimal(0),
        annual_pending=annual["pending"] or Decimal(0),
    )


def leave_next_of(*, user, today: datetime.date) -> LeaveRequest | None:
    """Return ``user``'s next leave (pending or approved) that has not ended yet."""
    return (
        LeaveRequest.objects.filter(user=user, status__in=LeaveRequest.ACTIVE_STATUSES, end_date__gte=today)
        .select_related("leave_type")
        .only("leave_type_id", "start_date", "end_date", "status", "leave_type__name", "leave_type__name_en")
        .order_by("start_date", "id")
        .first()
    )
