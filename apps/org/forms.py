from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AssignedTask
from .selectors import task_assignable_users


class TaskAssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    due_date = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = task_assignable_users()


class TaskStatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=AssignedTask.Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
