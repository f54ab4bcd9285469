"""On-commit callbacks of a test, without the cache stamps that saving watched rows registers."""

import functools

from apps.core import cache_keys


def without_stamps(callbacks) -> list:
    """``callbacks`` (from ``django_capture_on_commit_callbacks``) less the stamps of
    ``apps.core.cache_keys``, which any save of a cached model registers (``apps/core/choices.py``)."""
    return [c for c in callbacks if not (isinstance(c, functools.partial) and c.func is cache_keys._stamp)]
