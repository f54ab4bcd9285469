"""Template tags of the page shell (issue 8).

``{% reuse key %}…{% endreuse %}`` renders its block once per distinct ``key`` and process and
returns the same HTML for that key afterwards. ``key`` must determine everything the block shows
(for the sidebar, :func:`apps.core.menu.menu_signature`: the language and every label, address,
icon, badge and active flag); the block must not depend on anything else (no CSRF token, no user
name). The store is per process and bounded, so a deployment never serves markup of an older
template.
"""

from collections import OrderedDict
from threading import Lock

from django import template

register = template.Library()

MAX_ENTRIES = 512

_store: OrderedDict = OrderedDict()
_lock = Lock()


def reuse_clear() -> None:
    with _lock:
        _store.clear()


class ReuseNode(template.Node):
    def __init__(self, key, nodelist):
        self.key = key
        self.nodelist = nodelist

    def render(self, context):
        key = (id(self), self.key.resolve(context))
        with _lock:
            html = _store.get(key)
            if html is not None:
                _store.move_to_end(key)
                return html
        html = self.nodelist.render(context)
        with _lock:
            _store[key] = html
            while len(_store) > MAX_ENTRIES:
                _store.popitem(last=False)
        return html


@register.tag
def reuse(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes one key")
    nodelist = parser.parse(("endreuse",))
    parser.delete_first_token()
    return ReuseNode(parser.compile_filter(bits[1]), nodelist)
