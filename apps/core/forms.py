"""Form pieces shared by every app: date inputs, date ranges, one-line text, service errors."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

ISO_DATE = "%Y-%m-%d"

# Every line break Python's str.splitlines() knows, CR LF counted as one.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def add_service_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# ---------------------------------------------------------------------------------------------
# Dates


class DateInput(forms.DateInput):
    """An ``<input type="date">`` whose value is always ISO (YYYY-MM-DD), whatever the language.

    Browsers accept nothing else in a date input; the localized format (``2026/12/02`` in
    Chinese) leaves the field blank.
    """

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATE)


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """Return the same calendar day ``years`` later (earlier if negative); 29 February becomes the 28th."""
    year = min(max(day.year + years, datetime.MINYEAR), datetime.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


class BoundedDateField(forms.DateField):
    """A date within ``years_back`` years before and ``years_ahead`` years after today.

    Refuses typing slips and probes such as 0001-01-01 or 9999-12-31 with a clear message, and
    tells the browser the same range through ``min``/``max``. The bounds follow the clock, so
    they are computed when the form is built and when it is validated, never at import.
    """

    widget = DateInput
    default_error_messages = {
        "date_too_early": _("Enter a date no earlier than %(limit)s."),
        "date_too_late": _("Enter a date no later than %(limit)s."),
    }

    def __init__(self, *, years_back: int = 1, years_ahead: int = 2, **kwargs):
        self.years_back = years_back
        self.years_ahead = years_ahead
        super().__init__(**kwargs)

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        """Return the earliest and latest date accepted today."""
        today = today or timezone.localdate()
        return shift_years(today, -self.years_back), shift_years(today, self.years_ahead)

    def __deepcopy__(self, memo):
        # Each form instance gets a copy of its fields: the moment to give the browser today's range.
        result = super().__deepcopy__(memo)
        earliest, latest = result.bounds()
        result.widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())
        return result

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.bounds()
        if value < earliest:
            raise ValidationError(
                self.error_messages["date_too_early"],
                code="date_too_early",
                params={"limit": formats.date_format(earliest, "DATE_FORMAT")},
            )
        if value > latest:
            raise ValidationError(
                self.error_messages["date_too_late"],
                code="date_too_late",
                params={"limit": formats.date_format(latest, "DATE_FORMAT")},
            )


# ---------------------------------------------------------------------------------------------
# One-line text


def single_line(value: str) -> str:
    """Replace every line break in ``value`` by a space, so it is safe in a header or a subject."""
    return _LINE_BREAKS.sub(" ", value)


class SingleLineCharField(forms.CharField):
    """A one-line text field: pasted line breaks become spaces instead of reaching e-mail headers."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = single_line(value)
        return value.strip() if self.strip else value


class SingleLineFormMixin:
    """Make every one-line text field of the form (a CharField not shown as a textarea) single-line.

    For forms whose fields are generated, such as ModelForms; a plain form can declare
    ``SingleLineCharField`` instead. The values are normalized in ``clean()``, before a
    ModelForm copies them onto its instance.
    """

    def clean(self):
        cleaned_data = super().clean()
        for name, field in self.fields.items():
            value = cleaned_data.get(name)
            if isinstance(value, str) and is_one_line_field(field):
                value = single_line(value)
                cleaned_data[name] = value.strip() if field.strip else value
        return cleaned_data


def is_one_line_field(field: forms.Field) -> bool:
    """Return whether ``field`` takes one line of text."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea | forms.HiddenInput)
