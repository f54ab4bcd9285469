"""R-ORG-01..05: the regulation ships as data, complete and in both languages."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from apps.conduct.models import RuleVersion
from apps.core.roles import RoleName
from apps.org import seed_data
from apps.org.models import Department, Duty, LifecycleStage, Position, StageFocus

REGULATION = Path(__file__).resolve().parents[3] / "shared" / "seed" / "market-dept-regulation.zh.txt"


@pytest.mark.skipif(not REGULATION.exists(), reason="the regulation text lives in ../shared, beside the repo")
def test_r_org_02_every_numbered_item_of_the_regulation_is_a_duty():
    text = REGULATION.read_text(encoding="utf-8")
    # "4) ... 对公司..." style items may wrap onto the same line; split them like the source.
    items = []
    for line in text.splitlines():
        items += [part.strip() for part in re.split(r"(?=\d+\))", line) if re.match(r"\d+\)", part.strip())]
    expected = [re.sub(r"^\d+\)", "", item).strip().rstrip(";;。,") for item in items]  # noqa: B005
    shipped = [row[3] for row in seed_data.DEPARTMENT_DUTIES] + [row[3] for row in seed_data.POSITION_DUTIES]

    assert expected == shipped


@pytest.mark.django_db
def test_r_org_02_department_duties_by_function_are_in_the_database():
    counts = {f: Duty.objects.filter(function=f, position__isnull=True).count() for f in Duty.Function.values}

    assert counts == {"intelligence": 4, "advisory": 7, "supervision": 5, "public_relations": 7}
    assert not Duty.objects.filter(text_en="").exists()


@pytest.mark.django_db
def test_r_org_01_03_positions_of_the_seed_with_their_duties():
    positions = {p.code: p for p in Position.objects.filter(department__code="MKT")}

    assert {code: p.headcount for code, p in positions.items()} == {
        "MANAGER": 1,
        "ASSISTANT": 1,
        "RESEARCH": 1,
        "SERVICE": 1,
    }
    assert {code: p.duties.count() for code, p in positions.items()} == {
        "MANAGER": 15,
        "ASSISTANT": 9,
        "RESEARCH": 6,
        "SERVICE": 6,
    }
    assert Department.objects.get(code="MKT").name == "市场部"


@pytest.mark.django_db
def test_r_org_04_lifecycle_stages_with_focus_linked_to_duties():
    stages = {s.code: s for s in LifecycleStage.objects.all()}

    assert list(stages) == ["introduction", "growth", "maturity"]
    assert [stages[c].focus_items.count() for c in stages] == [5, 3, 5]
    pricing = StageFocus.objects.get(stage__code="introduction", text="制定产品价格")
    assert list(pricing.duties.values_list("code", flat=True)) == ["F-ADV-05"]


@pytest.mark.django_db
def test_r_conduct_01_first_version_of_rules_is_published():
    version = RuleVersion.objects.get()

    assert version.number == 1
    assert "严守公司机密" in version.body
    assert "女职员不许穿拖鞋" in version.body
    assert version.body_en


@pytest.mark.django_db
def test_roles_exist_as_groups_with_permissions():
    groups = {
        g.name: {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()} for g in Group.objects.all()
    }

    assert set(RoleName.ALL) <= set(groups)
    assert "org.assign_task" in groups[RoleName.DEPARTMENT_MANAGER]
    assert "org.assign_task" not in groups[RoleName.STAFF]
    assert "conduct.view_acknowledgement_status" in groups[RoleName.DEPARTMENT_MANAGER]
    assert "conduct.view_acknowledgement_status" not in groups[RoleName.STAFF]
