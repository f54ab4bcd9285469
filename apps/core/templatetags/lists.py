"""The shared list component: a table on wide screens, one card per row on a phone.

Usage, in any app's template::

    {% load lists %}
    {% listtable page_obj as leave testid="my-leave" empty=_("No leave requests yet.") %}
      {% column _("Leave type") primary %}
        <a href="{% url 'leave:detail' leave.pk %}">{{ leave.leave_type.display_name }}</a>
      {% endcolumn %}
      {% column _("Applicant") nowrap %}{{ leave.user.get_full_name }}{% endcolumn %}
      {% column _("Working days") class="text-end" %}{{ leave.days|floatformat:"-1" }}{% endcolumn %}
      {% rowclass %}{% if leave.is_urgent %}table-warning{% endif %}{% endrowclass %}
      {% rowactions %}
        <form method="post" action="{% url 'leave:approve' leave.pk %}">{% csrf_token %}
          <button class="btn btn-sm btn-success" type="submit">{% translate "Approve" %}</button></form>
      {% endrowactions %}
    {% endlisttable %}

One markup for every width: a ``<table class="list-table">`` whose cells carry ``data-label``.
Above the small breakpoint (576 px) it is an ordinary Bootstrap table whose headers never wrap
(so no header is narrower than its words); below it ``static/css/app.css`` (section "Lists")
turns each row into a card of "label: value" lines, the ``primary`` column as the card's title,
and the row actions as full-width buttons at the card's foot, where a thumb reaches them. Nothing
is rendered twice and the tag itself runs no query: cells are the page's own template code,
evaluated once per row, so whatever the view prefetched is all the list touches.

``{% listtable rows [as name] [option=value ...] [flag ...] %}``
    ``rows``: any iterable (a page, a list, a queryset already prefetched by the view). Inside
    the block each row is ``row`` and, with ``as name``, also ``name``.
    Options: ``empty=`` text of the single row shown when there are no rows; ``testid=`` the
    table's ``data-testid``; ``rowtestid=`` each row's ``data-testid``; ``label=`` its accessible
    name (``aria-label``); ``class=`` extra classes on the ``<table>``. Flags: ``hover``
    (Bootstrap's ``table-hover``); ``wide`` for a wide numeric table (the monthly summary) that
    stays a table on a phone, scrolls sideways inside its own container and keeps the
    ``primary`` column stuck to the left edge.
``{% column label [primary] [nowrap] [class="..."] [each items as item] %}…{% endcolumn %}``
    One column: ``label`` is any template expression (``_("Status")``, ``leave_type.name``);
    the block is the cell, rendered per row. ``primary`` marks the column that names the row
    (card title; sticky in ``wide`` tables). ``nowrap`` keeps the value on one line (names: no
    "陈/晨"). ``class`` (like ``primary`` and ``nowrap``) goes on the ``<th>`` and each ``<td>``.
    ``each items as item`` repeats the column for every element of ``items`` (computed once per
    render, not per row), with ``item`` and ``column_index`` in the context:
    ``{{ row.counts|list_item:column_index }}``.
    A cell that renders to nothing is left out of the card.
``{% rowclass %}…{% endrowclass %}``
    Classes of each ``<tr>`` (``table-danger`` for a row needing attention), rendered per row.
``{% rowactions %}…{% endrowactions %}``
    The row's buttons and forms (an "Actions" column on wide screens). Render ``.btn`` links and
    buttons; on a phone each becomes a full-width button at least 44 px high.
``{% listfoot %}<tr>…</tr>{% endlistfoot %}``
    Literal ``<tfoot>`` rows (totals), rendered once.

Python callers (a panel, a report preview) build the same markup with :func:`list_table_render`
and :class:`Column` / :class:`ListTable`: a column's value is an attribute path
(``"user.get_full_name"``) or a callable taking the row and returning text or safe HTML.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape as html_escape
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, TextNode, Variable, VariableNode, token_kwargs
from django.template.defaulttags import CommentNode
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

CellValue = str | Callable[[Any], Any] | None


@dataclass(frozen=True)
class Column:
    """One column of a list built in Python (see :func:`list_table_render`)."""

    label: str
    value: CellValue = None
    css_class: str = ""
    primary: bool = False
    nowrap: bool = False

    def cell(self, row: Any) -> Any:
        """Return the value of this column for ``row``: a callable's result or an attribute path."""
        if callable(self.value):
            return self.value(row)
        current = row
        for part in (self.value or "").split("."):
            if not part:
                continue
            current = getattr(current, part, "")
            if callable(current):
                current = current()
            if current is None:
                return ""
        return current


