"""Admin curation of issuing authorities and policy documents (key provisions inline)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from policies.models import Authority, KeyProvision, PolicyDocument
from portal.admin import EditorialAdmin, ShowsEveryField, TranslatedEditorialAdmin


@admin.register(Authority)
class AuthorityAdmin(TranslatedEditorialAdmin):
    list_display = ["name", "abbreviation", "jurisdiction", "level", "is_regulator", "status"]
    list_filter = ["status", "is_regulator", "jurisdiction", "level"]
    search_fields = ["name_en", "name_zh_hans", "abbreviation_en", "slug"]
    autocomplete_fields = ["references"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "abbreviation", "jurisdiction", "level", "is_regulator", "website", "description",
                           "references"]}),
        EditorialAdmin.editorial_fieldset,
    ]


class KeyProvisionInline(ShowsEveryField, TranslationStackedInline):
    model = KeyProvision
    fields = ["position", "heading", "text"]
    extra = 0


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(TranslatedEditorialAdmin):
    list_display = ["title", "doc_type", "legal_status", "issued_on", "status"]
    list_filter = ["status", "doc_type", "legal_status", "authorities__jurisdiction"]
    search_fields = ["title_en", "title_zh_hans", "title_original", "document_number", "slug"]
    autocomplete_fields = ["authorities", "supersedes", "categories", "therapies", "references"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "issued_on"
    inlines = [KeyProvisionInline]
    fieldsets = [
        (None, {"fields": ["title", "title_original", "document_number", "authorities", "doc_type", "legal_status"]}),
        (_("Dates"), {"fields": ["issued_on", "issued_on_precision", "effective_on", "effective_on_precision"]}),
        (_("Text"), {"fields": ["summary", "body", "source_url"]}),
        (_("Links"), {"fields": ["supersedes", "categories", "therapies", "references"]}),
        EditorialAdmin.editorial_fieldset,
    ]
