"""Demo data for a first look at the system (``manage.py seed_demo``); safe to load twice."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.attendance.models import CheckIn, FieldWorkNotice
from apps.attendance.services import checkin_is_late, field_notice_deadline
from apps.conduct.models import Acknowledgement, RuleVersion
from apps.core.models import ConfidentialityLevel as Level
from apps.core.months import shift_month
from apps.core.roles import RoleName as Role
from apps.leave.models import CompTimeEntry, CompTimeGrantRequest, LeaveEvent, LeaveRequest, LeaveType
from apps.leave.selectors import comp_time_balance
from apps.leave.services import leave_approver_for
from apps.workcalendar.calendar import Half, calendar_for

from .models import AssignedTask, Department, LifecycleStage, Position, Product, TaskEvent

DEMO_PASSWORD = "mktdept2026"

# username, full name, department code, position code, roles, clearance, extra flags
DEMO_USERS = [
    (
        "admin",
        "系统管理员",
        None,
        None,
        [],
        Level.SECRET,
        {"is_staff": True, "is_superuser": True, "attendance_exempt": True},
    ),
    ("gm", "周国强", "GMO", None, [Role.STAFF], Level.SECRET, {}),
    ("manager", "王建国", "MKT", "MANAGER", [Role.DEPARTMENT_MANAGER, Role.STAFF], Level.SECRET, {}),
    ("assistant", "李静", "MKT", "ASSISTANT", [Role.ASSISTANT, Role.STAFF], Level.CONFIDENTIAL, {}),
    ("research", "张伟", "MKT", "RESEARCH", [Role.RESEARCH, Role.STAFF], Level.CONFIDENTIAL, {}),
    ("service", "刘洋", "MKT", "SERVICE", [Role.CUSTOMER_SERVICE, Role.STAFF], Level.INTERNAL, {}),
    ("staff", "陈晨", "MKT", "STAFF", [Role.STAFF], Level.INTERNAL, {}),
    ("clerk", "赵敏", "ADM", None, [Role.ADMINISTRATION, Role.STAFF], Level.INTERNAL, {}),
]

DEMO_PRODUCTS = [
    ("MK-2000", "全自动生化分析仪 MK-2000", "maturity", "三级医院检验科主力机型。"),
    ("CL-600", "化学发光免疫分析仪 CL-600", "growth", "中型医院与第三方检验实验室。"),
    ("POCT-CM", "心肌标志物快速检测试剂盒", "introduction", "急诊与基层医疗机构的即时检测。"),
]


def _departments() -> dict[str, Department]:
    general, _ = Department.objects.update_or_create(
        code="GMO", defaults={"name": "总经理办公室", "name_en": "General Manager's Office"}
    )
    marketing = Department.objects.get(code="MKT")
    if marketing.parent_id is None:
        marketing.parent = general
        marketing.save(update_fields=["parent", "updated_at"])
    administration, _ = Department.objects.update_or_create(
        code="ADM", defaults={"name": "行政部", "name_en": "Administration", "parent": general}
    )
    return {"GMO": general, "MKT": marketing, "ADM": administration}


def _staff_position(marketing: Department) -> Position:
    """The post 员工 the README gives the demo user ``staff``; the regulation names only the four specialists."""
    position, _created = Position.objects.get_or_create(
        department=marketing,
        code="STAFF",
        defaults={"title": "员工", "title_en": "Staff", "headcount": 1, "sort_order": 50},
    )
    return position


def _users(departments) -> tuple[dict[str, User], int]:
    marketing = departments["MKT"]
    _staff_position(marketing)
    created_count = 0
    users = {}
    for number, (username, full_name, dept_code, position_code, roles, clearance, flags) in enumerate(DEMO_USERS):
        position = Position.objects.get(department=marketing, code=position_code) if position_code else None
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "email": f"{username}@example.com",
                "department": departments.get(dept_code),
                "position": position,
                "clearance": clearance,
                "employee_no": "" if username == "admin" else f"E{number:03d}",
                **flags,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created_count += 1
        user.groups.set(Group.objects.filter(name__in=roles))
        users[username] = user
    for code, head in (("GMO", "gm"), ("MKT", "manager"), ("ADM", "clerk")):
        departments[code].head = users[head]
        departments[code].save(update_fields=["head", "updated_at"])
    return users, created_count


# People whose working life the demo history shows (the administrator is exempt from check-in).
HISTORY_PEOPLE = ["gm", "manager", "assistant", "research", "service", "staff", "clerk"]
# Who hands work over to whom while away.
HANDOVER = {
    "manager": "assistant",
    "assistant": "research",
    "research": "service",
    "service": "staff",
    "staff": "service",
    "clerk": "assistant",
}
HISTORY_MONTHS = 3

# A one-page PDF standing in for a doctor's note.
DEMO_NOTE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

FIELD_TRIPS = [
    ("江苏省人民医院检验科", "MK-2000装机培训", "江苏省人民医院"),
    ("浙江大学医学院附属第一医院", "CL-600试剂补货沟通", "浙大一院"),
    ("上海金域医学检验所", "第三方实验室合作洽谈", "金域医学"),
    ("南京鼓楼医院急诊科", "POCT心肌标志物试用回访", "南京鼓楼医院"),
    ("苏州市立医院", "年度招标资料递交", "苏州市立医院"),
]

LEAVE_REASONS = {
    "comp": "周末布展后补休",
    "personal": "家中有事",
    "sick": "感冒发烧",
    "annual": "年假",
}

DEMO_TASKS = [
    # title, description, owner, due (days from today), status
    ("整理华东区省级招标信息", "汇总江苏、浙江、上海本季度的检验设备招标公告与截止日期。", "research", 3, "open"),
    ("回访三家三甲医院检验科", "电话回访MK-2000用户，记录使用问题。", "service", 1, "in_progress"),
    ("编写CL-600竞品对比表", "对比主要竞品的通量、试剂价格与装机量。", "research", -40, "done"),
    ("筹备省临检中心年会展位", "确认展位、物料与值守人员。", "assistant", -25, "done"),
    ("更新客户档案", "补全本季度新装机客户的联系人和设备序列号。", "service", -12, "done"),
    ("提交季度市场费用报表", "按项目汇总本季度的会议与差旅费用。", "assistant", -5, "open"),
    ("收集POCT试用反馈", "整理五家试用医院的反馈意见。", "staff", -3, "in_progress"),
]


def _history_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first day of the month ``HISTORY_MONTHS`` back and yesterday."""
    year, month = shift_month(today.year, today.month, -HISTORY_MONTHS)
    return datetime.date(year, month, 1), today - datetime.timedelta(days=1)


