"""Issue 9 (speed): the intelligence filters read each choice list with one plain query and write Django's markup."""

import django_filters
import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.intel.filters.fields import ModelChoiceFilter
from apps.intel.filters.reports import IntelReportFilter
from apps.intel.filters.search import IntelSearchFilter
from apps.intel.models import Competitor, IntelReport
from apps.intel.selectors.reports import intel_report_list_visible_to
from tests.clock import WORKING_MORNING
from tests.intel.factories_reports import CompetitorFactory, IntelReportFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MORNING, tick=False)]


class _Ours(django_filters.FilterSet):
    competitor = ModelChoiceFilter(
        field_name="competitors", queryset=Competitor.objects.all(), empty_label="All", null_label="None <x>"
    )

    class Meta:
        model = IntelReport
        fields = []


class _Djangos(django_filters.FilterSet):
    competitor = django_filters.ModelChoiceFilter(
        field_name="competitors",
        queryset=Competitor.objects.all(),
        empty_label="All",
        null_label="None <x>",
        widget=forms.Select,
    )

    class Meta:
        model = IntelReport
        fields = []


@pytest.mark.parametrize("data", [None, {"competitor": ""}, {"competitor": "null"}, {"competitor": "first"}])
def test_model_choice_filter_writes_the_markup_of_django_filters(data):
    first = CompetitorFactory(name='罗氏 <"Roche"> & co', short_name="")
    CompetitorFactory(name="迈瑞", short_name="")
    if data and data["competitor"] == "first":
        data = {"competitor": str(first.pk)}

    ours = str(_Ours(data, queryset=IntelReport.objects.all()).form["competitor"])
    djangos = str(_Djangos(data, queryset=IntelReport.objects.all()).form["competitor"])

    assert ours == djangos
    assert "罗氏 &lt;&quot;Roche&quot;&gt; &amp; co" in ours
    assert 'value="null"' in ours


def test_report_filter_reads_each_choice_list_in_one_plain_query(manager):
    for _ in range(3):
        report = IntelReportFactory()
        report.competitors.add(CompetitorFactory())
        report.tags.add(TagFactory())
    filterset = IntelReportFilter(None, queryset=intel_report_list_visible_to(user=manager), user=manager)

    with CaptureQueriesContext(connection) as ctx:
        html = "".join(str(field) for field in filterset.form)

    sqls = [query["sql"] for query in ctx.captured_queries]
    # Competitors, products, provinces, tags: one query each, none through a server-side cursor.
    assert len(sqls) == 4
    assert not [sql for sql in sqls if "DECLARE" in sql or "CURSOR" in sql]
    assert html.count("<select") == 6
    assert html.count('class="form-select form-select-sm"') == 6


def test_filter_sets_share_no_state_with_each_other_or_the_declaration(manager, staff):
    declared = IntelReportFilter.base_filters["level"]
    declared_extra = dict(declared.extra)

    for_manager = IntelReportFilter(None, queryset=intel_report_list_visible_to(user=manager), user=manager)
    for_staff = IntelReportFilter(None, queryset=intel_report_list_visible_to(user=staff), user=staff)

    assert [value for value, _label in for_manager.form.fields["level"].choices if value != ""] == [0, 1, 2, 3]
    assert [value for value, _label in for_staff.form.fields["level"].choices if value != ""] == [0, 1]
    assert for_manager.filters["level"] is not for_staff.filters["level"]
    assert for_manager.filters["level"].parent is for_manager
    assert declared.extra == declared_extra  # the declaration keeps no choices of any user
    assert not hasattr(declared, "_field")


def test_a_method_filter_is_bound_to_its_own_filter_set(staff):
    first = IntelSearchFilter({"q": "集采"}, queryset=IntelReport.objects.all(), user=staff)
    second = IntelSearchFilter({"q": "降价"}, queryset=IntelReport.objects.all(), user=staff)

    assert first.filters["q"].filter.f is first.filters["q"]
    assert second.filters["q"].filter.f is second.filters["q"]
    assert first.filters["q"].filter.method == first._no_filter
    assert first.is_valid() and second.is_valid()
    assert first.form.cleaned_data["q"] == "集采"
