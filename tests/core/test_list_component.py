"""The shared list component (apps/core/templatetags/lists.py): one table markup, cards by CSS."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.core.templatetags.lists import Column, ListTable, RowAction, list_table_render
from apps.org.models import Product
from tests.factories import ProductFactory

TABLE = """{% load i18n lists %}
{% listtable rows as person testid="people" rowtestid="person" empty=_("Nobody") %}
  {% column _("Full name") primary nowrap %}{{ person.name }}{% endcolumn %}
  {% column _("Status") class="text-end" %}{{ person.status }}{% endcolumn %}
  {% column kind each kinds as kind %}{{ person.counts|list_item:column_index }}{% endcolumn %}
  {% rowclass %}{% if person.late %}table-danger{% endif %}{% endrowclass %}
  {% rowactions %}{% if person.can_go %}<a class="btn btn-sm" href="/go/{{ person.name }}">{% translate "Show" %}</a>
  {% endif %}{% endrowactions %}
{% endlisttable %}"""

ROWS = [
    {"name": "陈晨", "status": "ok", "counts": [1, 2], "late": True, "can_go": True},
    {"name": "<b>x</b>", "status": "", "counts": [3], "late": False, "can_go": False},
]


def _render(source=TABLE, **context):
    return Template(source).render(Context({"rows": ROWS, "kinds": ["A", "B"], **context}))


def _rows(html):
    return re.findall(r"<tr[^>]*>.*?</tr>", html.split("<tbody>")[1], re.S)


def test_every_cell_carries_its_column_label_for_the_phone_cards():
    with translation.override("en"):
        html = _render()
    head = html.split("<tbody>")[0]
    assert re.findall(r"<th\b[^>]*>(.*?)</th>", head) == ["Full name", "Status", "A", "B", "Actions"]
    first, second = _rows(html)
    assert re.findall(r'data-label="([^"]*)"', first) == ["Full name", "Status", "A", "B", "Actions"]
    assert re.findall(r'data-label="([^"]*)"', second) == ["Full name", "Status", "A", "B", "Actions"]


def test_labels_follow_the_language():
    with translation.override("zh-hans"):
        html = _render()
    assert 'data-label="状态"' in html
    assert 'data-label="Status"' not in html
    with translation.override("en"):
        assert 'data-label="Status"' in _render()


def test_primary_and_nowrap_columns_and_column_classes():
    html = _render()
    first = _rows(html)[0]
    assert re.search(
        r'<td data-label="[^"]+" class="list-primary list-nowrap"><div class="list-value">陈晨</div>', first
    )
    assert '<th scope="col" class="list-primary list-nowrap">' in html
    assert re.search(r'<th scope="col" class="text-end">', html)
    assert re.search(r'<td data-label="[^"]+" class="text-end"><div class="list-value">ok</div>', first)


def test_each_column_repeats_with_its_item_and_index():
    first, second = _rows(_render())
    assert re.findall(r'data-label="([AB])"[^>]*><div class="list-value">(\d)</div>', first) == [("A", "1"), ("B", "2")]
    # The second row has no value for B: the cell is marked blank, so its card leaves it out.
    assert re.search(r'<td data-label="B" class="list-blank"></td>', second)


def test_row_class_row_testid_and_actions():
    with translation.override("en"):
        first, second = _rows(_render())
    assert first.startswith('<tr class="table-danger" data-testid="person">')
    assert second.startswith('<tr data-testid="person">')
    assert '<td data-label="Actions" class="list-actions"><a class="btn btn-sm" href="/go/陈晨">Show</a></td>' in first
    assert re.search(r'<td data-label="[^"]+" class="list-actions list-blank"></td>', second)


def test_values_are_escaped_and_the_wrapper_table_and_testid_are_rendered():
    html = _render()
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html
    assert html.strip().startswith('<div class="table-responsive list-table-wrap"><table class="table table-sm')
    assert 'data-testid="people"' in html
    assert "list-table-wide" not in html


def test_empty_list_shows_one_row_spanning_every_column():
    with translation.override("en"):
        html = _render(rows=[])
    assert _rows(html) == ['<tr class="list-empty"><td colspan="5" class="text-body-secondary">Nobody</td></tr>']


def test_wide_flag_and_footer():
    source = """{% load lists %}{% listtable rows wide hover class="text-center" %}
    {% column "Name" primary %}{{ row.name }}{% endcolumn %}
    {% listfoot %}<tr><td>total</td></tr>{% endlistfoot %}{% endlisttable %}"""
    html = _render(source)
    assert '<div class="table-responsive list-table-wrap list-table-wrap-wide">' in html
    assert 'class="table table-sm bg-body align-middle list-table list-table-wide table-hover text-center"' in html
    assert html.strip().endswith("<tfoot><tr><td>total</td></tr></tfoot></table></div>")
    assert "list-actions" not in html  # no actions column without a rowactions block


@pytest.mark.parametrize(
    "source",
    [
        "{% load lists %}{% listtable %}{% endlisttable %}",
        "{% load lists %}{% listtable rows sideways %}{% endlisttable %}",
        "{% load lists %}{% listtable rows colour='red' %}{% endlisttable %}",
        "{% load lists %}{% listtable rows %}<tr>stray markup</tr>{% endlisttable %}",
        '{% load lists %}{% listtable rows %}{% column "A" bold %}x{% endcolumn %}{% endlisttable %}',
        '{% load lists %}{% listtable rows %}{% column "A" each items %}x{% endcolumn %}{% endlisttable %}',
        "{% load lists %}{% listtable rows %}{% rowactions now %}x{% endrowactions %}{% endlisttable %}",
    ],
)
def test_mistakes_fail_at_compile_time(source):
    with pytest.raises(TemplateSyntaxError):
        Template(source)


def test_python_api_renders_the_same_markup():
    table = ListTable(
        columns=[
            Column("Name", "name", primary=True, nowrap=True),
            Column("Size", lambda row: len(row["name"]), css_class="text-end"),
        ],
        actions=[RowAction("Open", lambda row: f"/open/{row['name']}" if row["name"] != "b" else None)],
        empty="None",
        testid="py",
    )

    class Row(dict):
        def __getattr__(self, name):
            return self[name]

    with translation.override("en"):
        html = list_table_render(table, [Row(name="a<"), Row(name="b")])
        empty = list_table_render(table, [])
    first, second = _rows(html)
    assert '<td data-label="Name" class="list-primary list-nowrap"><div class="list-value">a&lt;</div></td>' in first
    assert '<td data-label="Size" class="text-end"><div class="list-value">2</div></td>' in first
    assert '<a class="btn btn-sm btn-outline-primary" href="/open/a&lt;">Open</a>' in first
    assert 'class="list-actions list-blank"' in second
    assert 'data-testid="py"' in html
    assert '<td colspan="3" class="text-body-secondary">None</td>' in empty


@pytest.mark.django_db
def test_the_component_runs_no_query_of_its_own():
    ProductFactory.create_batch(3)
    products = list(Product.objects.all())
    source = """{% load lists %}{% listtable rows as product %}
      {% column "Name" primary %}{{ product.name }}{% endcolumn %}{% endlisttable %}"""
    with CaptureQueriesContext(connection) as ctx:
        html = Template(source).render(Context({"rows": products}))
    assert len(ctx.captured_queries) == 0
    assert html.count('<td data-label="Name"') == 3


def test_css_turns_rows_into_cards_below_the_small_breakpoint_only():
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    section = css.split("/* === Lists:")[1].split("/* === End of lists === */")[0]
    phone = section.split("@media (max-width: 575.98px) {")[1]
    assert ".list-table th { white-space: nowrap; }" in section.split("@media")[0]
    assert ".list-table:not(.list-table-wide) > thead { display: none; }" in phone
    assert "content: attr(data-label);" in phone
    assert "min-height: 2.75rem;" in phone  # thumb-sized action buttons


PAGES = [
    ("leave:mine", "my-leave"),
    ("leave:handovers", "handovers"),
    ("leave:comp_time", "comp-ledger"),
    ("leave:periods", "periods"),
    ("leave:acting", "acting"),
    ("attendance:month", "attendance-month"),
    ("attendance:notice_list", "notice-list"),
    ("attendance:notices_daily", "notices-daily"),
    ("attendance:summary", "attendance-summary"),
    ("reports:index", "report-jobs"),
    ("notifications:list", "notifications"),
    ("org:task_list", "task-list"),
    ("org:product_list", "product-list"),
    ("org:department", "positions"),
    ("conduct:status", "acknowledgements"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "testid"), PAGES)
def test_every_list_page_uses_the_component(client_for, manager, url_name, testid):
    response = client_for(manager).get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        rf'<table class="table table-sm bg-body align-middle list-table[^"]*" data-testid="{testid}"', html
    )
    # No list outside the component: every table on these pages is one.
    assert html.count("<table") == html.count('<table class="table table-sm bg-body align-middle list-table')
