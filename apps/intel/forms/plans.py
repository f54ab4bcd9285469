"""Input of market research plans."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BoundedDateField, SingleLineCharField, SingleLineFormMixin

from ..models import ResearchPlan
from ..selectors.plans import research_plan_owners
from .market import level_choices


class ResearchPlanForm(SingleLineFormMixin, forms.ModelForm):
    starts_on = BoundedDateField(label=_("Start date"), years_back=3, years_ahead=3)
    due_on = BoundedDateField(label=_("Deadline"), years_back=3, years_ahead=3)
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality level"), coerce=int, choices=())
    reason = SingleLineCharField(
        label=_("Reason for a level change"),
        max_length=200,
        required=False,
        help_text=_("Recorded with the change of level."),
    )

    class Meta:
        model = ResearchPlan
        fields = [
            "title",
            "objective",
            "method",
            "sample",
            "starts_on",
            "due_on",
            "owner",
            "budget",
            "findings",
            "confidentiality",
        ]
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "sample": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = research_plan_owners()
        self.fields["confidentiality"].choices = level_choices(user)
        self.fields["budget"].min_value = 0
        self.fields["budget"].widget.attrs["min"] = 0
        if self.instance.pk is None:
            del self.fields["reason"]

    def clean(self):
        cleaned_data = super().clean()
        starts_on, due_on = cleaned_data.get("starts_on"), cleaned_data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error(
                "due_on",
                forms.ValidationError(_("The deadline cannot be before the start date."), code="due_before_start"),
            )
        budget = cleaned_data.get("budget")
        if budget is not None and budget < 0:
            self.add_error("budget", forms.ValidationError(_("The budget cannot be negative."), code="negative_budget"))
        return cleaned_data


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ResearchPlan.Status.choices)
