from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.forms import SingleLineCharField


class ProfileForm(forms.Form):
    phone = SingleLineCharField(label=_("phone"), max_length=32, required=False)
    language = forms.ChoiceField(label=_("preferred language"), choices=settings.LANGUAGES)
