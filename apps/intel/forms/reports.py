"""Input of intelligence reports, policies, attachments and level changes (shape only; rules in the services)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BoundedDateField, SingleLineCharField
from apps.core.models import ConfidentialityLevel
from apps.org.models import Product

from ..models import Competitor, CompetitorProduct, IntelReport, Province, ResearchPlan
from ..services.reports import TAG_MAX_LENGTH, intel_attachment_validate, tag_names_parse

LEVEL_CHOICES = ConfidentialityLevel.choices
ATTACHMENT_HELP = _("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG.")


def _plan_label(plan: ResearchPlan) -> str:
    if plan.is_archived:
        return gettext("%(plan)s (archived)") % {"plan": plan}
    return str(plan)


def _multiple(label, queryset):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=queryset, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )


class IntelReportForm(forms.Form):
    """A report or, with the type "Policy or announcement", a policy with its own fields."""

    kind = forms.ChoiceField(label=_("Type"), choices=IntelReport.Kind.choices)
    title = SingleLineCharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 8}))
    source = SingleLineCharField(label=_("Source"), max_length=200)
    reported_on = BoundedDateField(label=_("Date"), years_back=30, years_ahead=1)
    confidentiality = forms.TypedChoiceField(
        label=_("Confidentiality level"), choices=LEVEL_CHOICES, coerce=int, initial=ConfidentialityLevel.INTERNAL
    )
    competitors = _multiple(_("Competitors"), Competitor.objects.none())
    products = _multiple(_("Competitor products"), CompetitorProduct.objects.none())
    our_products = _multiple(_("Our products"), Product.objects.none())
    provinces = _multiple(_("Provinces"), Province.objects.none())
    tags = SingleLineCharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separate tags with commas or 、; new tags are created."),
    )
    research_plan = forms.ModelChoiceField(
        label=_("Research plan"), queryset=ResearchPlan.objects.none(), required=False
    )
    issuer = SingleLineCharField(label=_("Issuer"), max_length=200, required=False)
    issuer_kind = forms.ChoiceField(
        label=_("Issuer type"), choices=[("", "---------"), *IntelReport.IssuerKind.choices], required=False
    )
    document_number = SingleLineCharField(
        label=_("Document number"), max_length=100, required=False, help_text=_("文号")
    )
    effective_on = BoundedDateField(label=_("Effective date"), required=False, years_back=30, years_ahead=5)
    impact_assessment = forms.CharField(
        label=_("Impact assessment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=ATTACHMENT_HELP)
    attachment_level = forms.TypedChoiceField(
        label=_("Attachment level"),
        choices=[("", _("Same as the report")), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, user, report: IntelReport | None = None, **kwargs):
        self.report = report
        self._user = user
        if report is not None:
            kwargs.setdefault("initial", self.initial_for(report))
        super().__init__(*args, **kwargs)
        self.fields["competitors"].queryset = Competitor.objects.filter(is_active=True)
        self.fields["products"].queryset = CompetitorProduct.objects.filter(is_active=True).select_related("competitor")
        self.fields["products"].label_from_instance = lambda product: f"{product.competitor} · {product.name}"
        self.fields["our_products"].queryset = Product.objects.all()
        self.fields["provinces"].queryset = Province.objects.all()
        # Archived plans take no new reports, but a report already filed under one keeps it: the
        # plan stays among this report's choices, or saving the form would silently drop the link.
        offered = Q(is_archived=False)
        if report is not None and report.research_plan_id is not None:
            offered |= Q(pk=report.research_plan_id)
        self.fields["research_plan"].queryset = ResearchPlan.objects.visible_to(user).filter(offered)
        self.fields["research_plan"].label_from_instance = _plan_label
        policy = Fieldset(
            _("Policy or announcement"),
            "issuer",
            "issuer_kind",
            "document_number",
            "effective_on",
            "impact_assessment",
            css_class="intel-policy-fields",
        )
        main = ["kind", "title", "body", "source", "reported_on"]
        related = Fieldset(
            _("Related"), "competitors", "products", "our_products", "provinces", "tags", "research_plan"
        )
        if report is None:
            layout = Layout(
                *main,
                "confidentiality",
                related,
                policy,
                Fieldset(_("Attachment"), "attachment", "attachment_level"),
            )
        else:
            # The level changes only through the audited level page; files through "Add an attachment".
            for name in ("confidentiality", "attachment", "attachment_level"):
                del self.fields[name]
            layout = Layout(*main, related, policy)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = layout

    @staticmethod
    def initial_for(report: IntelReport) -> dict:
        return {
            "kind": report.kind,
            "title": report.title,
            "body": report.body,
            "source": report.source,
            "reported_on": report.reported_on,
            "competitors": list(report.competitors.all()),
            "products": list(report.products.all()),
            "our_products": list(report.our_products.all()),
            "provinces": list(report.provinces.all()),
            "tags": "、".join(tag.name for tag in report.tags.all()),
            "research_plan": report.research_plan_id,
            "issuer": report.issuer,
            "issuer_kind": report.issuer_kind,
            "document_number": report.document_number,
            "effective_on": report.effective_on,
            "impact_assessment": report.impact_assessment,
        }

    def clean_tags(self):
        names = tag_names_parse(self.cleaned_data.get("tags", ""))
        too_long = [name for name in names if len(name) > TAG_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                _("A tag has at most %(count)s characters: %(name)s"),
                code="tag_too_long",
                params={"count": TAG_MAX_LENGTH, "name": too_long[0]},
            )
        return names

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            _validate_upload(upload)
        return upload

    def clean_research_plan(self):
        plan = self.cleaned_data.get("research_plan")
        current_pk = self.report.research_plan_id if self.report is not None else None
        # A plan above the editor's clearance is not among the choices, so the form posts
        # nothing for it: keep the link rather than clear it (the editor never saw it).
        if (
            plan is None
            and current_pk is not None
            and not ResearchPlan.objects.visible_to(self._user).filter(pk=current_pk).exists()
        ):
            return ResearchPlan.objects.get(pk=current_pk)
        return plan

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == IntelReport.Kind.POLICY and not cleaned_data.get("issuer"):
            self.add_error(
                "issuer",
                ValidationError(_("Name the issuer of the policy or announcement."), code="issuer_required"),
            )
        return cleaned_data


def _validate_upload(upload) -> None:
    try:
        intel_attachment_validate(upload)
    except ValidationError as exc:
        # The service names its field "attachment"; a form field raises the bare messages.
        raise ValidationError([error for errors in exc.error_dict.values() for error in errors]) from None


class AttachmentForm(forms.Form):
    attachment = forms.FileField(label=_("Attachment"), help_text=ATTACHMENT_HELP)
    confidentiality = forms.TypedChoiceField(
        label=_("Attachment level"),
        choices=[("", _("Same as the report")), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            _validate_upload(upload)
        return upload


class LevelChangeForm(forms.Form):
    new_level = forms.TypedChoiceField(label=_("New level"), choices=LEVEL_CHOICES, coerce=int)
    reason = SingleLineCharField(label=_("Reason for the change"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
