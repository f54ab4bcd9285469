"""Battlecards (R-INTEL-03): one per competitor, classified, versioned, reviewed, level changes audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import AccessLog, LevelChange
from apps.intel.models import Battlecard, IntelReport
from apps.intel.services.market import battlecard_review, battlecard_save
from tests.clock import WORKING_MORNING
from tests.intel import factories_market as fm
from tests.intel.factories_market import (
    CONFIDENTIAL,
    INTERNAL,
    SECRET,
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
    PriceObservationFactory,
    battlecard_make,
)

researcher = fm.researcher

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]
TODAY = datetime.date(2026, 12, 1)


def test_r_intel_03_secret_card_is_404_for_internal_clearance_and_shown_to_the_manager(client_for, staff, manager):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager, level=SECRET, strengths="绝密优势")
    url = reverse("intel:battlecard_detail", args=[competitor.pk])

    assert client_for(staff).get(url).status_code == 404
    assert client_for(staff).get(reverse("intel:battlecard_history", args=[competitor.pk])).status_code == 404
    assert (
        "battlecard-link"
        not in client_for(staff).get(reverse("intel:competitor_detail", args=[competitor.pk])).content.decode()
    )
    response = client_for(manager).get(url)
    assert response.status_code == 200
    assert "绝密优势" in response.content.decode()


def test_confidential_card_read_is_logged_internal_is_not(client_for, manager):
    secret, internal = CompetitorFactory(), CompetitorFactory()
    secret_card = battlecard_make(competitor=secret, editor=manager, level=CONFIDENTIAL)
    internal_card = battlecard_make(competitor=internal, editor=manager, level=INTERNAL)
    client = client_for(manager)

    client.get(reverse("intel:battlecard_detail", args=[secret.pk]))
    client.get(reverse("intel:battlecard_detail", args=[internal.pk]))

    logged = set(AccessLog.objects.filter(user=manager).values_list("object_id", flat=True))
    assert str(secret_card.pk) in logged
    assert str(internal_card.pk) not in logged


def test_latest_moves_and_prices_hold_only_what_the_viewer_may_see(client_for, staff, manager):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager, level=INTERNAL)
    product = CompetitorProductFactory(competitor=competitor, name="发光仪M")
    IntelReportFactory(competitors=[competitor], title="公开动作")
    IntelReportFactory(competitors=[competitor], title="机密动作", confidentiality=SECRET)
    IntelReportFactory(competitors=[competitor], title="行业趋势", kind=IntelReport.Kind.INDUSTRY_TREND)
    PriceObservationFactory(competitor_product=product, price="111.00")
    PriceObservationFactory(competitor_product=product, price="999.00", confidentiality=SECRET)
    PriceObservationFactory(competitor_product=product, price="555.00", is_archived=True)
    url = reverse("intel:battlecard_detail", args=[competitor.pk])

    staff_html = client_for(staff).get(url).content.decode()
    manager_html = client_for(manager).get(url).content.decode()

    assert "公开动作" in staff_html and "机密动作" not in staff_html and "行业趋势" not in staff_html
    assert "111.00" in staff_html and "999.00" not in staff_html and "555.00" not in staff_html
    assert "机密动作" in manager_html and "999.00" in manager_html


def test_only_the_five_latest_moves(client_for, manager):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager)
    for day in range(1, 8):
        IntelReportFactory(competitors=[competitor], title=f"动作第{day}天", reported_on=datetime.date(2026, 11, day))
    html = client_for(manager).get(reverse("intel:battlecard_detail", args=[competitor.pk])).content.decode()
    assert "动作第7天" in html and "动作第3天" in html
    assert "动作第2天" not in html


@pytest.mark.parametrize(
    ("reviewed_on", "warned"),
    [(TODAY - datetime.timedelta(days=91), True), (TODAY - datetime.timedelta(days=90), False), (None, True)],
)
def test_review_older_than_90_days_is_warned(client_for, manager, reviewed_on, warned):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager, reviewed_on=reviewed_on)
    html = client_for(manager).get(reverse("intel:battlecard_detail", args=[competitor.pk])).content.decode()
    assert ('data-testid="review-overdue"' in html) is warned
    if reviewed_on:
        assert manager.get_full_name() in html


def test_edit_saves_a_new_version_and_keeps_the_old_one(client_for, researcher, manager):
    competitor = CompetitorFactory()
    card = battlecard_make(competitor=competitor, editor=manager, strengths="旧优势")
    old_version = card.current
    url = reverse("intel:battlecard_edit", args=[competitor.pk])
    data = {
        "strengths": "新优势",
        "weaknesses": "价格高",
        "responses": "强调服务",
        "summary": "更新优势",
        "confidentiality": INTERNAL,
    }

    response = client_for(researcher).post(url, data)

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.current.number == 2 and card.current.strengths == "新优势" and card.current.edited_by == researcher
    old_version.refresh_from_db()
    assert old_version.strengths == "旧优势"
    assert card.versions.count() == 2


def test_first_save_creates_the_card(researcher):
    competitor = CompetitorFactory()
    version = battlecard_save(
        user=researcher,
        competitor=competitor,
        strengths="a",
        weaknesses="b",
        responses="c",
        confidentiality=CONFIDENTIAL,
    )
    card = Battlecard.objects.get(competitor=competitor)
    assert (version.number, card.current, card.confidentiality) == (1, version, CONFIDENTIAL)


def test_edit_is_refused_without_permission_or_clearance(client_for, staff, researcher, manager):
    competitor = CompetitorFactory()
    card = battlecard_make(competitor=competitor, editor=manager, level=SECRET)
    url = reverse("intel:battlecard_edit", args=[competitor.pk])
    assert client_for(staff).get(url).status_code == 403
    # The specialist (confidential clearance) cannot see that a secret card exists.
    assert client_for(researcher).get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 200
    with pytest.raises(PermissionDenied):
        battlecard_save(
            user=researcher,
            competitor=competitor,
            strengths="x",
            weaknesses="y",
            responses="z",
            confidentiality=CONFIDENTIAL,
        )
    with pytest.raises(PermissionDenied):
        battlecard_review(user=researcher, battlecard=card)
    assert card.versions.count() == 1


def test_level_above_own_clearance_is_refused(researcher):
    competitor = CompetitorFactory()
    with pytest.raises(ValidationError) as exc:
        battlecard_save(
            user=researcher, competitor=competitor, strengths="a", weaknesses="b", responses="c", confidentiality=SECRET
        )
    assert exc.value.error_dict["confidentiality"][0].code == "level_above_clearance"
    assert not Battlecard.objects.filter(competitor=competitor).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_r_intel_03_level_change_through_the_view_is_audited(client_for, manager):
    competitor = CompetitorFactory()
    card = battlecard_make(competitor=competitor, editor=manager, level=INTERNAL)
    data = {
        "strengths": "a",
        "weaknesses": "b",
        "responses": "c",
        "summary": "升级密级",
        "confidentiality": SECRET,
        "reason": "含报价",
    }

    response = client_for(manager).post(reverse("intel:battlecard_edit", args=[competitor.pk]), data)

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.confidentiality == SECRET and card.current.number == 2
    change = LevelChange.objects.get(object_id=str(card.pk))
    assert (change.old_level, change.new_level, change.changed_by, change.reason) == (
        INTERNAL,
        SECRET,
        manager,
        "含报价",
    )


def test_unchanged_level_writes_no_level_change(researcher, manager):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager, level=INTERNAL)
    battlecard_save(
        user=researcher, competitor=competitor, strengths="a", weaknesses="b", responses="c", confidentiality=INTERNAL
    )
    assert not LevelChange.objects.exists()


def test_review_marks_it_reviewed_today(client_for, staff, researcher, manager):
    competitor = CompetitorFactory()
    card = battlecard_make(competitor=competitor, editor=manager, reviewed_on=datetime.date(2026, 1, 1))
    url = reverse("intel:battlecard_review", args=[competitor.pk])
    assert client_for(staff).post(url).status_code == 403
    assert client_for(researcher).get(url).status_code == 405

    client_for(researcher).post(url)

    card.refresh_from_db()
    assert (card.reviewed_on, card.reviewed_by) == (TODAY, researcher)


def test_history_lists_versions_and_shows_the_changes(client_for, researcher, manager):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager, strengths="渠道广\n服务好")
    battlecard_save(
        user=researcher,
        competitor=competitor,
        strengths="渠道广\n价格低",
        weaknesses="价格高",
        responses="强调服务",
        summary="第二版",
    )
    url = reverse("intel:battlecard_history", args=[competitor.pk])

    latest = client_for(researcher).get(url)
    first = client_for(researcher).get(url, {"version": 1})

    html = latest.content.decode()
    assert "第二版" in html
    assert '<ins class="text-decoration-none">价格低</ins>' in html and "<del>服务好</del>" in html
    assert latest.context["shown"].number == 2 and first.context["shown"].number == 1
    assert client_for(researcher).get(url, {"version": 9}).status_code == 404
