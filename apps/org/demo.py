"""Demo data for a first look at the system (``manage.py seed_demo``); safe to load twice."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import ConfidentialityLevel as Level
from apps.core.roles import RoleName

from .models import AssignedTask, Department, LifecycleStage, Position, Product
from .services import task_assign

DEMO_PASSWORD = "mktdept2026"

# username, full name, department code, position code, roles, clearance, extra flags
DEMO_USERS = [
    ("admin", "系统管理员", None, None, [], Level.SECRET, {"is_staff": True, "is_superuser": True}),
    (
        "manager",
        "王建国",
        "MKT",
        "MANAGER",
        [RoleName.DEPARTMENT_MANAGER, RoleName.STAFF],
        Level.SECRET,
        {},
    ),
    (
        "assistant",
        "李静",
        "MKT",
        "ASSISTANT",
        [RoleName.ASSISTANT, RoleName.STAFF],
        Level.CONFIDENTIAL,
        {},
    ),
    ("research", "张伟", "MKT", "RESEARCH", [RoleName.RESEARCH, RoleName.STAFF], Level.CONFIDENTIAL, {}),
    (
        "service",
        "刘洋",
        "MKT",
        "SERVICE",
        [RoleName.CUSTOMER_SERVICE, RoleName.STAFF],
        Level.INTERNAL,
        {},
    ),
    ("staff", "陈晨", "MKT", None, [RoleName.STAFF], Level.INTERNAL, {}),
    ("clerk", "赵敏", "ADM", None, [RoleName.ADMINISTRATION, RoleName.STAFF], Level.INTERNAL, {}),
]

DEMO_PRODUCTS = [
    ("MK-2000", "全自动生化分析仪 MK-2000", "maturity", "三级医院检验科主力机型。"),
    ("CL-600", "化学发光免疫分析仪 CL-600", "growth", "中型医院与第三方检验实验室。"),
    ("POCT-CM", "心肌标志物快速检测试剂盒", "introduction", "急诊与基层医疗机构的即时检测。"),
]


@transaction.atomic
def demo_data_load() -> dict[str, int]:
    """Create the demo department, people, products and tasks; update them if present."""
    marketing = Department.objects.get(code="MKT")
    administration, _ = Department.objects.update_or_create(
        code="ADM", defaults={"name": "行政部", "name_en": "Administration"}
    )
    departments = {"MKT": marketing, "ADM": administration}
    created_users = 0
    users = {}
    for username, full_name, dept_code, position_code, roles, clearance, flags in DEMO_USERS:
        position = Position.objects.get(department=marketing, code=position_code) if position_code else None
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "email": f"{username}@example.com",
                "department": departments.get(dept_code),
                "position": position,
                "clearance": clearance,
                "employee_no": "" if username == "admin" else f"MKT-{len(users):03d}",
                **flags,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created_users += 1
        user.groups.set(Group.objects.filter(name__in=roles))
        users[username] = user
    marketing.head = users["manager"]
    marketing.save(update_fields=["head", "updated_at"])
    administration.head = users["clerk"]
    administration.save(update_fields=["head", "updated_at"])

    stages = {stage.code: stage for stage in LifecycleStage.objects.all()}
    for code, name, stage_code, description in DEMO_PRODUCTS:
        Product.objects.update_or_create(
            code=code, defaults={"name": name, "stage": stages[stage_code], "description": description}
        )

    created_tasks = 0
    if not AssignedTask.objects.exists():
        today = timezone.localdate()
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
    return {"users": created_users, "tasks": created_tasks}
