"""`bench/pages.py` measures every page of the navigation a department head sees (issue 8).

A page added to the menu without a line in the benchmark would go unmeasured: this test names it.
"""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from apps.core.menu import menu_for
from bench.pages import PAGES

# Django's own admin is not one of the application's pages.
NOT_MEASURED = {"/admin/"}
# Pages reached from the top bar rather than the sidebar: the bell.
TOP_BAR = {"notifications:list"}


def _menu_urls(user) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    return {entry.url for group in menu_for(request) for entry in group.items}


def test_every_menu_entry_of_a_department_head_is_measured(manager):
    measured = {reverse(name) for _label, name, _query in PAGES}
    shown = _menu_urls(manager)
    assert shown, "the head sees a menu"
    assert sorted(shown - NOT_MEASURED - measured) == []


def test_the_benchmark_measures_only_pages_of_the_menu(manager):
    # A stale line (a page gone from the menu) is caught as well.
    measured = {reverse(name) for _label, name, _query in PAGES if name not in TOP_BAR}
    assert measured - _menu_urls(manager) == set()


def test_an_anonymous_visitor_sees_no_menu():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert menu_for(request) == []
