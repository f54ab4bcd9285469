"""Issue 8: the list component's fast per-cell path writes exactly the HTML it wrote before.

``tests/core/data/list_component_expected.html`` was rendered by the component before the per-cell
path was rewritten (format_html per cell, one context push per ``each`` cell); every feature is
exercised: labels needing escaping, classes, ``primary``/``nowrap``, blank cells, ``each``
columns, row classes and test ids, actions (empty and not), the empty row and the footer.
"""

from pathlib import Path
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from apps.core.templatetags.lists import Column, ListTable, RowAction, list_table_render

EXPECTED = Path(__file__).parent / "data" / "list_component_expected.html"

TEMPLATE = """{% load i18n lists %}
{% listtable rows as person testid="people" rowtestid="person-row" label=label class="extra &amp; more" hover %}
  {# a comment is allowed #}
  {% column _("Name") primary nowrap %}  <b>{{ person.name }}</b>  {% endcolumn %}
  {% column odd_label class=cls %}{{ person.note }}{% endcolumn %}
  {% column item.title each items as item %}
    {{ person.counts|list_item:column_index }}{% if item.title == row.name %}!{% endif %}{% endcolumn %}
  {% column _("After each") %}{{ item|default:"outer-or-none" }}/{{ column_index|default:"-" }}{% endcolumn %}
  {% rowclass %} {% if person.flag %}table-warning & "x"{% endif %} {% endrowclass %}
  {% rowactions %}{% if person.flag %}<a class="btn" href="/p/{{ person.name }}">Go</a>{% endif %}{% endrowactions %}
  {% listfoot %}<tr><td>Total</td></tr>{% endlistfoot %}
{% endlisttable %}
{% listtable none empty=empty wide %}
  {% column _("Only") %}{{ row }}{% endcolumn %}
  {% rowactions %}x{% endrowactions %}
{% endlisttable %}"""


def _rows():
    return [
        SimpleNamespace(name="Ann <a>", note="", counts=[1, 0, ""], flag=True),
        SimpleNamespace(name="Bo", note="n & m", counts=[2], flag=False),
        SimpleNamespace(name="", note="   ", counts=[], flag=False),
    ]


def _template_html() -> str:
    context = {
        "rows": _rows(),
        "label": "People & <friends>",
        "odd_label": 'Note "quoted" <b>',
        "cls": "text-end",
        "items": [SimpleNamespace(title="A&B"), SimpleNamespace(title="Bo"), SimpleNamespace(title="C")],
        "item": "OUTER",
        "none": [],
        "empty": "Nothing <here>",
    }
    return Template(TEMPLATE).render(Context(context))


def _safe_name(row):
    return mark_safe(f"<i>{row.name}</i>") if row.flag else ""  # noqa: S308 (test data)


def _python_html() -> str:
    table = ListTable(
        columns=[
            Column("Name <x>", "name", primary=True, nowrap=True),
            Column("Note", lambda row: row.note.strip() or None),
            Column("Safe", _safe_name, css_class="c1 c2"),
            Column("Len", "counts.__len__", css_class="text-end"),
        ],
        actions=[RowAction("Open & go", lambda row: f"/p/?n={row.name}" if row.flag else None)],
        empty="None",
        testid="py",
        label="Py <table>",
        wide=True,
        hover=True,
    )
    return list_table_render(table, _rows()) + "\n" + list_table_render(table, [])


def _render() -> str:
    with translation.override("en"):
        return _template_html() + "\n----\n" + _python_html() + "\n"


def test_list_component_html_is_unchanged():
    assert _render() == EXPECTED.read_text()
