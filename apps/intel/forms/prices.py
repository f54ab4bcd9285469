"""Forms of the price area: record an observation, import a file, choose a product to compare."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BoundedDateField, SingleLineFormMixin
from apps.core.models import ConfidentialityLevel
from apps.org.models import Product

from ..importing import YEARS_BACK
from ..models import CompetitorProduct, PriceObservation
from .market import level_choices

# Largest accepted price file: a tender result of a few thousand rows is well below it.
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class PriceObservationForm(SingleLineFormMixin, forms.ModelForm):
    observed_on = BoundedDateField(label=_("Date observed"), years_back=YEARS_BACK, years_ahead=0)
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality level"), coerce=int)

    class Meta:
        model = PriceObservation
        fields = [
            "competitor_product",
            "our_product",
            "price",
            "currency",
            "unit",
            "observed_on",
            "province",
            "city",
            "channel",
            "source",
            "institution",
            "notes",
            "confidentiality",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitor_product"].queryset = CompetitorProduct.objects.filter(is_active=True).select_related(
            "competitor"
        )
        self.fields["competitor_product"].label_from_instance = lambda item: f"{item.competitor} · {item.name}"
        self.fields["our_product"].queryset = Product.objects.filter(is_active=True)
        self.fields["our_product"].label_from_instance = lambda item: f"{item.code} {item.name}"
        self.fields["price"].min_value = 0
        self.fields["price"].widget.attrs["min"] = "0.01"
        self.fields["confidentiality"].choices = level_choices(user)
        self.fields["confidentiality"].initial = ConfidentialityLevel.INTERNAL
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("competitor_product", css_class="col-md-6"), Column("our_product", css_class="col-md-6")),
            Row(
                Column("price", css_class="col-md-4"),
                Column("currency", css_class="col-md-4"),
                Column("unit", css_class="col-md-4"),
            ),
            Row(
                Column("observed_on", css_class="col-md-4"),
                Column("province", css_class="col-md-4"),
                Column("city", css_class="col-md-4"),
            ),
            Row(Column("channel", css_class="col-md-4"), Column("source", css_class="col-md-8")),
            Row(Column("institution", css_class="col-md-6"), Column("confidentiality", css_class="col-md-6")),
            "notes",
        )

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is not None and price <= 0:
            raise forms.ValidationError(_("The price must be more than zero."), code="price_not_positive")
        return price

    def clean(self):
        cleaned_data = super().clean()
        if bool(cleaned_data.get("competitor_product")) == bool(cleaned_data.get("our_product")):
            raise forms.ValidationError(_("Choose either a competitor product or one of ours."), code="one_product")
        return cleaned_data


class PriceImportForm(forms.Form):
    file = forms.FileField(label=_("Price file"), help_text=_("CSV or XLSX with the template's headers, at most 5 MB."))
    default_level = forms.TypedChoiceField(
        label=_("Level of rows without one"),
        coerce=int,
        help_text=_("Rows may name their own level in the 密级 column; none may be above your clearance."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_level"].choices = level_choices(user)
        self.fields["default_level"].initial = ConfidentialityLevel.INTERNAL
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
        self.helper = FormHelper()
        self.helper.layout = Layout("file", "default_level", Submit("upload", _("Check the file")))


class PriceImportConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


class PriceCompareForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Our product"), queryset=Product.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True)
        self.fields["product"].label_from_instance = lambda item: f"{item.code} {item.name}"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "d-flex flex-wrap align-items-end gap-2"
        self.helper.layout = Layout("product", Submit("compare", _("Compare"), css_class="mb-3"))


class PriceArchiveForm(forms.Form):
    """The confirmation of an archive: nothing to fill in, only the POST and its CSRF token."""
