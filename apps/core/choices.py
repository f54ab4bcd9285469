"""The options of model-choice fields, cached under a stamp of each model they are read from (issue 8).

A list's filter form offers competitors, products, provinces, tags, people: reference rows that
change a few times a month and are read on every page, one query each (three or four per list
page of market intelligence). A field given a :class:`CachedChoices` reads its ``(value, label)``
pairs from the cache instead, stored with the version stamps of the models they come from and of
the language they are written in; every save or delete of a row of a watched model (and every
change of a watched many-to-many link) replaces that model's stamp, now and again after the
transaction commits, so an edit shows on the next page (:mod:`apps.core.cache_keys`).

* A model is watched by :func:`watch` in its app's ``AppConfig.ready``, so that a save in any
  process (a web worker, the admin, a Celery task) replaces the stamp, whether or not that process
  ever rendered the form. Reading the options of an unwatched model raises ``ImproperlyConfigured``.
* ``QuerySet.update`` and ``bulk_create`` send no signals: code that changes watched rows that way
  calls :func:`models_changed` (the admin's archive action does); the expiry bounds the rest.
* Only values and labels are cached, never a row: a chosen value is still looked up in the field's
  queryset when the form is validated, so a value the queryset no longer holds is refused.
* While Redis is down every read misses and the options come from the database, as without a cache.

:func:`cached_for_models` caches any other small value read from watched models the same way (the
leave types that head the monthly summary's columns).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import get_language

from . import cache_keys

# Stamps are replaced on every signalled change; the expiry bounds unsignalled bulk writes.
CHOICES_CACHE_SECONDS = 10 * 60
CACHE_VERSION = 1

_watched: set[str] = set()


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


# Per watched model, the fields whose saves alone change nothing cached (a log-in saves ``last_login``).
_quiet_fields: dict[str, frozenset[str]] = {}


def _changed(sender, update_fields=None, **kwargs) -> None:
    label = _label(sender)
    quiet = _quiet_fields.get(label)
    if quiet and update_fields and set(update_fields) <= quiet:
        return
    cache_keys.choices_changed([label])


def _links_changed(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        cache_keys.choices_changed([_label(sender)])


def watch(*models, quiet_fields=()) -> None:
    """Replace each model's stamp whenever one of its rows is saved or deleted (or, for the
    automatic through model of a many-to-many field, whenever a link is added or removed).

    A save of ``quiet_fields`` only (``save(update_fields=...)``) leaves the stamp: name there the
    fields that nothing cached from the model reads."""
    for model in models:
        label = _label(model)
        if quiet_fields:
            _quiet_fields[label] = frozenset(quiet_fields)
        if model._meta.auto_created:
            m2m_changed.connect(_links_changed, sender=model, dispatch_uid=f"choices-links-{label}")
        else:
            post_save.connect(_changed, sender=model, dispatch_uid=f"choices-save-{label}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"choices-delete-{label}")
        _watched.add(label)


def models_changed(*models) -> None:
    """Replace the stamps of ``models`` after a write that sends no signal (``QuerySet.update``)."""
    cache_keys.choices_changed([_label(model) for model in models])


def all_changed() -> None:
    """Replace the stamp of every watched model (after a bulk load such as ``seed_demo``)."""
    cache_keys.choices_changed(sorted(_watched))


def _keys(name: str, models, scope: str, language: bool) -> tuple[str, list[str]]:
    labels = [_label(model) for model in models]
    unwatched = [label for label in labels if label not in _watched]
    if unwatched:
        raise ImproperlyConfigured(f"Cached value {name!r} reads unwatched models: {', '.join(unwatched)}")
    key = cache_keys.choices_key(name, scope, (get_language() or "") if language else "", CACHE_VERSION)
    return key, cache_keys.choices_version_keys(labels)


def cached_for_models(name: str, models, compute, *, scope: str = "", language: bool = True):
    """Return ``compute()``, cached under ``name`` and ``scope`` (and the active language unless
    ``language`` is false) until a row of one of ``models`` changes; each model must be watched."""
    key, version_keys = _keys(name, models, scope, language)
    return cache_keys.cached_with_versions(key, version_keys, compute, timeout=CHOICES_CACHE_SECONDS)


def cached_for_models_keys(name: str, models, *, scope: str = "", language: bool = True) -> list[str]:
    """What ``cached_for_models`` reads with the same arguments (to read ahead with ``cache_keys.prefetched``)."""
    return cache_keys.cached_with_versions_keys(*_keys(name, models, scope, language))


@dataclass(frozen=True)
class CachedChoices:
    """Where a field's options are cached: ``name`` and ``scope`` (what else they depend on, such as
    the reader's clearance) make the key, ``models`` are every model the queryset reads."""

    name: str
    models: tuple
    scope: str = ""

    def options(self, field) -> list[tuple[object, str]]:
        def compute():
            return [(field.prepare_value(obj), str(field.label_from_instance(obj))) for obj in field.queryset]

        return cached_for_models(f"choices.{self.name}", self.models, compute, scope=self.scope)


class CachedChoiceIterator(ModelChoiceIterator):
    """The empty and null choices, then the field's options: from the cache when the field has
    ``cached_choices``, otherwise from one ordinary query.

    Django's ``ModelChoiceIterator`` reads the options with ``QuerySet.iterator()``, which on
    PostgreSQL opens a server-side cursor held across the commit (``DECLARE … WITH HOLD``,
    ``FETCH``, ``CLOSE``): three round trips for a dozen names. Values and labels are the same; an
    option read from the cache carries no instance.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        cached = getattr(self.field, "cached_choices", None)
        if cached is None:
            for obj in self.queryset:
                yield self.choice(obj)
            return
        for value, label in cached.options(self.field):
            yield (ModelChoiceIteratorValue(value, None), label)

    def __len__(self):
        return len(list(iter(self)))

    def __bool__(self):
        return self.field.empty_label is not None or bool(len(self))


class CachedChoicesMixin:
    """A model-choice field that takes ``cached_choices=CachedChoices(...)`` (or ``None``)."""

    iterator = CachedChoiceIterator

    def __init__(self, *args, cached_choices: CachedChoices | None = None, **kwargs):
        self.cached_choices = cached_choices
        super().__init__(*args, **kwargs)


class CachedModelChoiceField(CachedChoicesMixin, forms.ModelChoiceField):
    """``forms.ModelChoiceField`` whose options are read with one plain query or from the cache."""
