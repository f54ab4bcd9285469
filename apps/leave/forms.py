from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.choices import CachedChoices, CachedModelChoiceField
from apps.core.forms import BoundedDateField, SingleLineCharField
from apps.core.months import parse_month
from apps.core.people import PersonChoiceField
from apps.org.models import Department

from . import widgets
from .models import HALF_CHOICES, LeaveType
from .selectors import leave_types_active


class LeaveRequestForm(forms.Form):
    leave_type = CachedModelChoiceField(
        label=_("leave type"),
        queryset=None,
        widget=widgets.Select,
        cached_choices=CachedChoices("leave.request.leave_type", (LeaveType,)),
    )
    start_date = BoundedDateField(label=_("start date"))
    start_half = forms.ChoiceField(label=_("starts in the"), choices=HALF_CHOICES, initial="am", widget=widgets.Select)
    end_date = BoundedDateField(label=_("end date"))
    end_half = forms.ChoiceField(label=_("ends in the"), choices=HALF_CHOICES, initial="pm", widget=widgets.Select)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    handover_to = PersonChoiceField(label=_("handover colleague"), widget=widgets.PersonSelect)
    handover_notes = forms.CharField(
        label=_("handover notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What your colleague must take care of while you are away."),
    )
    attachment = forms.FileField(
        label=_("attachment"), required=False, help_text=_("PDF, JPEG or PNG; required for sick leave (doctor's note).")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].queryset = leave_types_active()
        self.fields["handover_to"].set_chooser(user)


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequestIdsField(forms.Field):
    """Request ids from the queue's checkboxes; anything but a whole number is refused."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("The selection could not be read."),
        "too_many": _("Select at most %(limit)s requests at a time."),
    }
    limit = 100

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            ids = sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if len(ids) > self.limit:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"limit": self.limit})
        return ids


class QueueBatchForm(forms.Form):
    """Approve several requests with one comment: first a confirmation step, then the decisions."""

    leave = RequestIdsField(error_messages={"required": _("Select the requests to approve.")})
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        required=False,
        max_length=2000,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RequestOriginForm(forms.Form):
    """Where a request was opened from, for its breadcrumb."""

    source = forms.ChoiceField(
        choices=[(origin, origin) for origin in ("queue", "mine", "calendar", "handovers")], required=False
    )


class ImportantPeriodForm(forms.Form):
    name = SingleLineCharField(label=_("name"), max_length=200)
    start_date = BoundedDateField(label=_("start date"))
    end_date = BoundedDateField(label=_("end date"))
    whole_company = forms.BooleanField(label=_("for the whole company"), required=False)


class CompGrantRequestForm(forms.Form):
    work_date = BoundedDateField(label=_("date worked"), years_ahead=0)
    days = forms.TypedChoiceField(
        label=_("days"), choices=[("0.5", "0.5"), ("1", "1")], coerce=Decimal, initial="1", widget=widgets.Select
    )
    reason = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 2}))


class CompGrantDirectForm(forms.Form):
    user = PersonChoiceField(label=_("person"), widget=widgets.PersonSelect)
    days = forms.DecimalField(label=_("days"), min_value=Decimal("0.5"), max_value=Decimal("10"), decimal_places=1)
    reason = SingleLineCharField(label=_("reason"), max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members


class ActingApproverForm(forms.Form):
    user = PersonChoiceField(label=_("acting approver"), widget=widgets.PersonSelect)
    start_date = BoundedDateField(label=_("start date"))
    end_date = BoundedDateField(label=_("end date"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].set_chooser(user)


class DepartmentCodeField(forms.ModelChoiceField):
    """A department chosen by its code; junk (a NUL byte included) is an invalid choice, not a database error."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class LeaveCalendarForm(forms.Form):
    """The calendar's query parameters: a month (YYYY-MM) and, for those who see several, a department.

    ``departments`` are the ones the viewer may choose; any other code is an invalid choice.
    """

    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control form-control-sm"}),
    )
    department = DepartmentCodeField(
        label=_("Department"),
        queryset=Department.objects.none(),
        to_field_name="code",
        required=False,
        widget=widgets.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are the list already read: no second query to validate or to render them.
        self.fields["department"].queryset = Department.objects.filter(pk__in=[d.pk for d in departments])
        self.fields["department"].choices = [(d.code, d.display_name) for d in departments]

    def clean_month(self) -> tuple[int, int] | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        year, month, valid = parse_month(value)
        if not valid:
            raise forms.ValidationError(_("That month could not be read."), code="invalid_month")
        return year, month
