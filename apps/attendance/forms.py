from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BoundedDateField, SingleLineCharField
from apps.core.months import parse_month
from apps.core.widgets import Select


class FieldNoticeForm(forms.Form):
    start_date = BoundedDateField(label=_("first day"))
    end_date = BoundedDateField(label=_("last day"))
    destination = SingleLineCharField(label=_("destination"), max_length=200)
    purpose = forms.CharField(label=_("purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    customer_name = SingleLineCharField(label=_("customer"), max_length=200, required=False)


class NoticesDayForm(forms.Form):
    """The day shown by the field-work-by-day page; empty means today."""

    date = BoundedDateField(label=_("date"), required=False, years_back=5, years_ahead=5)


class SummaryFilterForm(forms.Form):
    """The monthly summary's query: a month (``YYYY-MM``) and one of the departments the viewer may see."""

    month = forms.CharField(label=_("month"), max_length=7, required=False)
    department = forms.ChoiceField(label=_("department"), required=False, widget=Select)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.code: d for d in departments}
        self.fields["department"].choices = [("", "")] + [(d.code, d.display_name) for d in departments]

    def clean_month(self) -> tuple[int, int] | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        year, month, valid = parse_month(value)
        if not valid:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, not after next year."), code="invalid_month")
        return year, month

    def clean_department(self):
        return self.departments.get(self.cleaned_data["department"])
