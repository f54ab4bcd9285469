"""Every classified model's admin keeps clearance (lists, counts, change URLs), and the changelists'
query counts do not grow with their rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import ConfidentialityLevel as Level
from apps.intel.models import (
    Battlecard,
    BattlecardVersion,
    Competitor,
    CompetitorProduct,
    IntelAttachment,
    PriceChannel,
    PriceObservation,
    Province,
    ResearchPlan,
)
from tests.clock import WORKING_MORNING
from tests.factories import UserFactory
from tests.intel.factories_demo import IntelReportFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

DAY = datetime.date(2026, 11, 20)


def _price(product, level, n=0):
    return PriceObservation.objects.create(
        competitor_product=product,
        price=Decimal("100.00") + n,
        observed_on=DAY,
        province=Province.objects.get(code="320000"),
        channel=PriceChannel.TENDER_RESULT,
        source="招标公告",
        confidentiality=level,
    )


def _plan(owner, level, n=0):
    return ResearchPlan.objects.create(
        title=f"调研计划{level}-{n}",
        objective="摸清份额",
        method="问卷",
        starts_on=DAY,
        due_on=DAY + datetime.timedelta(days=30),
        owner=owner,
        confidentiality=level,
    )


def _card(owner, level, n=0):
    card = Battlecard.objects.create(
        competitor=Competitor.objects.create(name=f"对手{level}-{n}"), confidentiality=level
    )
    version = BattlecardVersion.objects.create(
        battlecard=card, number=1, strengths="强", weaknesses="弱", responses="答", edited_by=owner
    )
    card.current = version
    card.save(update_fields=["current"])
    return card


def _attachment(owner, level, n=0):
    report = IntelReportFactory(confidentiality=level)
    return IntelAttachment.objects.create(
        report=report,
        file="attachments/x.pdf",
        original_name=f"附件{level}-{n}.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=owner,
        confidentiality=level,
    )


@pytest.fixture
def product():
    return CompetitorProduct.objects.create(competitor=Competitor.objects.create(name="华康诊断"), name="HK-i3000")


def _client(clearance):
    user = UserFactory(is_staff=True, is_superuser=True, clearance=clearance)
    client = Client()
    client.force_login(user)
    return client, user


# (admin URL prefix, factory of one row at a level)
CASES = {
    "priceobservation": lambda owner, product, level, n=0: _price(product, level, n),
    "researchplan": lambda owner, product, level, n=0: _plan(owner, level, n),
    "battlecard": lambda owner, product, level, n=0: _card(owner, level, n),
    "intelattachment": lambda owner, product, level, n=0: _attachment(owner, level, n),
    "intelreport": lambda owner, product, level, n=0: IntelReportFactory(confidentiality=level),
}


@pytest.mark.parametrize("model", CASES)
def test_r_intel_03_each_classified_admin_hides_rows_above_clearance(model, product):
    owner = UserFactory(clearance=Level.SECRET)
    internal_row = CASES[model](owner, product, Level.INTERNAL)
    secret_row = CASES[model](owner, product, Level.SECRET)
    internal, _user = _client(Level.INTERNAL)
    secret, _user = _client(Level.SECRET)
    changelist = reverse(f"admin:intel_{model}_changelist")

    assert internal.get(changelist).context["cl"].result_count == 1
    assert secret.get(changelist).context["cl"].result_count == 2
    assert internal.get(reverse(f"admin:intel_{model}_change", args=[internal_row.pk])).status_code == 200
    assert internal.get(reverse(f"admin:intel_{model}_change", args=[secret_row.pk])).status_code in (302, 404)
    assert secret.get(reverse(f"admin:intel_{model}_change", args=[secret_row.pk])).status_code == 200


def test_r_intel_03_versions_of_a_secret_battlecard_stay_hidden(product):
    owner = UserFactory(clearance=Level.SECRET)
    _card(owner, Level.INTERNAL)
    secret_card = _card(owner, Level.SECRET)
    internal, _user = _client(Level.INTERNAL)
    secret, _user = _client(Level.SECRET)
    url = reverse("admin:intel_battlecardversion_changelist")

    assert internal.get(url).context["cl"].result_count == 1
    assert secret.get(url).context["cl"].result_count == 2
    version = secret_card.current
    assert internal.get(reverse("admin:intel_battlecardversion_change", args=[version.pk])).status_code in (302, 404)


def test_r_intel_03_the_research_plan_dropdown_of_a_report_names_no_secret_plan():
    owner = UserFactory(clearance=Level.SECRET)
    _plan(owner, Level.INTERNAL)
    _plan(owner, Level.SECRET)
    internal, _user = _client(Level.INTERNAL)
    secret, _user = _client(Level.SECRET)
    url = reverse("admin:intel_intelreport_add")

    internal_choices = internal.get(url).context["adminform"].form.fields["research_plan"].queryset
    secret_choices = secret.get(url).context["adminform"].form.fields["research_plan"].queryset

    assert [plan.confidentiality for plan in internal_choices] == [Level.INTERNAL]
    assert sorted(plan.confidentiality for plan in secret_choices) == [Level.INTERNAL, Level.SECRET]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", CASES)
def test_admin_changelist_query_count_does_not_grow(model, product):
    owner = UserFactory(clearance=Level.SECRET)
    client, _user = _client(Level.SECRET)
    url = reverse(f"admin:intel_{model}_changelist")
    for n in range(2):
        CASES[model](owner, product, Level.INTERNAL, n)
    client.get(url)  # warm caches (permissions, content types)
    two = _queries(client, url)
    for n in range(2, 30):
        CASES[model](owner, product, Level.INTERNAL, n)

    assert _queries(client, url) == two
