"""The select widgets written in Python; they live in ``apps/core/widgets.py`` and ``apps/core/people.py``."""

from apps.core.people import PersonSelect
from apps.core.widgets import Select

__all__ = ["PersonSelect", "Select"]