@dataclass(frozen=True)
class RowAction:
    """A link button in a row's actions: ``url`` takes the row and returns its address (or None)."""

    label: str
    url: Callable[[Any], str | None]
    css_class: str = "btn btn-sm btn-outline-primary"


@dataclass(frozen=True)
class ListTable:
    columns: Sequence[Column]
    actions: Sequence[RowAction] = field(default_factory=tuple)
    empty: str = ""
    testid: str = ""
    label: str = ""
    wide: bool = False
    hover: bool = False


def _td_classes(css_class: str, primary: bool, nowrap: bool) -> str:
    parts = [css_class] if css_class else []
    if primary:
        parts.append("list-primary")
    if nowrap:
        parts.append("list-nowrap")
    return " ".join(parts)


# The markup of a label or a class list is the same on every render: it is escaped once per process
# (``typed``: a label marked safe is not the same key as the same text unmarked).
@functools.lru_cache(maxsize=1024, typed=True)
def _class_attr(classes: str) -> SafeString:
    return format_html(' class="{}"', classes) if classes else mark_safe("")  # noqa: S308 (constant)


def _cell_html(label: str, classes: str, content: str) -> str:
    content = content.strip()
    if not content:
        classes = f"{classes} list-blank".strip()
        return format_html('<td data-label="{}"{}></td>', label, _class_attr(classes))
    return format_html(
        '<td data-label="{}"{}><div class="list-value">{}</div></td>',
        label,
        _class_attr(classes),
        mark_safe(content),  # noqa: S308 (rendered template output)
    )


class _CellMarkup:
    """One column's ``<td>`` markup, escaped once per render: each cell then costs one string join.

    Writes exactly what :func:`_cell_html` writes (``tests/core/test_list_component_output.py``).
    """

    __slots__ = ("blank", "open")

    def __init__(self, label: str, classes: str):
        self.open = format_html('<td data-label="{}"{}><div class="list-value">', label, _class_attr(classes))
        self.blank = format_html('<td data-label="{}"{}></td>', label, _class_attr(f"{classes} list-blank".strip()))

    def cell(self, content: str) -> str:
        content = content.strip()
        return f"{self.open}{content}</div></td>" if content else self.blank


@functools.lru_cache(maxsize=1024, typed=True)
def _cell_markup(label: str, classes: str) -> _CellMarkup:
    return _CellMarkup(label, classes)


@functools.lru_cache(maxsize=1024, typed=True)
def _th_html(label: str, classes: str) -> SafeString:
    return format_html('<th scope="col"{}>{}</th>', _class_attr(classes), label)


def _render_nodes(nodes, context) -> str:
    """``NodeList.render`` without building a ``SafeString`` (the caller strips and joins)."""
    if len(nodes) == 1:
        return str(nodes[0].render_annotated(context))
    return "".join([node.render_annotated(context) for node in nodes])


def _row_key(nodes, names: set[str]) -> str | None:
    """The key of a cell that is only ``{{ row.key }}`` (no filter; ``row`` or the table's ``as`` name), else None.

    Such a cell of a row that is a dict holding text is that text, escaped unless safe: what the
    variable node renders, without resolving the variable through the context (issue 8: pages whose
    cells are written in Python, such as the approval queue, place some two hundred of them).
    """
    if len(nodes) != 1 or type(nodes[0]) is not VariableNode:
        return None
    expression = nodes[0].filter_expression
    variable = expression.var
    if expression.filters or not isinstance(variable, Variable) or variable.literal is not None:
        return None
    lookups = variable.lookups or ()
    if len(lookups) != 2 or lookups[0] not in names or variable.translate or variable.message_context:
        return None
    return lookups[1]


def _row_item_key(nodes, names: set[str]) -> str | None:
    """The key of an ``each`` cell that is only ``{{ row.key|list_item:column_index }}``, else None.

    Such a cell of a row that is a dict whose ``key`` holds a list of texts is the text at the
    column's index, escaped unless safe (the monthly summary's leave columns: one per leave type
    and person).
    """
    if len(nodes) != 1 or type(nodes[0]) is not VariableNode:
        return None
    expression = nodes[0].filter_expression
    variable = expression.var
    if len(expression.filters) != 1 or not isinstance(variable, Variable) or variable.literal is not None:
        return None
    function, arguments = expression.filters[0]
    if function is not list_item or len(arguments) != 1:
        return None
    is_lookup, argument = arguments[0]
    if not is_lookup or not isinstance(argument, Variable) or argument.lookups != ("column_index",):
        return None
    lookups = variable.lookups or ()
    if len(lookups) != 2 or lookups[0] not in names or variable.translate or variable.message_context:
        return None
    return lookups[1]


