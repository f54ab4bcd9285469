"""Django admin for market intelligence (R-INTEL-03 holds here too).

Every classified model goes through :class:`IntelClassifiedAdmin`: lists, counts, search, change and
history URLs only reach rows within the user's clearance (a superuser is not exempt), the level
field offers only levels up to the editor's clearance, a level change is saved through
``classified_level_change`` (a ``core.LevelChange`` row) on the locked row, and opening a
confidential item logs the read. Nothing is deleted here: items are archived.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core import choices
from apps.core.admin import ClassifiedAdminMixin
from apps.core.models import ClassifiedModel, ConfidentialityLevel
from apps.core.services import classified_level_change

from . import alerts, search
from .filters.reports import tags_offered
from .models import (
    Battlecard,
    BattlecardVersion,
    Competitor,
    CompetitorProduct,
    DigestSent,
    Follow,
    IntelAttachment,
    IntelReport,
    PriceObservation,
    ProductSpec,
    Province,
    ResearchPlan,
    Tag,
)


class ClassifiedAdminForm(forms.ModelForm):
    """The model's fields plus the reason recorded with a level change."""

    level_change_reason = forms.CharField(
        label=_("Reason for a level change"),
        max_length=200,
        required=False,
        help_text=_("Recorded with the change when the confidentiality level is changed."),
    )


class NoDeleteAdmin(admin.ModelAdmin):
    """Nothing is deleted from the intelligence app; models with a flag are archived instead."""

    # "is_archived" (set to True) or "is_active" (set to False); None: no archive action.
    archive_field: str | None = None

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if self.archive_field is None:
            actions.pop("archive_selected", None)
        return actions

    @admin.action(description=_("Archive the selected items"), permissions=["change"])
    def archive_selected(self, request, queryset):
        value = self.archive_field == "is_archived"
        count = queryset.exclude(**{self.archive_field: value}).update(**{self.archive_field: value})
        choices.models_changed(queryset.model)  # an update sends no signal; filter options may change
        self.message_user(request, _("Archived: %(count)s") % {"count": count})

    actions = ["archive_selected"]


class IntelClassifiedAdmin(ClassifiedAdminMixin, NoDeleteAdmin):
    form = ClassifiedAdminForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A dropdown of classified rows must not name those above the user's clearance.
        if issubclass(db_field.related_model, ClassifiedModel):
            kwargs["queryset"] = db_field.related_model.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # The admin's change view runs in a transaction: hold the row, keep the stored level, save
        # the other fields, then change the level through the audited service.
        stored = self.model._default_manager.select_for_update().get(pk=obj.pk)
        new_level = obj.confidentiality
        obj.confidentiality = stored.confidentiality
        super().save_model(request, obj, form, change)
        classified_level_change(
            user=request.user,
            obj=obj,
            new_level=new_level,
            reason=form.cleaned_data.get("level_change_reason", ""),
        )


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_en", "sort_order"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Tag)
class TagAdmin(NoDeleteAdmin):
    list_display = ["name"]
    search_fields = ["name"]

    def get_queryset(self, request):
        # Tags are made from report text: one used only on reports above the user's clearance names
        # a secret subject. Unused tags (just added here) stay listed.
        return admin_tags(request.user, super().get_queryset(request))


def admin_tags(user, queryset=None):
    """Tags used on a report ``user`` may see (archived too: editing one keeps its tags), or on none."""
    queryset = Tag.objects.all() if queryset is None else queryset
    visible = IntelReport.objects.visible_to(user).filter(tags=OuterRef("pk"))
    used = IntelReport.objects.filter(tags=OuterRef("pk"))
    return queryset.filter(Exists(visible) | ~Exists(used))


class VisibleTagListFilter(admin.RelatedFieldListFilter):
    """The report list's tag filter names only tags used on a live report within the user's clearance."""

    def field_choices(self, field, request, model_admin):
        return [(tag.pk, str(tag)) for tag in tags_offered(user=request.user)]


@admin.register(Competitor)
class CompetitorAdmin(NoDeleteAdmin):
    archive_field = "is_active"
    list_display = ["name", "short_name", "headquarters", "is_active", "updated_at"]
    list_filter = ["is_active", "strong_provinces", "updated_at"]
    search_fields = ["name", "short_name", "headquarters", "notes"]
    filter_horizontal = ["strong_provinces"]


