"""The project's form renderer (``FORM_RENDERER``): every form label starts with a capital letter."""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.text import capfirst


class CapitalisedBoundField(BoundField):
    """A field whose label starts with a capital letter.

    Verbose names and ``label=`` texts are lower case by Django's convention ("leave type"), so that
    they read well inside sentences; a label starts a line. A ``ModelForm`` capitalises the labels it
    takes from model fields, but forms and filter sets that pass ``label=`` (and crispy-forms, which
    prints ``field.label`` as it is) do not. Chinese is unaffected.
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.label = capfirst(self.label)


class FormRenderer(DjangoTemplates):
    bound_field_class = CapitalisedBoundField
