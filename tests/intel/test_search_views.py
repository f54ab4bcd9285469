"""R-INTEL-05 and R-INTEL-03: the search page finds, ranks, highlights, and never shows above clearance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import ConfidentialityLevel
from apps.intel.models import IntelReport
from apps.intel.templatetags.intel_search import highlight
from tests.clock import WORKING_MORNING
from tests.factories import UserFactory
from tests.intel.factories_search import SearchReportFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]

URL = reverse("intel:search")


def _search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def _pks(response):
    return [r.pk for r in response.context["page_obj"].object_list]


def test_r_intel_03_secret_report_not_in_results_or_count_of_internal_user(client_for, manager, staff):
    assert staff.clearance == ConfidentialityLevel.INTERNAL and manager.clearance == ConfidentialityLevel.SECRET
    internal = SearchReportFactory(title="集采结果", confidentiality=ConfidentialityLevel.INTERNAL)
    secret = SearchReportFactory(title="集采底价", body="绝密的底价", confidentiality=ConfidentialityLevel.SECRET)

    as_staff = _search(client_for(staff), q="集采")
    assert _pks(as_staff) == [internal.pk]
    assert as_staff.context["page_obj"].paginator.count == 1
    assert "集采底价" not in as_staff.content.decode()
    assert _search(client_for(staff), q="底价").context["page_obj"].paginator.count == 0

    as_manager = _search(client_for(manager), q="集采")
    assert set(_pks(as_manager)) == {internal.pk, secret.pk}
    assert as_manager.context["page_obj"].paginator.count == 2
    assert _pks(_search(client_for(manager), q="底价")) == [secret.pk]


def test_r_intel_03_level_filter_offers_no_level_above_clearance(client_for, manager, staff):
    SearchReportFactory(title="集采", confidentiality=ConfidentialityLevel.SECRET)
    staff_levels = [v for v, _label in _search(client_for(staff)).context["filter"].form.fields["level"].choices]
    assert [str(v) for v in staff_levels] == ["", "0", "1"]  # "All" once, nothing above INTERNAL
    # Asking for SECRET anyway is an error on the field, never a secret row.
    response = _search(client_for(staff), q="集采", level=ConfidentialityLevel.SECRET)
    assert response.context["filter"].form.errors["level"]
    assert _pks(response) == []
    manager_response = _search(client_for(manager), q="集采", level=ConfidentialityLevel.SECRET)
    assert manager_response.context["page_obj"].paginator.count == 1


def test_r_intel_05_archived_reports_are_not_found(client_for, staff):
    live = SearchReportFactory(title="集采")
    SearchReportFactory(title="集采旧闻", is_archived=True)
    assert _pks(_search(client_for(staff), q="集采")) == [live.pk]


def test_r_intel_05_results_ranked_title_first_with_snippet_and_marks(client_for, staff):
    long_body = "前文很长。" * 30 + "本周集采有新进展。"
    body_only = SearchReportFactory(title="周报", body=long_body, reported_on="2026-11-25")
    in_title = SearchReportFactory(title="集采结果公布", body="详见附件。", reported_on="2026-11-01")
    response = _search(client_for(staff), q="集采")
    if connection.vendor == "postgresql":
        assert _pks(response) == [in_title.pk, body_only.pk]
    else:
        assert _pks(response) == [body_only.pk, in_title.pk]  # SQLite: newest first
    html = response.content.decode()
    assert "<mark>集采</mark>结果公布" in html
    assert "本周<mark>集采</mark>有新进展" in html  # the snippet is cut around the first match
    assert html.count("前文很长") < 30


def test_r_intel_05_highlighting_escapes_html_first(client_for, staff):
    SearchReportFactory(title="<script>alert('集采')</script>", body="<b>集采</b> & 降价")
    html = _search(client_for(staff), q="集采").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;<mark>集采</mark>&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>集采</mark>&lt;/b&gt; &amp; 降价" in html


def test_highlight_filter_escapes_terms_and_text():
    assert highlight("a<b>集采</b>", ["集采"]) == "a&lt;b&gt;<mark>集采</mark>&lt;/b&gt;"
    assert highlight("<i>x</i>", ["<i>"]) == "<mark>&lt;i&gt;</mark>x&lt;/i&gt;"
    assert highlight("市场", ["市"]) == "市场"  # one-character terms are not marked
    assert highlight("1 < 2 <mark>", ["<mark>"]) == "1 &lt; 2 <mark>&lt;mark&gt;</mark>"
    assert highlight("HbA1c 检测", ["hba1c"]) == "<mark>HbA1c</mark> 检测"
    assert highlight(None, ["集采"]) == ""


def test_r_intel_05_messages_for_too_short_and_no_results(client_for, staff):
    SearchReportFactory(title="集采")
    short = _search(client_for(staff), q="集")
    assert short.context["too_short"] and short.context["page_obj"] is None
    assert 'data-testid="search-too-short"' in short.content.decode()
    none = _search(client_for(staff), q="不存在的词")
    assert not none.context["too_short"] and none.context["page_obj"].paginator.count == 0
    assert 'data-testid="search-results"' in none.content.decode()
    empty = _search(client_for(staff))
    assert empty.context["page_obj"] is None and not empty.context["too_short"]


def test_r_intel_05_filters_narrow_the_matches(client_for, staff):
    pricing = SearchReportFactory(title="集采价格", kind=IntelReport.Kind.PRICING, reported_on="2026-11-20")
    SearchReportFactory(title="集采政策", kind=IntelReport.Kind.POLICY, reported_on="2026-10-01")
    assert _pks(_search(client_for(staff), q="集采", kind="pricing")) == [pricing.pk]
    assert _pks(_search(client_for(staff), q="集采", date_from="2026-11-01")) == [pricing.pk]


def test_r_intel_05_bad_filter_values_give_messages_not_errors(client_for, staff):
    SearchReportFactory(title="集采")
    response = _search(
        client_for(staff), q="集采", date_from="0001-01-01", competitor="abc", date_to="2026-01-01", kind="nope"
    )
    form = response.context["filter"].form
    assert {"date_from", "competitor", "kind"} <= set(form.errors)
    assert response.context["query"] == "集采"
    assert 'value="集采"' in response.content.decode()  # the words typed are kept
    too_long = _search(client_for(staff), q="集" * 101)
    assert "q" in too_long.context["filter"].form.errors


def test_r_intel_05_pages_of_results(client_for, staff, settings):
    settings.PAGE_SIZE = 2
    reports = [SearchReportFactory(title=f"集采{n}", reported_on=f"2026-11-{n + 1:02d}") for n in range(5)]
    second = _search(client_for(staff), q="集采", page=2)
    assert second.context["page_obj"].paginator.count == 5
    assert len(_pks(second)) == 2
    seen = set(_pks(_search(client_for(staff), q="集采", page=1))) | set(_pks(second))
    seen |= set(_pks(_search(client_for(staff), q="集采", page=3)))
    assert seen == {r.pk for r in reports}


def test_search_needs_the_intel_view_permission(client_for, staff):
    outsider = UserFactory(roles=[])
    assert client_for(outsider).get(URL, {"q": "集采"}).status_code == 403
    assert client_for(staff).get(URL, {"q": "集采"}).status_code == 200


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_r_intel_05_search_growth_guard(client_for, staff):
    client = client_for(staff)
    for _ in range(2):
        SearchReportFactory(title="集采", body="降价")
    _queries(client, {"q": "集采"})  # warm the per-user caches
    with_two = _queries(client, {"q": "集采 降价", "kind": "competitor"})
    for _ in range(28):
        SearchReportFactory(title="集采", body="降价")
    assert _queries(client, {"q": "集采 降价", "kind": "competitor"}) == with_two


def test_search_page_query_count(client_for, staff, django_assert_num_queries):
    SearchReportFactory(title="集采", body="降价")
    client = client_for(staff)
    client.get(URL, {"q": "集采"})
    # session, user, long documents holding the words, capped count, page rows, their
    # competitors (SQLite has no long-document query); the competitor and province choices come
    # from the cache (apps/core/choices.py)
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 5):
        client.get(URL, {"q": "集采"})


def test_r_intel_05_more_matches_than_counted_says_so(client_for, staff, monkeypatch):
    from apps.intel import search

    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    for n in range(4):
        SearchReportFactory(title=f"集采{n}", reported_on=f"2026-11-{n + 1:02d}")
    SearchReportFactory(title="集采新品")
    response = _search(client_for(staff), q="集采")
    assert response.context["more_than_limit"]
    assert response.context["page_obj"].paginator.count == 3
    assert 'data-testid="search-count"' in response.content.decode()
    exact = _search(client_for(staff), q="新品")
    assert not exact.context["more_than_limit"] and exact.context["page_obj"].paginator.count == 1
