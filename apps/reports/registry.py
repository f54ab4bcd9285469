"""The report center's one registration point.

A report is a subclass of :class:`ReportType` in ``apps/<app>/reports.py``, decorated with
:func:`register`. The report center finds those modules when Django starts (``AppConfig.ready``)
and offers every registered type to the people holding its permission. A report states:

- ``code``, ``title``, ``description`` and ``permission`` (``"reports.view_..."``, see
  ``ReportJob.Meta.permissions``; people with it may request the report and open anyone's
  file of that type);
- ``form_class``: a form of the parameters, built with ``user=``; ``params()`` turns its
  cleaned data into JSON and ``describe()`` names a job for lists;
- ``sheets()`` and ``rows()``: the tables, as a generator of ``(sheet key, row)`` pairs so that
  every format is written in constant memory; sheets marked ``printable`` go into the PDF;
- ``chart()``: the figures for the chart on the report's page;
- ``file_clearance()``: for a report of classified material, the clearance its file is built under
  (see below).

A report whose content depends on its requester's clearance returns that clearance from
``file_clearance``. The worker reads the requester afresh when it builds the file, asks the type
once, records the level on the job (``ReportJob.built_clearance``) and passes it to ``sheets()`` and
``rows()`` as ``params[BUILT_CLEARANCE]``, which the type must not exceed. The file is then refused
to anyone whose clearance is now below that level (the requester's own included, once lowered).

Adding a report type is one class in one file; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django import forms

# A callback the builder passes to ``rows``: call it with the share done (0.0–1.0).
Progress = Callable[[float], None]
# The parameter holding the clearance a file is built under (set by the builder, never by a form).
BUILT_CLEARANCE = "built_clearance"


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    header: list[str]
    printable: bool = False
    # Column widths in characters for XLSX and relative widths for the PDF.
    widths: list[int] = field(default_factory=list)


class ReportType:
    code: str = ""
    title = ""
    description = ""
    permission: str = ""
    # True when a file holds what its requester was cleared for (confidential material): only the
    # requester and the person it is delivered to may open it, never every holder of ``permission``.
    private_files: bool = False
    form_class: type[forms.Form] = forms.Form
    formats: tuple[str, ...] = ("xlsx", "csv", "pdf")
    order: int = 100

    def get_form(self, data=None, *, user, initial=None) -> forms.Form:
        return self.form_class(data, user=user, initial=initial)

    def params(self, cleaned_data: dict) -> dict:
        """JSON-ready parameters from the form's cleaned data."""
        raise NotImplementedError

    def describe(self, params: dict) -> str:
        """A short human name for a job with these parameters, e.g. "市场部 2026-10"."""
        raise NotImplementedError

    def file_stem(self, params: dict) -> str:
        """The downloaded file's name without extension (ASCII)."""
        return self.code

    def sheets(self, params: dict) -> list[Sheet]:
        raise NotImplementedError

    def rows(self, params: dict, progress: Progress) -> Iterator[tuple[str, list]]:
        raise NotImplementedError

    def chart(self, params: dict) -> dict | None:
        return None

    def user_may_request(self, user) -> bool:
        return user.is_active and user.has_perm(self.permission)

    def file_clearance(self, *, requester) -> int | None:
        """Return the clearance a file for ``requester`` (as they are now) is built under, or None
        when the content does not depend on who asks."""
        return None


_registry: dict[str, ReportType] = {}


def register(cls: type[ReportType]) -> type[ReportType]:
    """Class decorator: make a report type available in the report center."""
    if not cls.code or not cls.permission:
        raise ValueError(f"{cls.__name__} needs a code and a permission")
    if cls.code in _registry and type(_registry[cls.code]) is not cls:
        raise ValueError(f"report code {cls.code!r} is registered twice")
    _registry[cls.code] = cls()
    return cls


def report_type(code: str) -> ReportType | None:
    return _registry.get(code)


def report_types() -> list[ReportType]:
    return sorted(_registry.values(), key=lambda r: (r.order, r.code))


def report_types_for(user) -> list[ReportType]:
    return [r for r in report_types() if r.user_may_request(user)]
