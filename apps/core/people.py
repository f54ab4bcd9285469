"""Person pickers: who may be named as handover colleague, acting approver or task owner, and in which order.

Every picker lists the chooser's own department first, then everyone else, each group sorted by the
pinyin of the full name (陈晨, 李静, 王建国, 张伟), and carries a search box that filters the options
in the browser (``static/js/person_picker.js``). Without JavaScript the box stays hidden and the
plain ``<select>`` works as before.
"""

import functools

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from apps.accounts.models import User

from . import widgets

# Surnames whose reading differs from the character's everyday one (曾 is zēng as a surname, not
# céng); pypinyin reads characters, not names, so the first character is looked up here first.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "乐": "yue",
    "种": "chong",
    "召": "shao",
    "重": "chong",
    "秘": "bi",
}


@functools.lru_cache(maxsize=4096)
def name_pinyin(name: str) -> tuple[str, ...]:
    """Return the syllables of ``name`` in lower-case pinyin without tones; Latin words are kept as words."""
    if not name:
        return ()
    syllables = [s.strip().lower() for s in lazy_pinyin(name)]
    if name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return tuple(word for s in syllables for word in s.split() if word)


@functools.lru_cache(maxsize=4096)
def person_sort_key(name: str) -> tuple[str, str]:
    """Return the key that sorts people by the pinyin of their name, syllable by syllable (李 before 林)."""
    return " ".join(name_pinyin(name)), name


@functools.lru_cache(maxsize=4096)
def person_search_text(name: str) -> str:
    """Return what the search box matches: the name, its pinyin run together and its initials (陈晨 chenchen cc)."""
    syllables = name_pinyin(name)
    parts = (name.lower(), "".join(syllables), "".join(s[0] for s in syllables))
    return " ".join(dict.fromkeys(part for part in parts if part))


def people_choosable(*, exclude: User | None = None, on_date=None) -> QuerySet[User]:
    """Return the people a picker may offer, leaving out ``exclude`` (the person choosing).

    Left out, besides the chooser:

    * inactive accounts, and people whose leaving date has passed;
    * superusers and anyone without a department. The system administrator (``admin`` in the demo
      data) is both: a technical account that nobody hands work to. A member of staff who also
      administers the system works under an ordinary account of their department, so the rule
      loses no colleague, and it needs no name or flag of its own.
    """
    on_date = on_date or timezone.localdate()
    qs = User.objects.filter(
        Q(employment_end__isnull=True) | Q(employment_end__gte=on_date),
        is_active=True,
        is_superuser=False,
        department__isnull=False,
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("full_name", "username")


# What an option of a picker reads of a person: the name (``User.get_full_name``) and the department.
OPTION_FIELDS = ("id", "username", "full_name", "first_name", "last_name", "department_id")


class PersonChoiceIterator(ModelChoiceIterator):
    """The chooser's department first, then the others, each sorted by pinyin; one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # Only what an option shows (validation still reads the whole row, from the field's queryset).
        options = self.queryset.only(*OPTION_FIELDS)
        people = sorted(options, key=lambda person: person_sort_key(person.get_full_name()))
        own = self.field.own_department_id
        mine = [self.choice(person) for person in people if own is not None and person.department_id == own]
        others = [self.choice(person) for person in people if own is None or person.department_id != own]
        if mine and others:
            yield (_("My department"), mine)
            yield (_("Other departments"), others)
        else:
            yield from mine or others


class PersonSelect(widgets.Select):
    """A ``<select>`` with a search box above it; each option carries its name's pinyin for the search.

    Written in Python (:func:`apps.core.widgets.person_select_html`), the same markup as
    ``template_name``: fifty options are no longer fifty template includes.
    """

    template_name = "core/widgets/person_select.html"
    # The search box's accessible name; a subclass listing other things names them (``None``: people).
    search_label = None

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(self.html(widget))  # noqa: S308 (every value escaped)

    def html(self, widget: dict) -> str:
        """The markup of ``template_name`` for the widget context ``widget``, written in Python."""
        return widgets.person_select_html(widget, None if self.search_label is None else str(self.search_label))

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value not in ("", None):
            option["attrs"]["data-search"] = person_search_text(str(label))
        return option


class PersonChoiceField(forms.ModelChoiceField):
    """A person, chosen from ``people_choosable``; a person left out is refused even if posted by hand."""

    iterator = PersonChoiceIterator
    widget = PersonSelect

    def __init__(self, *args, own_department_id: int | None = None, **kwargs):
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)
        self.own_department_id = own_department_id

    def set_chooser(self, user: User | None, *, exclude_chooser: bool = True) -> None:
        """Offer the people ``user`` may name, their own department first."""
        self.own_department_id = getattr(user, "department_id", None)
        self.queryset = people_choosable(exclude=user if exclude_chooser else None)
