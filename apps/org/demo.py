"""Demo data for a first look at the system (``manage.py seed_demo``); safe to load twice."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.attendance.models import CheckIn
from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName as Role
from apps.leave.models import CompTimeEntry, LeaveRequest, LeaveType
from apps.leave.services import leave_request_approve, leave_request_submit
from apps.workcalendar.calendar import calendar_for

from .models import AssignedTask, Department, LifecycleStage, Position, Product
from .services import task_assign

DEMO_PASSWORD = "mktdept2026"

# username, full name, department code, position code, roles, clearance, extra flags
DEMO_USERS = [
    ("admin", "系统管理员", None, None, [], Level.SECRET, {"is_staff": True, "is_superuser": True}),
    ("gm", "周国强", "GMO", None, [Role.STAFF], Level.SECRET, {}),
    ("manager", "王建国", "MKT", "MANAGER", [Role.DEPARTMENT_MANAGER, Role.STAFF], Level.SECRET, {}),
    ("assistant", "李静", "MKT", "ASSISTANT", [Role.ASSISTANT, Role.STAFF], Level.CONFIDENTIAL, {}),
    ("research", "张伟", "MKT", "RESEARCH", [Role.RESEARCH, Role.STAFF], Level.CONFIDENTIAL, {}),
    ("service", "刘洋", "MKT", "SERVICE", [Role.CUSTOMER_SERVICE, Role.STAFF], Level.INTERNAL, {}),
    ("staff", "陈晨", "MKT", None, [Role.STAFF], Level.INTERNAL, {}),
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


def _users(departments) -> tuple[dict[str, User], int]:
    marketing = departments["MKT"]
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


def _check_ins(users, today: datetime.date) -> None:
    """This month's check-ins up to yesterday: mostly on time, a few late, one gap."""
    first = today.replace(day=1)
    calendar = calendar_for(first, today)
    people = [users[name] for name in ("manager", "assistant", "research", "service", "staff", "clerk")]
    rows = []
    for offset, day in enumerate(calendar.working_days(first, today - datetime.timedelta(days=1))):
        for index, person in enumerate(people):
            if (offset + index) % 11 == 10:
                continue  # an absence to show in the summary
            late = (offset * 3 + index) % 9 == 0
            moment = datetime.time(9, 12) if late else datetime.time(8, 40 + index)
            rows.append(
                CheckIn(
                    user=person,
                    date=day,
                    checked_in_at=timezone.make_aware(datetime.datetime.combine(day, moment)),
                    is_late=late,
                )
            )
    CheckIn.objects.bulk_create(rows, ignore_conflicts=True)


def _leave(users, today: datetime.date) -> int:
    if LeaveRequest.objects.exists():
        return 0
    calendar = calendar_for(today, today + datetime.timedelta(days=30))
    upcoming = calendar.working_days(today + datetime.timedelta(days=2), today + datetime.timedelta(days=30))
    CompTimeEntry.objects.create(
        user=users["staff"],
        kind=CompTimeEntry.Kind.GRANT,
        days=Decimal("2"),
        created_by=users["manager"],
        reason="周末参加省临检会议布展",
    )
    personal = LeaveType.objects.get(code="personal")
    leave_request_submit(
        user=users["staff"],
        leave_type=personal,
        start_date=upcoming[0],
        start_half="am",
        end_date=upcoming[0],
        end_half="pm",
        reason="家中有事",
        handover_to=users["service"],
        handover_notes="跟进华东区两家医院的试剂补货。",
    )
    annual = LeaveType.objects.get(code="annual")
    trip = leave_request_submit(
        user=users["research"],
        leave_type=annual,
        start_date=upcoming[3],
        start_half="am",
        end_date=upcoming[4],
        end_half="pm",
        reason="年假",
        handover_to=users["assistant"],
        handover_notes="竞品价格表周五前更新;招标截止提醒已交代。",
    )
    leave_request_approve(actor=users["manager"], leave=trip, comment="同意")
    return 2


@transaction.atomic
def demo_data_load() -> dict[str, int]:
    """Create the demo departments, people, products, tasks, check-ins and leave."""
    today = timezone.localdate()
    departments = _departments()
    users, created_users = _users(departments)

    stages = {stage.code: stage for stage in LifecycleStage.objects.all()}
    for code, name, stage_code, description in DEMO_PRODUCTS:
        Product.objects.update_or_create(
            code=code, defaults={"name": name, "stage": stages[stage_code], "description": description}
        )

    created_tasks = 0
    if not AssignedTask.objects.exists():
        task_assign(
            assigned_by=users["manager"],
            owner=users["research"],
            title="整理华东区省级招标信息",
            description="汇总江苏、浙江、上海本季度的检验设备招标公告与截止日期。",
            due_date=today + datetime.timedelta(days=3),
        )
        task_assign(
            assigned_by=users["manager"],
            owner=users["service"],
            title="回访三家三甲医院检验科",
            description="电话回访 MK-2000 用户,记录使用问题。",
            due_date=today + datetime.timedelta(days=1),
        )
        created_tasks = 2
    _check_ins(users, today)
    created_leave = _leave(users, today)
    return {"users": created_users, "tasks": created_tasks, "leave": created_leave}
