"""Issue 9 (speed): the intelligence lists' cells written in Python write what their template code wrote.

``apps/intel/templatetags/intel_lists.py`` replaces an ``{% include %}``, ``get_*_display`` and
``{% for %}`` loops in the search and report lists; each filter is compared here with the template
code it replaced, in both languages and with text that must be escaped.
"""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from apps.core.models import ConfidentialityLevel
from apps.intel.models import IntelReport, Province
from tests.clock import WORKING_MORNING
from tests.intel.factories_reports import CompetitorFactory, IntelReportFactory, PolicyFactory, TagFactory

pytestmark = [pytest.mark.time_machine(WORKING_MORNING, tick=False)]

LANGUAGES = ["zh-hans", "en"]


def _render(source: str, **context) -> str:
    return engines["django"].from_string("{% load i18n intel_lists %}" + source).render(context)


# The include every intelligence page used before the filter replaced it (kept here as the reference).
LEVEL_INCLUDE = (
    '<span class="badge intel-level intel-level-{{ level }} {% if level >= 3 %}text-bg-danger{% elif level == 2 %}'
    'text-bg-warning{% elif level == 1 %}text-bg-info{% else %}text-bg-secondary{% endif %}" '
    'data-testid="level-badge">{{ label }}</span>'
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", list(ConfidentialityLevel))
def test_level_badge_writes_the_level_include(level, language):
    report = IntelReport(confidentiality=level)
    with translation.override(language):
        included = _render(LEVEL_INCLUDE, level=report.confidentiality, label=report.get_confidentiality_display())
        fast = _render("{{ report.confidentiality|level_badge }}", report=report)
        label = str(report.get_confidentiality_display())

    assert fast == included
    assert f"intel-level-{int(level)}" in fast
    assert label in fast


@pytest.mark.parametrize("language", LANGUAGES)
def test_display_writes_get_display(language):
    with translation.override(language):
        for kind in IntelReport.Kind:
            report = IntelReport(kind=kind)
            assert _render('{{ report|display:"kind" }}', report=report) == _render(
                "{{ report.get_kind_display }}", report=report
            )
        for issuer_kind, _label in IntelReport._meta.get_field("issuer_kind").flatchoices:
            report = IntelReport(issuer_kind=issuer_kind)
            assert _render('{{ report|display:"issuer_kind" }}', report=report) == _render(
                "{{ report.get_issuer_kind_display }}", report=report
            )
        unknown = IntelReport(kind="<unknown>")
        assert _render('{{ report|display:"kind" }}', report=unknown) == "&lt;unknown&gt;"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", [0, 1, 3])
def test_names_and_tag_badges_write_the_loops(count, language):
    competitors = [CompetitorFactory(name=f'<b>罗氏 & "{i}"</b>', short_name="") for i in range(count)]
    provinces = list(Province.objects.order_by("pk")[:count])
    tags = [TagFactory(name=f"集采<{i}>") for i in range(count)]
    loops = (
        '{% translate ", " context "list separator" as list_separator %}'
        "{% for competitor in competitors %}{{ competitor }}{% if not forloop.last %}{{ list_separator }}{% endif %}"
        "{% endfor %}|{% for province in provinces %}{{ province.display_name }}{% if not forloop.last %}"
        "{{ list_separator }}{% endif %}{% endfor %}|"
        '{% for tag in tags %}<span class="badge text-bg-light border">{{ tag.name }}</span> {% endfor %}'
    )
    filters = (
        '{% translate ", " context "list separator" as list_separator %}'
        "{{ competitors|names:list_separator }}|{{ provinces|names:list_separator }}|{{ tags|tag_badges }}"
    )
    with translation.override(language):
        expected = _render(loops, competitors=competitors, provinces=provinces, tags=tags)
        assert _render(filters, competitors=competitors, provinces=provinces, tags=tags) == expected
    if count:
        assert "&lt;b&gt;罗氏 &amp; &quot;0&quot;&lt;/b&gt;" in expected
        assert "集采&lt;0&gt;" in expected


@pytest.mark.django_db
def test_names_escapes_a_plain_separator():
    competitors = [CompetitorFactory(name="A", short_name=""), CompetitorFactory(name="B", short_name="")]

    assert _render("{{ competitors|names:sep }}", competitors=competitors, sep="<&>") == "A&lt;&amp;&gt;B"


@pytest.mark.django_db
def test_report_list_rows_show_the_relations_escaped_and_in_order(client_for, manager):
    report = IntelReportFactory(kind=IntelReport.Kind.PRICING, confidentiality=ConfidentialityLevel.SECRET)
    report.competitors.add(
        CompetitorFactory(name="<i>乙</i>", short_name=""), CompetitorFactory(name="甲", short_name="")
    )
    names = [str(c).replace("<", "&lt;").replace(">", "&gt;") for c in report.competitors.order_by("name")]
    report.tags.add(TagFactory(name="集采"))
    report.provinces.add(*Province.objects.order_by("pk")[:2])
    policy = PolicyFactory(confidentiality=ConfidentialityLevel.PUBLIC)
    policy.provinces.add(Province.objects.order_by("pk").first())
    client = client_for(manager)

    with translation.override("zh-hans"):
        html = client.get(reverse("intel:report_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        policies = client.get(reverse("intel:policy_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    first, second = (str(p) for p in Province.objects.order_by("pk")[:2])
    assert "、".join(names) in html  # competitors in their default order (by name), the Chinese separator
    assert f"{first}、{second}" in html
    assert '<span class="badge text-bg-light border">集采</span>' in html
    assert 'intel-level-3 text-bg-danger" data-testid="level-badge">机密</span>' in html
    assert 'intel-level-0 text-bg-secondary" data-testid="level-badge">公开</span>' in policies
    assert "<i>乙</i>" not in html


@pytest.mark.parametrize("pk", [1, 7, 98765, 9_876_543_210_123])
@pytest.mark.parametrize("prefix", ["/", "/mkt&dept/"])
def test_detail_url_writes_the_url_tag(pk, prefix):
    try:
        set_script_prefix(prefix)
        fast = _render('{{ pk|detail_url:"intel:report_detail" }}', pk=pk)
        tag = _render("{% url 'intel:report_detail' pk %}", pk=pk)
    finally:
        set_script_prefix("/")

    assert fast == tag
    assert fast.endswith(f"/intel/reports/{pk}/")


def test_detail_url_refuses_what_the_url_tag_refuses():
    with pytest.raises(NoReverseMatch):
        _render('{{ pk|detail_url:"intel:report_detail" }}', pk="x/../")
