from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BoundedDateField, SingleLineCharField
from apps.core.people import PersonChoiceField
from apps.core.widgets import Select

from .models import AssignedTask
from .selectors import task_assignable_users


class TaskAssignForm(forms.Form):
    owner = PersonChoiceField(label=_("owner"))
    # The title becomes the subject of the owner's e-mail: one line only.
    title = SingleLineCharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    due_date = BoundedDateField(label=_("due date"), years_back=1, years_ahead=3)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = task_assignable_users()
        # The assigner's own department first; they may take a task themselves, so they stay in the list.
        self.fields["owner"].own_department_id = getattr(user, "department_id", None)


class TaskStatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=AssignedTask.Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProductFilterForm(forms.Form):
    """The product list's query string: free text and a lifecycle stage."""

    q = forms.CharField(label=_("search"), max_length=100, required=False)
    stage = forms.ChoiceField(label=_("lifecycle stage"), required=False, widget=Select)

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("All stages"))] + [(stage.code, stage.display_name) for stage in stages]