def _cell_key(column, names: set[str]) -> str | None:
    """The row key of a column whose cells take a fast path (``_row_key``, ``_row_item_key``), else None.

    An ``each`` column whose item is named like the row (``each kinds as row``) reads the item, not
    the row, in its cells: it always renders its nodes."""
    if column.each is None:
        return _row_key(column.nodes, names)
    if column.each_name in names:
        return None
    return _row_item_key(column.nodes, names)


def _item_text(row, key: str, index: int, context) -> str | None:
    """For a ``_row_item_key`` cell: the text at ``index`` of the row's list (``""`` past its end), or
    None when the row is not a dict of such a list (the cell is then rendered by its nodes)."""
    if type(row) is not dict:
        return None
    items = row.get(key)
    if type(items) not in (list, tuple):
        return None
    if index >= len(items):
        return ""
    value = items[index]
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return html_escape(value) if context.autoescape else value
    return None


def _cell_text(row, key: str | None, nodes, context) -> str:
    """A cell's content: ``_render_nodes``, or for a ``_row_key`` cell of a dict row holding text, that text."""
    if key is not None and type(row) is dict:
        value = row.get(key)
        kind = type(value)
        if kind is SafeString:
            return value
        if kind is str:
            return html_escape(value) if context.autoescape else value
    return _render_nodes(nodes, context)


def _trimmed(nodelist: NodeList) -> list:
    """The nodes of a cell without its leading and trailing whitespace-only text (the cell is stripped anyway)."""
    nodes = list(nodelist)
    while nodes and isinstance(nodes[0], TextNode) and not nodes[0].s.strip():
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], TextNode) and not nodes[-1].s.strip():
        nodes.pop()
    return nodes


def _actions_html(label: str, content: str) -> str:
    content = content.strip()
    if not content:
        return format_html('<td data-label="{}" class="list-actions list-blank"></td>', label)
    return format_html('<td data-label="{}" class="list-actions">{}</td>', label, mark_safe(content))  # noqa: S308


def _table_open(*, wide: bool, hover: bool, extra_class: str, testid: str, label: str) -> str:
    wrap = "table-responsive list-table-wrap" + (" list-table-wrap-wide" if wide else "")
    classes = "table table-sm bg-body align-middle list-table"
    if wide:
        classes += " list-table-wide"
    if hover:
        classes += " table-hover"
    if extra_class:
        classes += " " + extra_class
    attrs = format_html(' class="{}"', classes)
    if testid:
        attrs += format_html(' data-testid="{}"', testid)
    if label:
        attrs += format_html(' aria-label="{}"', label)
    return format_html('<div class="{}"><table{}>', wrap, attrs)


def _head_html(headers: Iterable[tuple[str, str]], with_actions: bool) -> str:
    cells = "".join([_th_html(label, classes) for label, classes in headers])
    if with_actions:
        cells += format_html('<th scope="col" class="list-actions-head">{}</th>', gettext("Actions"))
    return f"<thead><tr>{cells}</tr></thead>"


def _empty_html(empty: str, colspan: int) -> str:
    return format_html(
        '<tr class="list-empty"><td colspan="{}" class="text-body-secondary">{}</td></tr>', colspan, empty
    )


