"""Issue 8: an ``each`` cell that is only ``{{ row.KEY|list_item:column_index }}`` on a dict row holding a
list of texts is placed without rendering its nodes (``apps/core/templatetags/lists.py``:
``_row_item_key`` and ``_item_text``); the table it writes is the table the nodes would have written.

Two references: the same cell written ``{{ row.KEY|list_item:column_index|default:"" }}`` (a second
filter: never the fast path), and the same template with ``_item_text`` switched off.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from apps.core.templatetags import lists

TABLE = """{% load lists %}{% listtable rows testid="leave" class="text-center" wide %}
  {% column _("Name") primary nowrap class="text-start" %}{{ row.name }}{% endcolumn %}
  {% column kind.title each kinds as kind %}CELL{% endcolumn %}
  {% column _("After") %}{{ row.after }}{% endcolumn %}
{% endlisttable %}"""
FAST_CELL = "{{ row.leave|list_item:column_index }}"
SLOW_CELL = '{{ row.leave|list_item:column_index|default:"" }}'
KINDS = [SimpleNamespace(title="Annual"), SimpleNamespace(title="Sick <b>"), SimpleNamespace(title="Personal")]


def template(cell: str = FAST_CELL, table: str = TABLE):
    return engines["django"].from_string(table.replace("CELL", cell))


def render(cell: str, rows, table: str = TABLE) -> str:
    return template(cell, table).render({"rows": rows, "kinds": KINDS})


@pytest.fixture
def node_renders(monkeypatch):
    """Count the cells rendered from their nodes."""
    calls = []
    original = lists._render_nodes

    def counted(nodes, context):
        calls.append(nodes)
        return original(nodes, context)

    monkeypatch.setattr(lists, "_render_nodes", counted)
    return calls


def without_fast_path(monkeypatch, cell: str, rows, table: str = TABLE) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(lists, "_item_text", lambda *args: None)
        return render(cell, rows, table)


def list_table_node(compiled) -> lists.ListTableNode:
    return next(node for node in compiled.template.nodelist if isinstance(node, lists.ListTableNode))


def each_key(cell: str, table: str = TABLE) -> str | None:
    node = list_table_node(template(cell, table))
    column = next(column for column in node.columns if column.each is not None)
    return node.keys[id(column)]


def test_only_the_bare_list_item_cell_takes_the_fast_path():
    assert each_key(FAST_CELL) == "leave"
    assert each_key("{{ row.leave|list_item:column_index }}   ") == "leave"  # whitespace is trimmed
    named = TABLE.replace("{% listtable rows ", "{% listtable rows as person ")
    assert each_key("{{ person.leave|list_item:column_index }}", named) == "leave"
    for cell in (
        SLOW_CELL,
        "{{ row.leave|list_item:column_index|upper }}",
        "{{ row.leave|list_item:column_index|escape }}",
        "{{ row.leave|list_item:1 }}",
        "{{ row.leave|list_item:other }}",
        "{{ row.leave|first }}",
        "{{ row.leave }}",
        "{{ other.leave|list_item:column_index }}",
        "{{ row.leave.days|list_item:column_index }}",
        "{{ row.leave|list_item:column_index }}!",
        "{% if row %}{{ row.leave|list_item:column_index }}{% endif %}",
        '{{ "x"|list_item:column_index }}',
    ):
        assert each_key(cell) is None, cell


def test_text_is_escaped_as_the_nodes_escape_it(node_renders, monkeypatch):
    rows = [
        {"name": "陈 <b>", "leave": ["a < b & c", "\"quoted\" 'single'", "1.5"], "after": "x"},
        {"name": "李", "leave": ["", "  ", "<script>"], "after": ""},
    ]

    fast = render(FAST_CELL, rows)
    assert node_renders == []  # no cell of these dict rows was rendered from its nodes

    assert fast == render(SLOW_CELL, rows) == without_fast_path(monkeypatch, FAST_CELL, rows)
    assert '<div class="list-value">a &lt; b &amp; c</div>' in fast
    assert "&quot;quoted&quot; &#x27;single&#x27;" in fast
    assert "&lt;script&gt;" in fast and "<script>" not in fast
    assert fast.count("list-blank") == 3  # the empty and the blank-only cells, and the empty "After"


def test_safe_strings_are_not_escaped(node_renders, monkeypatch):
    rows = [{"name": "王", "leave": [mark_safe('<span class="text-danger">2</span>'), "<i>", "3"], "after": "y"}]

    fast = render(FAST_CELL, rows)

    assert type(rows[0]["leave"][0]) is SafeString
    assert node_renders == []
    assert fast == render(SLOW_CELL, rows) == without_fast_path(monkeypatch, FAST_CELL, rows)
    assert '<div class="list-value"><span class="text-danger">2</span></div>' in fast
    assert '<div class="list-value">&lt;i&gt;</div>' in fast


def test_a_list_shorter_than_the_columns_leaves_blank_cells(node_renders, monkeypatch):
    rows = [{"name": "赵", "leave": ["0.5"], "after": "z"}, {"name": "钱", "leave": [], "after": "z"}]

    fast = render(FAST_CELL, rows)

    assert node_renders == []
    assert fast == render(SLOW_CELL, rows) == without_fast_path(monkeypatch, FAST_CELL, rows)
    assert fast.count('<td data-label="Sick &lt;b&gt;" class="list-blank"></td>') == 2
    assert fast.count('<td data-label="Personal" class="list-blank"></td>') == 2
    assert fast.count('<div class="list-value">0.5</div>') == 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_numbers_fall_back_to_the_nodes_and_are_localised_as_before(node_renders, monkeypatch, language):
    rows = [{"name": "孙", "leave": [3, Decimal("1.5"), Decimal("1234.50")], "after": "w"}]

    with translation.override(language):
        fast = render(FAST_CELL, rows)
        assert len(node_renders) == 3  # each number cell went through its nodes
        assert fast == render(SLOW_CELL, rows) == without_fast_path(monkeypatch, FAST_CELL, rows)

    assert '<div class="list-value">1.5</div>' in fast and '<div class="list-value">3</div>' in fast


def test_a_zero_or_a_none_in_the_list_renders_as_the_nodes_render_it(node_renders, monkeypatch):
    rows = [{"name": "周", "leave": [0, None, "x"], "after": "v"}]

    fast = render(FAST_CELL, rows)

    assert len(node_renders) == 2  # the text took the fast path, 0 and None did not
    assert fast == without_fast_path(monkeypatch, FAST_CELL, rows)
    assert '<div class="list-value">0</div>' in fast and '<div class="list-value">None</div>' in fast


def test_a_row_that_is_not_a_dict_is_rendered_from_its_nodes(node_renders, monkeypatch):
    rows = [SimpleNamespace(name="吴 <i>", leave=["a & b", mark_safe("<b>1</b>")], after="u")]

    fast = render(FAST_CELL, rows)

    assert len(node_renders) == 3 + 2  # every cell of the object row: name, three leave columns, after
    assert fast == render(SLOW_CELL, rows) == without_fast_path(monkeypatch, FAST_CELL, rows)
    assert '<div class="list-value">a &amp; b</div>' in fast and '<div class="list-value"><b>1</b></div>' in fast


def test_a_dict_row_without_a_list_is_rendered_from_its_nodes(node_renders, monkeypatch):
    rows = [{"name": "郑", "leave": "abc", "after": "t"}, {"name": "冯", "after": "s"}]

    fast = render(FAST_CELL, rows)

    assert len(node_renders) == 6  # three leave cells of each row
    assert fast == render(SLOW_CELL, rows) == without_fast_path(monkeypatch, FAST_CELL, rows)
    assert '<div class="list-value">a</div>' in fast  # "abc"[0], as list_item gives it


def test_a_cell_with_another_filter_is_rendered_from_its_nodes(node_renders):
    rows = [{"name": "陈", "leave": ["a", "b", "c"], "after": "r"}]

    upper = render("{{ row.leave|list_item:column_index|upper }}", rows)
    assert len(node_renders) == 3
    assert '<div class="list-value">A</div>' in upper

    node_renders.clear()
    render(SLOW_CELL, rows)
    assert len(node_renders) == 3

    node_renders.clear()
    render(FAST_CELL, rows)
    assert node_renders == []


def test_autoescape_off_is_kept(node_renders, monkeypatch):
    table = "{% autoescape off %}" + TABLE + "{% endautoescape %}"
    rows = [{"name": "<u>n</u>", "leave": ["<em>1</em>", "a & b", ""], "after": "q"}]

    fast = render(FAST_CELL, rows, table)

    assert node_renders == []
    assert fast == render(SLOW_CELL, rows, table) == without_fast_path(monkeypatch, FAST_CELL, rows, table)
    assert '<div class="list-value"><em>1</em></div>' in fast and '<div class="list-value">a & b</div>' in fast


def test_the_table_named_by_as_takes_the_fast_path_too(node_renders, monkeypatch):
    table = TABLE.replace("{% listtable rows ", "{% listtable rows as person ").replace("row.", "person.")
    cell = "{{ person.leave|list_item:column_index }}"
    rows = [{"name": "卫", "leave": ["x < y", mark_safe("<b>2</b>")], "after": "p"}]

    fast = render(cell, rows, table)

    assert node_renders == []
    assert fast == without_fast_path(monkeypatch, cell, rows, table)
    assert '<div class="list-value">x &lt; y</div>' in fast and '<div class="list-value"><b>2</b></div>' in fast


def test_an_each_item_named_row_is_the_item_in_the_fast_path_too(monkeypatch):
    table = TABLE.replace("each kinds as kind", "each kinds as row").replace("kind.title", "row.title")
    kinds = [SimpleNamespace(title="A", leave=["item-a"]), SimpleNamespace(title="B", leave=["item-b"])]
    rows = [{"name": "褚", "leave": ["row-a", "row-b"], "after": "o"}]
    compiled = template(FAST_CELL, table)

    fast = compiled.render({"rows": rows, "kinds": kinds})
    with monkeypatch.context() as patch:
        patch.setattr(lists, "_item_text", lambda *args: None)
        nodes = compiled.render({"rows": rows, "kinds": kinds})

    assert '<div class="list-value">item-a</div>' in nodes  # the item's own list, at index 0
    assert fast == nodes