class ProductSpecInline(admin.TabularInline):
    model = ProductSpec
    extra = 1
    can_delete = False
    fields = ["key", "value", "sort_order"]


@admin.register(CompetitorProduct)
class CompetitorProductAdmin(NoDeleteAdmin):
    archive_field = "is_active"
    list_display = [
        "name",
        "competitor",
        "methodology",
        "throughput_per_hour",
        "registration_number",
        "our_product",
        "is_active",
    ]
    list_filter = ["methodology", "competitor", "our_product", "is_active"]
    list_select_related = ["competitor", "our_product"]
    search_fields = ["name", "model_number", "registration_number", "competitor__name", "competitor__short_name"]
    inlines = [ProductSpecInline]


@admin.register(PriceObservation)
class PriceObservationAdmin(IntelClassifiedAdmin):
    archive_field = "is_archived"
    list_display = [
        "observed_on",
        "competitor_product",
        "our_product",
        "price",
        "currency",
        "unit",
        "province",
        "city",
        "channel",
        "confidentiality",
        "is_archived",
    ]
    list_filter = ["confidentiality", "channel", "province", "observed_on", "is_archived"]
    list_select_related = ["competitor_product", "our_product", "province"]
    search_fields = ["competitor_product__name", "our_product__name", "city", "source", "institution"]
    date_hierarchy = "observed_on"
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        if not change:  # followers hear of a price filed here as of one filed on the pages
            pk = obj.pk
            transaction.on_commit(lambda: alerts.alerts_item_filed(model="price", pk=pk))


