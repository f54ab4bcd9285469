from django.contrib import admin

from apps.core.admin import ClassifiedAdminMixin

from .models import SampleDocument


@admin.register(SampleDocument)
class SampleDocumentAdmin(ClassifiedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "confidentiality"]
