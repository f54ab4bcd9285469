from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class FieldNoticeForm(forms.Form):
    start_date = forms.DateField(label=_("first day"), widget=DateInput)
    end_date = forms.DateField(label=_("last day"), widget=DateInput)
    destination = forms.CharField(label=_("destination"), max_length=200)
    purpose = forms.CharField(label=_("purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    customer_name = forms.CharField(label=_("customer"), max_length=200, required=False)
