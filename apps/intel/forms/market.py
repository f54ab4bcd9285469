"""Input of the market area: competitors, competitor products with their specifications, battlecards."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import SingleLineCharField, SingleLineFormMixin
from apps.core.models import levels_up_to
from apps.org.models import Product

from ..models import BattlecardVersion, Competitor, CompetitorProduct, Province


class CompetitorForm(SingleLineFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    strong_provinces = forms.ModelMultipleChoiceField(
        label=_("Strong in"),
        queryset=Province.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several provinces."),
    )

    class Meta:
        model = Competitor
        fields = ["name", "short_name", "website", "headquarters", "notes", "strong_provinces"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class CompetitorProductForm(SingleLineFormMixin, forms.ModelForm):
    class Meta:
        model = CompetitorProduct
        fields = [
            "competitor",
            "name",
            "model_number",
            "methodology",
            "throughput_per_hour",
            "sample_types",
            "registration_number",
            "our_product",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitor"].queryset = Competitor.objects.filter(is_active=True).order_by("name")
        self.fields["our_product"].queryset = Product.objects.filter(is_active=True).order_by("code")
        if editing:
            # A product does not move to another competitor: its prices and reports stay with it.
            del self.fields["competitor"]


class ProductSpecForm(forms.Form):
    key = SingleLineCharField(label=_("Specification"), max_length=60, required=False)
    value = SingleLineCharField(label=_("Value"), max_length=200, required=False)

    def clean(self):
        cleaned_data = super().clean()
        key, value = cleaned_data.get("key"), cleaned_data.get("value")
        if value and not key:
            self.add_error("key", forms.ValidationError(_("Name the specification."), code="spec_key_missing"))
        if key and not value:
            self.add_error("value", forms.ValidationError(_("Enter the value."), code="spec_value_missing"))
        return cleaned_data


class BaseProductSpecFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("key") or "").casefold()
            if not key:
                continue
            if key in seen:
                raise forms.ValidationError(_("Each specification may appear only once."), code="duplicate_spec")
            seen.add(key)

    def specs(self) -> list[tuple[str, str]]:
        """Return the (key, value) pairs kept, in the form's order; empty and removed rows left out."""
        pairs = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            key, value = form.cleaned_data.get("key"), form.cleaned_data.get("value")
            if key and value:
                pairs.append((key, value))
        return pairs


ProductSpecFormSet = forms.formset_factory(
    ProductSpecForm, formset=BaseProductSpecFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)


def level_choices(user) -> list[tuple[int, str]]:
    return levels_up_to(user.clearance)


class BattlecardForm(forms.ModelForm):
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality level"), coerce=int, choices=())
    reason = SingleLineCharField(
        label=_("Reason for a level change"),
        max_length=200,
        required=False,
        help_text=_("Recorded with the change of level."),
    )

    class Meta:
        model = BattlecardVersion
        fields = ["strengths", "weaknesses", "responses", "latest_moves", "summary"]
        widgets = {field: forms.Textarea(attrs={"rows": 5}) for field in ("strengths", "weaknesses", "responses")} | {
            "latest_moves": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confidentiality"].choices = level_choices(user)
        self.fields["summary"].required = True