def attachment_link(attachment):
    try:
        url = reverse("intel:attachment_download", args=[attachment.pk])
    except NoReverseMatch:  # the reports area has not built the download view yet
        return attachment.original_name
    return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class IntelAttachmentInline(admin.TabularInline):
    """Attachments are listed, never linked to storage: the download view checks clearance and logs."""

    model = IntelAttachment
    extra = 0
    can_delete = False
    fields = ["download", "content_type", "size", "confidentiality", "uploaded_by", "uploaded_at", "is_archived"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file name"))
    def download(self, attachment):
        return attachment_link(attachment)


@admin.register(IntelReport)
class IntelReportAdmin(IntelClassifiedAdmin):
    archive_field = "is_archived"
    list_display = ["title", "kind", "reported_on", "source", "confidentiality", "author", "is_archived"]
    list_filter = [
        "confidentiality",
        "kind",
        "provinces",
        "competitors",
        ("tags", VisibleTagListFilter),
        "reported_on",
        "is_archived",
    ]
    list_select_related = ["author"]
    search_fields = ["title", "source", "issuer", "document_number"]
    date_hierarchy = "reported_on"
    readonly_fields = ["author"]
    filter_horizontal = ["competitors", "products", "our_products", "provinces", "tags"]
    inlines = [IntelAttachmentInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["queryset"] = admin_tags(request.user).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if change:
            # As on the report pages: an attachment is never less confidential than its report, each
            # raise audited (locked in primary-key order). save_related reindexes the report.
            below = (
                IntelAttachment.objects.select_for_update()
                .filter(report=obj, confidentiality__lt=obj.confidentiality)
                .order_by("pk")
            )
            reason = form.cleaned_data.get("level_change_reason", "")
            for attachment in below:
                classified_level_change(user=request.user, obj=attachment, new_level=obj.confidentiality, reason=reason)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search.report_reindex(report=form.instance)
        if not change:  # after the tags, competitors and provinces are saved: followers are found by them
            pk = form.instance.pk
            transaction.on_commit(lambda: alerts.alerts_item_filed(model="report", pk=pk))


@admin.register(ResearchPlan)
class ResearchPlanAdmin(IntelClassifiedAdmin):
    archive_field = "is_archived"
    list_display = ["title", "owner", "status", "starts_on", "due_on", "budget", "confidentiality", "is_archived"]
    list_filter = ["confidentiality", "status", "starts_on", "due_on", "is_archived"]
    list_select_related = ["owner"]
    search_fields = ["title", "objective", "owner__username", "owner__full_name"]
    date_hierarchy = "due_on"


class BattlecardVersionInline(admin.StackedInline):
    model = BattlecardVersion
    fk_name = "battlecard"
    extra = 0
    can_delete = False
    fields = ["number", "summary", "strengths", "weaknesses", "responses", "latest_moves", "edited_by", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("edited_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Battlecard)
class BattlecardAdmin(IntelClassifiedAdmin):
    list_display = ["competitor", "version", "reviewed_on", "reviewed_by", "confidentiality", "updated_at"]
    list_filter = ["confidentiality", "reviewed_on"]
    list_select_related = ["competitor", "current", "reviewed_by"]
    search_fields = ["competitor__name", "competitor__short_name"]
    readonly_fields = ["current", "reviewed_on", "reviewed_by"]
    inlines = [BattlecardVersionInline]

    @admin.display(description=_("current version"), ordering="current__number")
    def version(self, card):
        return card.current.number if card.current else "-"


@admin.register(ProductSpec)
class ProductSpecAdmin(NoDeleteAdmin):
    list_display = ["product", "key", "value", "sort_order"]
    list_select_related = ["product"]
    search_fields = ["key", "value", "product__name"]


class IntelAttachmentAdminForm(ClassifiedAdminForm):
    def clean(self):
        cleaned_data = super().clean()
        level = cleaned_data.get("confidentiality")
        report = self.instance.report if self.instance.report_id else None
        if level is not None and report is not None and int(level) < report.confidentiality:
            self.add_error(
                "confidentiality",
                forms.ValidationError(
                    _("An attachment's level cannot be below its report's (%(level)s)."),
                    code="attachment_level_below_report",
                    params={"level": ConfidentialityLevel(report.confidentiality).label},
                ),
            )
        return cleaned_data


@admin.register(IntelAttachment)
class IntelAttachmentAdmin(IntelClassifiedAdmin):
    """Attachments arrive through the report pages; here only their level and archive flag change."""

    form = IntelAttachmentAdminForm
    archive_field = "is_archived"
    list_display = ["original_name", "report", "content_type", "size", "confidentiality", "uploaded_at", "is_archived"]
    list_filter = ["confidentiality", "content_type", "uploaded_at", "is_archived"]
    list_select_related = ["report", "uploaded_by"]
    search_fields = ["original_name", "report__title"]
    fields = [
        "download",
        "report",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "confidentiality",
        "level_change_reason",
        "is_archived",
    ]
    readonly_fields = ["download", "report", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # An attachment is reached only through a report within the user's clearance too.
        return super().get_queryset(request).filter(report__in=IntelReport.objects.visible_to(request.user))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search.report_reindex(report=obj.report)

    @admin.action(description=_("Archive the selected items"), permissions=["change"])
    def archive_selected(self, request, queryset):
        report_ids = set(queryset.values_list("report_id", flat=True))
        super().archive_selected(request, queryset)
        # Archived attachment text leaves the search.
        search.reports_reindex(IntelReport.objects.filter(pk__in=report_ids))

    @admin.display(description=_("file name"))
    def download(self, attachment):
        return attachment_link(attachment)


@admin.register(BattlecardVersion)
class BattlecardVersionAdmin(ReadOnlyAdmin):
    """Versions carry their battlecard's level: only those of cards within the user's clearance."""

    list_display = ["battlecard", "number", "summary", "edited_by", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["battlecard__competitor", "edited_by"]
    search_fields = ["battlecard__competitor__name", "summary"]

    def get_queryset(self, request):
        visible = Battlecard.objects.visible_to(request.user)
        return super().get_queryset(request).filter(battlecard__in=visible)


@admin.register(Follow)
class FollowAdmin(NoDeleteAdmin):
    list_display = ["user", "target", "competitor", "product", "tag", "province", "created_at"]
    list_filter = ["target", "created_at"]
    list_select_related = ["user", "competitor", "product", "tag", "province"]
    search_fields = ["user__username", "user__full_name"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["user", "week_start", "item_count", "sent_at"]
    list_filter = ["week_start"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name"]
    date_hierarchy = "week_start"