def _employment_starts(users, window_start: datetime.date) -> None:
    """Employ the demo people well before the history window, so no day of it falls before their start."""
    for index, username in enumerate(HISTORY_PEOPLE):
        user = users[username]
        start = window_start - datetime.timedelta(days=400 + 97 * index)
        if user.employment_start > window_start - datetime.timedelta(days=30):
            user.employment_start = start
            user.save(update_fields=["employment_start"])


def _history_loaded(users) -> bool:
    # Earlier releases seeded only pending and approved leave: a decided-against request marks the history.
    return LeaveRequest.objects.filter(
        user__in=[users[name] for name in HISTORY_PEOPLE],
        status__in=[LeaveRequest.Status.REJECTED, LeaveRequest.Status.WITHDRAWN],
    ).exists()


def _moment(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _History:
    """Three months of a working department, made directly through the models.

    The services would notify and e-mail everyone about events months old, so the rows are
    written here, but under the same rules: lengths from the working calendar, one active
    request per person and half day, approvers as the leave rules route them, comp time spent
    only out of a granted balance.
    """

    def __init__(self, users, today: datetime.date):
        self.users = users
        self.today = today
        self.window_start, self.yesterday = _history_window(today)
        self.future_end = today + datetime.timedelta(days=25)
        self.calendar = calendar_for(self.window_start - datetime.timedelta(days=7), self.future_end)
        self.past_days = self.calendar.working_days(self.window_start, self.yesterday - datetime.timedelta(days=1))
        self.future_days = self.calendar.working_days(today + datetime.timedelta(days=3), self.future_end)
        self.rest_days = [
            day
            for day in self._dates(self.window_start, self.yesterday)
            if not self.calendar.is_working_day(day) and day.weekday() == 5
        ]
        self.random = random.Random(20261201)  # noqa: S311 - demo data, not security
        self.busy: dict[str, set[datetime.date]] = {name: set() for name in HISTORY_PEOPLE}
        for leave in LeaveRequest.objects.filter(
            user__in=[users[n] for n in HISTORY_PEOPLE], status__in=LeaveRequest.ACTIVE_STATUSES
        ):
            self.busy[leave.user.username].update(self._dates(leave.start_date, leave.end_date))

    @staticmethod
    def _dates(start: datetime.date, end: datetime.date) -> list[datetime.date]:
        return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]

    def _free_run(self, username: str, days: list[datetime.date], length: int) -> list[datetime.date]:
        """Pick ``length`` consecutive working days from ``days`` on which ``username`` is free."""
        candidates = list(range(len(days) - length + 1))
        self.random.shuffle(candidates)
        for index in candidates:
            run = days[index : index + length]
            span = self._dates(run[0], run[-1])
            if not self.busy[username] & set(span):
                self.busy[username].update(span)
                return run
        return []

    def comp_time(self) -> None:
        """Approved, pending and rejected grant requests for weekend work, and one direct grant."""
        manager, gm = self.users["manager"], self.users["gm"]
        Status = CompTimeGrantRequest.Status
        plan = [
            ("staff", Status.APPROVED, Decimal("1"), "周末参加省临检会议布展"),
            ("research", Status.APPROVED, Decimal("1"), "周六医院学术会议讲课"),
            ("service", Status.APPROVED, Decimal("0.5"), "周六上午装机验收"),
            ("assistant", Status.REJECTED, Decimal("1"), "周末整理会议资料"),
            ("service", Status.PENDING, Decimal("1"), "周六客户培训"),
        ]
        for index, (username, status, days, reason) in enumerate(plan):
            user = self.users[username]
            work_date = self.rest_days[(index * 2) % len(self.rest_days)]
            grant = CompTimeGrantRequest.objects.create(
                user=user,
                work_date=work_date,
                days=days,
                reason=reason,
                status=status,
                approver=manager,
                decided_by=None if status == Status.PENDING else manager,
                decided_at=None if status == Status.PENDING else _moment(work_date + datetime.timedelta(days=2), 10, 0),
                comment="人手已够，不予调休。" if status == Status.REJECTED else "",
            )
            if status == Status.APPROVED:
                CompTimeEntry.objects.create(
                    user=user, kind=CompTimeEntry.Kind.GRANT, days=days, grant_request=grant, created_by=manager
                )
        CompTimeEntry.objects.create(
            user=self.users["manager"],
            kind=CompTimeEntry.Kind.GRANT,
            days=Decimal("1"),
            created_by=gm,
            reason="国庆期间值班",
        )

    def leave(self) -> None:
        """One request of each type in each state, spread over the people."""
        Status = LeaveRequest.Status
        states = [Status.APPROVED, Status.PENDING, Status.REJECTED, Status.WITHDRAWN, Status.CANCELLED]
        # Comp leave goes to those holding a granted balance.
        owners = {
            "comp": ["staff", "research", "manager", "staff", "research"],
            "personal": ["service", "assistant", "staff", "research", "clerk"],
            "sick": ["assistant", "clerk", "service", "manager", "staff"],
            "annual": ["research", "manager", "clerk", "service", "assistant"],
        }
        for leave_type in LeaveType.objects.filter(code__in=owners).order_by("sort_order"):
            for status, username in zip(states, owners[leave_type.code], strict=True):
                self._one_leave(leave_type, status, username)

    def _one_leave(self, leave_type, status: str, username: str) -> None:
        Status = LeaveRequest.Status
        user = self.users[username]
        length = {"annual": 3, "sick": 2}.get(leave_type.code, 1)
        if leave_type.spends_comp_time:
            length = 1
        pool = self.future_days if status == Status.PENDING else self.past_days
        if status == Status.PENDING and not leave_type.requires_advance_approval:
            # Sick leave is reported on its first day: still waiting, it began the last working day.
            first = self.calendar.previous_working_day(self.today)
            pool = self.calendar.working_days(first, self.future_end)[:length]
        run = self._free_run(username, pool, length)
        if not run:
            return
        start_half, end_half = Half.MORNING, Half.AFTERNOON
        if leave_type.code == "personal" and status in (Status.APPROVED, Status.PENDING):
            start_half = Half.AFTERNOON  # half a day
        days = self.calendar.count(run[0], run[-1], start_half, end_half)
        spends = leave_type.spends_comp_time and status in (Status.APPROVED, Status.PENDING, Status.CANCELLED)
        if spends and comp_time_balance(user=user) < days:
            return
        filed_on = self.calendar.previous_working_day(run[0]) - datetime.timedelta(days=3)
        if not leave_type.requires_advance_approval:
            filed_on = run[0]  # sick leave is reported on the first day
        if status == Status.PENDING and leave_type.requires_advance_approval:
            filed_on = self.yesterday
        approver = leave_approver_for(user=user, on_date=filed_on)
        decided = status in (Status.APPROVED, Status.REJECTED, Status.CANCELLED)
        leave = LeaveRequest(
            user=user,
            leave_type=leave_type,
            start_date=run[0],
            start_half=start_half,
            end_date=run[-1],
            end_half=end_half,
            days=days,
            reason=LEAVE_REASONS.get(leave_type.code, leave_type.name),
            handover_to=self.users[HANDOVER[username]],
            handover_notes="在跟进的医院回访和报价已交代，急事电话联系。",
            status=status,
            approver=approver,
            decided_by=approver if decided else None,
            decided_at=_moment(filed_on + datetime.timedelta(days=1), 9, 30) if decided else None,
        )
        if leave_type.requires_attachment:
            leave.attachment_name = "医生假条.pdf"
            leave.attachment.save(
                f"demo-note-{username}-{run[0].isoformat()}.pdf", ContentFile(DEMO_NOTE_PDF), save=False
            )
        leave.save()
        LeaveRequest.objects.filter(pk=leave.pk).update(created_at=_moment(filed_on, 10, 0))
        events = [LeaveEvent(request=leave, actor=user, from_status="", to_status=Status.PENDING)]
        if status == Status.REJECTED:
            events.append(
                LeaveEvent(
                    request=leave, actor=approver, from_status=Status.PENDING, to_status=status, comment="项目关键期"
                )
            )
        elif status == Status.WITHDRAWN:
            events.append(LeaveEvent(request=leave, actor=user, from_status=Status.PENDING, to_status=status))
        elif status in (Status.APPROVED, Status.CANCELLED):
            events.append(
                LeaveEvent(request=leave, actor=approver, from_status=Status.PENDING, to_status=Status.APPROVED)
            )
        if status == Status.CANCELLED:
            events.append(
                LeaveEvent(request=leave, actor=user, from_status=Status.APPROVED, to_status=status, comment="行程取消")
            )
        LeaveEvent.objects.bulk_create(events)
        if status not in LeaveRequest.ACTIVE_STATUSES:
            # Only active requests keep the days; the others leave them free for check-ins.
            self.busy[username].difference_update(self._dates(run[0], run[-1]))
        if leave_type.spends_comp_time and status in (Status.APPROVED, Status.CANCELLED):
            CompTimeEntry.objects.create(
                user=user, kind=CompTimeEntry.Kind.SPEND, days=-days, leave_request=leave, created_by=approver
            )
            if status == Status.CANCELLED:
                CompTimeEntry.objects.create(
                    user=user, kind=CompTimeEntry.Kind.REFUND, days=days, leave_request=leave, created_by=user
                )

    def field_notices(self) -> None:
        """Two or three visits to customers per person, filed the afternoon before; one withdrawn."""
        clerk = self.users["clerk"]
        notices = []
        for index, username in enumerate(HISTORY_PEOPLE):
            if username in ("gm", "clerk"):
                continue
            user = self.users[username]
            for number in range(2 + index % 2):
                length = 2 if number == 1 else 1
                run = self._free_run(username, self.past_days[5:], length)
                if not run:
                    continue
                destination, purpose, customer = FIELD_TRIPS[(index + number) % len(FIELD_TRIPS)]
                deadline = field_notice_deadline(department=user.department, first_day=run[0])
                withdrawn = index == 3 and number == 0
                notices.append(
                    FieldWorkNotice(
                        user=user,
                        start_date=run[0],
                        end_date=run[-1],
                        destination=destination,
                        purpose=purpose,
                        customer_name=customer,
                        filed_at=deadline - datetime.timedelta(hours=2, minutes=7 * number),
                        deadline=deadline,
                        status=FieldWorkNotice.Status.WITHDRAWN if withdrawn else FieldWorkNotice.Status.ACTIVE,
                        withdrawn_at=deadline - datetime.timedelta(hours=1) if withdrawn else None,
                        received_by=None if withdrawn else clerk,
                        received_at=None if withdrawn else deadline - datetime.timedelta(minutes=50),
                    )
                )
                if withdrawn:
                    self.busy[username].difference_update(self._dates(run[0], run[-1]))
        FieldWorkNotice.objects.bulk_create(notices)

    def tasks(self) -> None:
        """Tasks the manager handed out: done, open and overdue."""
        manager = self.users["manager"]
        Status = AssignedTask.Status
        events = []
        for title, description, owner, due_in, status in DEMO_TASKS:
            if AssignedTask.objects.filter(title=title).exists():
                continue  # handed out by an earlier release of the demo
            due = self.today + datetime.timedelta(days=due_in)
            task = AssignedTask.objects.create(
                title=title,
                description=description,
                owner=self.users[owner],
                assigned_by=manager,
                due_date=due,
                status=status,
                completed_at=_moment(due - datetime.timedelta(days=1), 16, 30) if status == Status.DONE else None,
            )
            events.append(TaskEvent(task=task, actor=manager, from_status="", to_status=Status.OPEN))
            if status == Status.IN_PROGRESS:
                events.append(TaskEvent(task=task, actor=task.owner, from_status=Status.OPEN, to_status=status))
            if status == Status.DONE:
                events.append(
                    TaskEvent(task=task, actor=task.owner, from_status=Status.OPEN, to_status=status, comment="已完成")
                )
        TaskEvent.objects.bulk_create(events)

    def acknowledgements(self) -> None:
        """Everyone but two has acknowledged the current rules, so the status page has both."""
        version = RuleVersion.objects.order_by("-number").first()
        if version is None:
            return
        for index, username in enumerate(HISTORY_PEOPLE):
            if username in ("service", "staff"):
                continue
            ack, _created = Acknowledgement.objects.get_or_create(version=version, user=self.users[username])
            Acknowledgement.objects.filter(pk=ack.pk).update(
                acknowledged_at=_moment(self.window_start + datetime.timedelta(days=index + 1), 9, 15)
            )


