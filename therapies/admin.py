"""Admin curation of categories, therapies (with approvals and mechanisms inline) and the rest."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from portal.admin import EditorialAdmin, ShowsEveryField, TranslatedEditorialAdmin
from therapies.models import (
    Approval,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
)


@admin.register(TherapyCategory)
class TherapyCategoryAdmin(TranslatedEditorialAdmin):
    list_display = ["name", "parent", "position", "status", "updated_at"]
    list_select_related = ["parent"]
    list_filter = ["status", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_en", "name_zh_hans", "slug"]
    autocomplete_fields = ["parent", "references"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "parent", "position", "description", "mesh_id", "references"]}),
        EditorialAdmin.editorial_fieldset,
    ]


@admin.register(Molecule)
class MoleculeAdmin(TranslatedEditorialAdmin):
    list_display = ["symbol", "name", "kind", "uniprot", "hgnc_id", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["symbol", "aliases", "name_en", "name_zh_hans", "uniprot", "hgnc_id", "slug"]
    autocomplete_fields = ["references"]
    prepopulated_fields = {"slug": ["symbol"]}
    fieldsets = [
        (None, {"fields": ["symbol", "name", "aliases", "kind", "description", "references"]}),
        (_("Identifiers"), {"fields": ["uniprot", "hgnc_id", "ncbi_gene_id"]}),
        EditorialAdmin.editorial_fieldset,
    ]


@admin.register(Condition)
class ConditionAdmin(TranslatedEditorialAdmin):
    list_display = ["name", "icd10", "icd10_cm", "mesh_id", "status"]
    search_fields = ["name_en", "name_zh_hans", "icd10", "icd10_cm", "mesh_id", "slug"]
    autocomplete_fields = ["references"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "description", "references"]}),
        (_("Codes"), {"fields": ["icd10", "icd10_cm", "mesh_id"]}),
        EditorialAdmin.editorial_fieldset,
    ]


class MechanismMoleculeInline(ShowsEveryField, TranslationTabularInline):
    model = MechanismMolecule
    fields = ["molecule", "role", "position"]
    autocomplete_fields = ["molecule"]
    extra = 0


@admin.register(Mechanism)
class MechanismAdmin(TranslatedEditorialAdmin):
    list_display = ["name", "effect", "status", "updated_at"]
    list_filter = ["status", "effect"]
    search_fields = ["name_en", "name_zh_hans", "slug"]
    autocomplete_fields = ["references"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MechanismMoleculeInline]
    fieldsets = [
        (None, {"fields": ["name", "effect", "summary", "body", "mesh_id", "references"]}),
        EditorialAdmin.editorial_fieldset,
    ]


class ApprovalInline(ShowsEveryField, TranslationTabularInline):
    model = Approval
    fields = [
        "agency", "decided_on", "decided_on_precision", "approval_type", "indication", "indication_text",
        "status", "withdrawn_on", "withdrawn_on_precision", "reference",
    ]
    autocomplete_fields = ["indication", "reference"]
    extra = 0


class TherapyMechanismInline(ShowsEveryField, TranslationTabularInline):
    model = TherapyMechanism
    fields = ["mechanism", "role", "position"]
    autocomplete_fields = ["mechanism"]
    extra = 0


@admin.register(Therapy)
class TherapyAdmin(TranslatedEditorialAdmin):
    list_display = ["name", "kind", "category", "stage", "cell_source", "status", "updated_at"]
    list_select_related = ["category"]
    list_filter = ["status", "kind", "stage", "cell_source", ("category", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_en", "name_zh_hans", "generic_name", "developer_en", "slug"]
    autocomplete_fields = ["category", "modality", "target_molecules", "conditions", "references"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ApprovalInline, TherapyMechanismInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "category", "modality", "generic_name", "developer"]}),
        (_("Cells"), {"fields": ["cell_type", "cell_source", "stage"]}),
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Links"), {"fields": ["target_molecules", "conditions", "references", "last_reviewed_on"]}),
        EditorialAdmin.editorial_fieldset,
    ]