def list_table_render(table: ListTable, rows: Iterable[Any]) -> SafeString:
    """Return the list component's HTML for ``rows`` as described by ``table``."""
    labels = [
        (str(column.label), _td_classes(column.css_class, column.primary, column.nowrap)) for column in table.columns
    ]
    actions_label = gettext("Actions")
    parts = [
        _table_open(wide=table.wide, hover=table.hover, extra_class="", testid=table.testid, label=str(table.label)),
        _head_html(labels, bool(table.actions)),
        "<tbody>",
    ]
    cells_of = [_cell_markup(label, classes) for label, classes in labels]
    blank_actions = _actions_html(actions_label, "")
    open_actions = format_html('<td data-label="{}" class="list-actions">', actions_label)
    count = 0
    for row in rows:
        count += 1
        cells = [
            markup.cell(str(conditional_escape(column.cell(row))))
            for markup, column in zip(cells_of, table.columns, strict=True)
        ]
        if table.actions:
            buttons = []
            for action in table.actions:
                url = action.url(row)
                if url:
                    buttons.append(format_html('<a class="{}" href="{}">{}</a>', action.css_class, url, action.label))
            cells.append(f"{open_actions}{''.join(buttons)}</td>" if buttons else blank_actions)
        parts.append("<tr>" + "".join(cells) + "</tr>")
    if not count:
        parts.append(_empty_html(str(table.empty), len(labels) + bool(table.actions)))
    parts.append("</tbody></table></div>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)


# ----- template tags -----


class ColumnNode(template.Node):
    def __init__(self, label, nodelist, *, css_class, primary, nowrap, each, each_name):
        self.label = label
        self.nodelist = nodelist
        self.css_class = css_class
        self.primary = primary
        self.nowrap = nowrap
        self.each = each
        self.each_name = each_name
        self.nodes = _trimmed(nodelist)

    def render(self, context):  # Rendered by ListTableNode, never on its own.
        return ""


class _BlockNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.nodes = _trimmed(nodelist)

    def render(self, context):
        return ""


class RowClassNode(_BlockNode):
    pass


class RowActionsNode(_BlockNode):
    pass


class ListFootNode(_BlockNode):
    pass


class ListTableNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, rows: FilterExpression, name: str | None, options: dict, flags: set[str], nodelist: NodeList):
        self.rows = rows
        self.name = name
        self.options = options
        self.flags = flags
        self.nodelist = nodelist
        self.columns = [node for node in nodelist if isinstance(node, ColumnNode)]
        self.rowclass = next((node for node in nodelist if isinstance(node, RowClassNode)), None)
        self.actions = next((node for node in nodelist if isinstance(node, RowActionsNode)), None)
        self.foot = next((node for node in nodelist if isinstance(node, ListFootNode)), None)
        names = {"row", name} if name else {"row"}
        self.keys = {id(column): _cell_key(column, names) for column in self.columns}
        self.rowclass_key = _row_key(self.rowclass.nodes, names) if self.rowclass is not None else None
        self.actions_key = _row_key(self.actions.nodes, names) if self.actions is not None else None

    def _expanded_columns(self, context) -> list[tuple[ColumnNode, str, str, dict]]:
        """Return (column, label, cell classes, extra context) per shown column; ``each`` columns repeat."""
        expanded = []
        for column in self.columns:
            css_class = column.css_class.resolve(context) if column.css_class else ""
            classes = _td_classes(css_class or "", column.primary, column.nowrap)
            if column.each is None:
                expanded.append((column, str(column.label.resolve(context)), classes, {}))
                continue
            for index, item in enumerate(column.each.resolve(context) or ()):
                extra = {column.each_name: item, "column_index": index}
                with context.push(**extra):
                    label = str(column.label.resolve(context))
                expanded.append((column, label, classes, extra))
        return expanded

    def render(self, context):
        option = {key: value.resolve(context) for key, value in self.options.items()}
        columns = self._expanded_columns(context)
        actions_label = gettext("Actions")
        parts = [
            _table_open(
                wide="wide" in self.flags,
                hover="hover" in self.flags,
                extra_class=option.get("class") or "",
                testid=option.get("testid") or "",
                label=str(option.get("label") or ""),
            ),
            _head_html([(label, classes) for _n, label, classes, _e in columns], self.actions is not None),
            "<tbody>",
        ]
        row_testid = format_html(' data-testid="{}"', option["rowtestid"]) if option.get("rowtestid") else ""
        plain_tr = f"<tr{row_testid}>"
        keys = self.keys
        cells_of = [
            (column.nodes, _cell_markup(label, classes), extra, keys[id(column)])
            for column, label, classes, extra in columns
        ]
        rowclass_key, actions_key = self.rowclass_key, self.actions_key
        if self.actions is not None:
            actions_nodes = self.actions.nodes
            open_actions = format_html('<td data-label="{}" class="list-actions">', actions_label)
            blank_actions = _actions_html(actions_label, "")
        rowclass_nodes = self.rowclass.nodes if self.rowclass is not None else None
        count = 0
        for row in self.rows.resolve(context) or ():
            count += 1
            names = {"row": row}
            if self.name:
                names[self.name] = row
            # One push per row; an ``each`` column's names are set in it for its cell and then
            # restored, which renders what a push per cell did.
            with context.push(**names) as scope:
                row_class = _cell_text(row, rowclass_key, rowclass_nodes, context).strip() if rowclass_nodes else ""
                cells = []
                for nodes, markup, extra, key in cells_of:
                    if extra and key is not None:
                        content = _item_text(row, key, extra["column_index"], context)
                        if content is not None:
                            cells.append(markup.cell(content))
                            continue
                    if extra:
                        scope.update(extra)
                        try:
                            content = _render_nodes(nodes, context)
                        finally:
                            for key in extra:
                                if key in names:
                                    scope[key] = names[key]
                                else:
                                    scope.pop(key, None)
                    else:
                        content = _cell_text(row, key, nodes, context)
                    cells.append(markup.cell(content))
                if self.actions is not None:
                    content = _cell_text(row, actions_key, actions_nodes, context).strip()
                    cells.append(f"{open_actions}{content}</td>" if content else blank_actions)
            tr = f'<tr class="{conditional_escape(row_class)}"{row_testid}>' if row_class else plain_tr
            parts.append(tr + "".join(cells) + "</tr>")
        if not count:
            parts.append(_empty_html(str(option.get("empty") or ""), len(columns) + (self.actions is not None)))
        parts.append("</tbody>")
        if self.foot is not None:
            parts.append(f"<tfoot>{self.foot.nodelist.render(context)}</tfoot>")
        parts.append("</table></div>")
        return mark_safe("".join(parts))  # noqa: S308 (labels escaped, cells are template output)


