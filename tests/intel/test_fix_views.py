"""Defects found in review: confidential reads on edit pages, double import, hidden research plan, separators."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.core.models import AccessLog, ConfidentialityLevel
from apps.core.roles import RoleName
from apps.intel.models import PriceObservation
from apps.intel.services.prices import price_import_file_store, prices_import
from tests.clock import WORKING_MORNING
from tests.factories import UserFactory
from tests.intel import factories_prices as fp
from tests.intel.factories_market import (
    CompetitorFactory,
    CompetitorProductFactory,
    IntelReportFactory,
    PriceObservationFactory,
    ResearchPlanFactory,
    battlecard_make,
)
from tests.intel.test_prices_import import catalogue, tender_xlsx  # noqa: F401

INTERNAL = ConfidentialityLevel.INTERNAL
CONFIDENTIAL = ConfidentialityLevel.CONFIDENTIAL
SECRET = ConfidentialityLevel.SECRET

researcher = fp.researcher
our_product = fp.our_product

pytestmark = pytest.mark.time_machine(WORKING_MORNING, tick=False)
URL = "/intel/prices/import/"


def _editor(marketing, clearance):
    return UserFactory(
        username=f"editor{clearance}",
        department=marketing,
        roles=[RoleName.RESEARCH, RoleName.STAFF],
        clearance=clearance,
    )


def _logged(user, obj):
    return AccessLog.objects.filter(user=user, object_id=str(obj.pk), action=AccessLog.Action.VIEW).count()


# 1. Reads of confidential items on the edit pages and the battlecard's prices are logged.


@pytest.mark.django_db
def test_report_edit_page_logs_a_confidential_report_not_an_internal_one(client_for, marketing):
    editor = _editor(marketing, SECRET)
    confidential = IntelReportFactory(confidentiality=CONFIDENTIAL)
    internal = IntelReportFactory(confidentiality=INTERNAL)
    client = client_for(editor)
    assert client.get(reverse("intel:report_edit", args=[confidential.pk])).status_code == 200
    assert client.get(reverse("intel:report_edit", args=[internal.pk])).status_code == 200
    assert _logged(editor, confidential) == 1
    assert _logged(editor, internal) == 0


@pytest.mark.django_db
def test_plan_edit_page_logs_a_confidential_plan_not_an_internal_one(client_for, marketing):
    editor = _editor(marketing, SECRET)
    confidential = ResearchPlanFactory(confidentiality=CONFIDENTIAL)
    internal = ResearchPlanFactory(confidentiality=INTERNAL)
    client = client_for(editor)
    assert client.get(reverse("intel:plan_edit", args=[confidential.pk])).status_code == 200
    assert client.get(reverse("intel:plan_edit", args=[internal.pk])).status_code == 200
    assert _logged(editor, confidential) == 1
    assert _logged(editor, internal) == 0


@pytest.mark.django_db
def test_battlecard_page_logs_the_confidential_prices_it_lists(client_for, manager):
    competitor = CompetitorFactory()
    battlecard_make(competitor=competitor, editor=manager, level=INTERNAL)
    product = CompetitorProductFactory(competitor=competitor)
    confidential = PriceObservationFactory(competitor_product=product, confidentiality=CONFIDENTIAL)
    internal = PriceObservationFactory(competitor_product=product, confidentiality=INTERNAL)
    response = client_for(manager).get(reverse("intel:battlecard_detail", args=[competitor.pk]))
    assert response.status_code == 200
    assert {item.pk for item in response.context["prices"]} == {confidential.pk, internal.pk}
    assert _logged(manager, confidential) == 1
    assert _logged(manager, internal) == 0


# 2. An upload is imported once, however often it is confirmed.


def _store(user):
    return price_import_file_store(
        user=user, content=tender_xlsx(), file_format="xlsx", default_level=INTERNAL, name="a.xlsx"
    )


@pytest.mark.django_db
def test_the_same_upload_is_imported_once(catalogue, researcher):  # noqa: F811
    token = _store(researcher)
    assert prices_import(user=researcher, token=token)["created"] == 3
    with pytest.raises(ValidationError) as exc:
        prices_import(user=researcher, token=token)
    assert exc.value.code == "import_already_done"
    assert PriceObservation.objects.count() == 3
    # Another upload of the same file is a new import.
    assert prices_import(user=researcher, token=_store(researcher))["created"] == 3
    assert PriceObservation.objects.count() == 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_confirming_twice_through_the_view_imports_once(catalogue, researcher, client_for):  # noqa: F811
    token = _store(researcher)
    client = client_for(researcher)
    first = client.post(URL, {"token": token, "action": "confirm"})
    assert first.status_code == 302 and first.url == reverse("intel:price_list")
    second = client.post(URL, {"token": token, "action": "confirm"})
    assert second.status_code == 302 and second.url == reverse("intel:price_import")
    assert PriceObservation.objects.count() == 3
    last = list(get_messages(second.wsgi_request))[-1]
    with translation.override(researcher.language or "zh-hans"):
        expected = translation.gettext(
            "This file has already been imported. Check the price list before uploading it again."
        )
    assert (last.level_tag, last.message) == ("error", expected)


# 3. Editing a report keeps a research plan the editor cannot see.


def _report_form(report, **overrides):
    data = {
        "kind": report.kind,
        "title": "改过的标题",
        "body": report.body,
        "source": report.source,
        "reported_on": "2026-11-30",
        "tags": "",
        "research_plan": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_edit_keeps_a_research_plan_above_the_editors_clearance(client_for, marketing):
    editor = _editor(marketing, CONFIDENTIAL)
    hidden = ResearchPlanFactory(confidentiality=SECRET)
    visible = ResearchPlanFactory(confidentiality=INTERNAL)
    kept = IntelReportFactory(confidentiality=INTERNAL, research_plan=hidden)
    cleared = IntelReportFactory(confidentiality=INTERNAL, research_plan=visible)
    client = client_for(editor)

    response = client.post(reverse("intel:report_edit", args=[kept.pk]), _report_form(kept))
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.title, kept.research_plan_id) == ("改过的标题", hidden.pk)

    # A plan the editor can see and chose to remove is removed.
    response = client.post(reverse("intel:report_edit", args=[cleared.pk]), _report_form(cleared))
    assert response.status_code == 302
    cleared.refresh_from_db()
    assert cleared.research_plan_id is None


# 5. Lists are joined the way the active language does.


def _content(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "separator"), [("en", ", "), ("zh-hans", "、")])
def test_lists_use_the_translated_separator(client_for, marketing, language, separator):
    reader = _editor(marketing, SECRET)
    reader.language = language
    reader.save(update_fields=["language"])
    first, second = CompetitorFactory(name="甲公司"), CompetitorFactory(name="乙公司")
    IntelReportFactory(confidentiality=INTERNAL, competitors=[first, second])
    client = client_for(reader)
    joined = {f"甲公司{separator}乙公司", f"乙公司{separator}甲公司"}
    page = _content(client.get(reverse("intel:report_list")))
    assert any(text in page for text in joined)
    export = _content(client.get(reverse("intel:report_export")))
    assert any(text in export for text in joined)