def _check_ins(users, today: datetime.date) -> None:
    """Check-ins on every working day of the history window: mostly on time, some late, a few missing.

    Each person's day is decided by a random generator seeded with the person and the date, so
    every run (and every later day) gives the same answer; days covered by approved leave or a
    field-work notice get none, and so do days of sick leave still waiting for approval.
    """
    window_start, yesterday = _history_window(today)
    calendar = calendar_for(window_start, yesterday)
    people = [users[name] for name in HISTORY_PEOPLE]
    away: set[tuple[int, datetime.date]] = set()
    for leave in LeaveRequest.objects.filter(
        user__in=people,
        status__in=LeaveRequest.ACTIVE_STATUSES,
        end_date__gte=window_start,
        start_date__lte=yesterday,
    ):
        for day in calendar.working_days(max(leave.start_date, window_start), min(leave.end_date, yesterday)):
            if not (day == leave.start_date and leave.start_half == Half.AFTERNOON):
                away.add((leave.user_id, day))
    for notice in FieldWorkNotice.objects.filter(
        user__in=people, status=FieldWorkNotice.Status.ACTIVE, end_date__gte=window_start, start_date__lte=yesterday
    ):
        for day in calendar.working_days(max(notice.start_date, window_start), min(notice.end_date, yesterday)):
            away.add((notice.user_id, day))
    rows = []
    for day in calendar.working_days(window_start, yesterday):
        for person in people:
            if (person.pk, day) in away or not person.is_employed_on(day):
                continue
            chance = random.Random(f"{person.username}:{day.isoformat()}")  # noqa: S311 - demo data
            roll = chance.random()
            if roll < 0.03:
                continue  # an absence to show in the summary
            start = person.department.office_start
            opened = datetime.datetime.combine(day, start)
            if roll < 0.12:
                moment = opened + datetime.timedelta(
                    minutes=person.department.late_grace_minutes + chance.randint(1, 40)
                )
            else:
                moment = opened - datetime.timedelta(minutes=chance.randint(2, 35))
            checked_in_at = timezone.make_aware(moment)
            rows.append(
                CheckIn(
                    user=person,
                    date=day,
                    checked_in_at=checked_in_at,
                    is_late=checkin_is_late(department=person.department, at=checked_in_at),
                )
            )
    CheckIn.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


def _history(users, today: datetime.date) -> int:
    """Load the demo department's recent history once; return how many leave requests it added."""
    window_start, _yesterday = _history_window(today)
    _employment_starts(users, window_start)
    if _history_loaded(users):
        return 0
    history = _History(users, today)
    history.comp_time()
    before = LeaveRequest.objects.count()
    history.leave()
    history.field_notices()
    history.tasks()
    history.acknowledgements()
    return LeaveRequest.objects.count() - before


@transaction.atomic
def demo_data_load() -> dict[str, int]:
    """Create the demo departments, people and products, and three months of their history."""
    today = timezone.localdate()
    departments = _departments()
    users, created_users = _users(departments)

    stages = {stage.code: stage for stage in LifecycleStage.objects.all()}
    for code, name, stage_code, description in DEMO_PRODUCTS:
        Product.objects.update_or_create(
            code=code, defaults={"name": name, "stage": stages[stage_code], "description": description}
        )

    tasks_before = AssignedTask.objects.count()
    created_leave = _history(users, today)
    _check_ins(users, today)
    return {
        "users": created_users,
        "tasks": AssignedTask.objects.count() - tasks_before,
        "leave": created_leave,
    }