def _only_children(nodelist: NodeList, tag: str) -> None:
    allowed = (ColumnNode, RowClassNode, RowActionsNode, ListFootNode)
    for node in nodelist:
        if isinstance(node, allowed):
            continue
        if isinstance(node, TextNode) and not node.s.strip():
            continue
        if isinstance(node, CommentNode):
            continue
        raise template.TemplateSyntaxError(
            f"'{tag}' may hold only column, rowclass, rowactions and listfoot blocks, found {node!r}"
        )


@register.tag
def listtable(parser, token):
    bits = token.split_contents()
    tag = bits.pop(0)
    if not bits:
        raise template.TemplateSyntaxError(f"'{tag}' needs the rows to list")
    rows = parser.compile_filter(bits.pop(0))
    name = None
    if len(bits) >= 2 and bits[0] == "as":
        name = bits[1]
        bits = bits[2:]
    options: dict = {}
    flags: set[str] = set()
    while bits:
        kwarg = token_kwargs(bits[:1], parser)
        if kwarg:
            key = next(iter(kwarg))
            if key not in {"empty", "testid", "rowtestid", "label", "class"}:
                raise template.TemplateSyntaxError(f"'{tag}' has no option {key!r}")
            options.update(kwarg)
            bits.pop(0)
            continue
        flag = bits.pop(0)
        if flag not in {"wide", "hover"}:
            raise template.TemplateSyntaxError(f"'{tag}' has no flag {flag!r}")
        flags.add(flag)
    nodelist = parser.parse(("endlisttable",))
    parser.delete_first_token()
    _only_children(nodelist, tag)
    return ListTableNode(rows, name, options, flags, nodelist)


@register.tag
def column(parser, token):
    bits = token.split_contents()
    tag = bits.pop(0)
    if not bits:
        raise template.TemplateSyntaxError(f"'{tag}' needs a label")
    label = parser.compile_filter(bits.pop(0))
    css_class = None
    primary = nowrap = False
    each = each_name = None
    while bits:
        bit = bits.pop(0)
        if bit == "primary":
            primary = True
        elif bit == "nowrap":
            nowrap = True
        elif bit == "each":
            if len(bits) < 3 or bits[1] != "as":
                raise template.TemplateSyntaxError(f"'{tag}': write 'each items as item'")
            each = parser.compile_filter(bits[0])
            each_name = bits[2]
            bits = bits[3:]
        elif bit.startswith("class="):
            css_class = parser.compile_filter(bit.removeprefix("class="))
        else:
            raise template.TemplateSyntaxError(f"'{tag}' does not understand {bit!r}")
    nodelist = parser.parse(("endcolumn",))
    parser.delete_first_token()
    return ColumnNode(
        label, nodelist, css_class=css_class, primary=primary, nowrap=nowrap, each=each, each_name=each_name
    )


def _block(end: str, node_class):
    def compile_block(parser, token):
        if len(token.split_contents()) != 1:
            raise template.TemplateSyntaxError(f"'{token.split_contents()[0]}' takes no arguments")
        nodelist = parser.parse((end,))
        parser.delete_first_token()
        return node_class(nodelist)

    return compile_block


register.tag("rowclass", _block("endrowclass", RowClassNode))
register.tag("rowactions", _block("endrowactions", RowActionsNode))
register.tag("listfoot", _block("endlistfoot", ListFootNode))


@register.filter
def list_item(items, index):
    """Return ``items[index]``, or "" when there is no such element (for ``each`` columns)."""
    try:
        return items[int(index)]
    except (IndexError, KeyError, TypeError, ValueError):
        return ""
