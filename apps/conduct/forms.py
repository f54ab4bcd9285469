from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import SingleLineCharField


class RuleVersionForm(forms.Form):
    title = SingleLineCharField(label=_("title (Chinese)"), max_length=200)
    title_en = SingleLineCharField(label=_("title (English)"), max_length=200, required=False)
    body = forms.CharField(label=_("text (Chinese)"), widget=forms.Textarea(attrs={"rows": 12}))
    body_en = forms.CharField(label=_("text (English)"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
