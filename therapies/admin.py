"""Admin curation of categories, therapies (with approvals and mechanisms inline) and the rest."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from portal.admin import EditorialAdmin, GuardedHistoryAdmin, ShowsEveryField, TranslatedEditorialAdmin
from therapies.models import (
    Approval,
    ApprovalEvent,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
    TherapyName,
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
    list_display = ["name", "parent", "icd10", "icd10_cm", "mesh_id", "status"]
    list_select_related = ["parent"]
    list_filter = ["status", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_en", "name_zh_hans", "icd10", "icd10_cm", "mesh_id", "slug"]
    autocomplete_fields = ["parent", "references"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "parent", "description", "references"]}),
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


class ApprovalInline(ShowsEveryField, TranslationStackedInline):
    """Stacked, so a row fits 1280 px; its events are edited on the approval's own page."""

    model = Approval
    fieldsets = [
        (None, {"fields": [("regulator", "pathway"), ("condition", "decided_on", "decided_on_precision"),
                           "indication_text", "reference", "internal_note", "slug"]}),
    ]
    autocomplete_fields = ["regulator", "condition", "reference"]
    show_change_link = True
    extra = 0


class TherapyMechanismInline(ShowsEveryField, TranslationStackedInline):
    """Stacked: the product's molecules and the role in two languages do not fit a table row at 1280 px."""

    model = TherapyMechanism
    fieldsets = [(None, {"fields": [("mechanism", "position"), "molecules", "role"]})]
    autocomplete_fields = ["mechanism", "molecules"]
    extra = 0


class TherapyNameInline(admin.TabularInline):
    model = TherapyName
    fields = ["name", "kind", "position"]
    extra = 0


class ApprovalEventInline(ShowsEveryField, TranslationStackedInline):
    model = ApprovalEvent
    fieldsets = [(None, {"fields": [("kind", "date", "date_precision", "position"), "details", "reference"]})]
    autocomplete_fields = ["reference"]
    extra = 0


class MissingConditionFilter(admin.SimpleListFilter):
    """Approvals naming no condition count on no condition page: a data problem to fix."""

    title = _("condition")
    parameter_name = "has_condition"

    def lookups(self, request, model_admin):
        return [("no", _("None linked (data problem)")), ("yes", _("Linked"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(condition=None)
        if self.value() == "yes":
            return queryset.exclude(condition=None)
        return queryset


@admin.register(Approval)
class ApprovalAdmin(ShowsEveryField, GuardedHistoryAdmin, TranslationAdmin):
    """One decision with its lifecycle events; its status follows from the events."""

    list_display = ["__str__", "therapy", "condition", "pathway", "status_label", "decided_on"]
    list_select_related = ["therapy", "regulator", "condition"]
    list_filter = ["regulator", "pathway", MissingConditionFilter]
    search_fields = ["therapy__name_en", "therapy__name_zh_hans", "slug", "indication_text_en"]
    autocomplete_fields = ["therapy", "regulator", "condition", "reference"]
    readonly_fields = ["status_label"]
    inlines = [ApprovalEventInline]
    fieldsets = [
        (None, {"fields": [("therapy", "regulator"), ("condition", "pathway"), "indication_text",
                           ("decided_on", "decided_on_precision"), "reference", "status_label"]}),
        (_("Editorial"), {"fields": ["slug", "internal_note"]}),
    ]

    @admin.display(description=_("status (from the events)"))
    def status_label(self, obj):
        status = getattr(obj, "status", None)
        return Approval.derived_choices["status"](status).label if status else "–"


@admin.register(Therapy)
class TherapyAdmin(TranslatedEditorialAdmin):
    list_display = ["name", "kind", "category", "stage", "cell_source", "status", "updated_at"]
    list_select_related = ["category"]
    list_filter = ["status", "kind", "stage", "cell_source", ("category", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_en", "name_zh_hans", "generic_name_en", "generic_name_zh_hans", "other_names__name",
                     "developer_en", "slug"]
    autocomplete_fields = ["category", "modality", "target_molecules", "conditions", "references"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ApprovalInline, TherapyMechanismInline, TherapyNameInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "category", "modality", "generic_name", "developer"]}),
        (_("Cells"), {"fields": ["cell_type", "cell_source", "stage"]}),
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Links"), {"fields": ["target_molecules", "conditions", "references"]}),
        EditorialAdmin.editorial_fieldset,
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.approvals.exists():
            readonly.append("stage")  # follows from the approvals
        return readonly
