"""One FilterSet per therapies model, for the API's lists (the therapy pages list without filters).

Every relation is filtered by slug, and only through objects the request's user may see.
"""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from portal.choices import Jurisdiction
from portal.filtersets import EditorialFilterSet, RelatedSlugFilter, ordering_filter, request_user, translated
from therapies.choices import (
    ApprovalStatus,
    CellSource,
    DevelopmentStage,
    MechanismEffect,
    MoleculeKind,
    Pathway,
    TherapyKind,
)
from therapies.models import (
    Approval,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
    regulator_model,
)

Regulator = regulator_model()


class SubtreeFilter(filters.CharFilter):
    """Rows whose `field` is the item of the tree `model` with this slug or an item below it,
    among those the user may see: a category with its sub-categories, a condition with the
    narrower ones."""

    def __init__(self, *, model, field: str, **kwargs):
        super().__init__(**kwargs)
        self.tree_model, self.tree_field = model, field

    def filter(self, qs, value):
        if value in filters.constants.EMPTY_VALUES:
            return qs
        visible = self.tree_model.objects.visible_to(request_user(self.parent))
        root = visible.filter(slug=value).first()
        if root is None:
            return qs.none()
        ids = visible.filter(pk__in=self.tree_model.objects.descendant_ids(root)).values("pk")
        return qs.filter(pk__in=qs.model._base_manager.filter(**{f"{self.tree_field}__in": ids}).values("pk"))


def category_tree_filter(field: str) -> SubtreeFilter:
    return SubtreeFilter(model=TherapyCategory, field=field, help_text=_("Category slug; sub-categories are included."))


class ParentFilter(filters.CharFilter):
    """`parent=<slug>` for the children of a category, `parent=` (empty) for the roots."""

    def filter(self, qs, value):
        if value in filters.constants.EMPTY_VALUES:
            if self.field_name in self.parent.data:
                return qs.filter(parent=None)
            return qs
        parents = TherapyCategory.objects.visible_to(request_user(self.parent)).filter(slug=value)
        return qs.filter(parent__in=parents)


class TherapyCategoryFilterSet(EditorialFilterSet):
    search_fields = (*translated("name", "description"), "slug")

    parent = ParentFilter(help_text=_("Slug of the parent category; empty for the top-level categories."))
    ordering = ordering_filter("position", "name", "updated_at")

    class Meta:
        model = TherapyCategory
        fields = ["status"]


class TherapyFilterSet(EditorialFilterSet):
    search_fields = (*translated("name", "generic_name", "summary", "developer", "cell_type"), "other_names__name",
                     "slug")

    category = category_tree_filter("category")
    kind = filters.ChoiceFilter(choices=TherapyKind.choices, help_text=_("`product` or `modality`."))
    stage = filters.ChoiceFilter(choices=DevelopmentStage.choices, help_text=_("Development stage."))
    cell_source = filters.ChoiceFilter(choices=CellSource.choices, help_text=_("Where the cells come from."))
    condition = RelatedSlugFilter(
        model=Condition, rows=lambda conditions: Therapy.conditions.through.objects.filter(
            condition__in=conditions).values("therapy_id"),
    )
    mechanism = RelatedSlugFilter(
        model=Mechanism,
        rows=lambda mechanisms: TherapyMechanism.objects.filter(mechanism__in=mechanisms).values("therapy_id"),
    )
    molecule = RelatedSlugFilter(
        model=Molecule, help_text=_("Slug of a target molecule."),
        rows=lambda molecules: Therapy.target_molecules.through.objects.filter(
            molecule__in=molecules).values("therapy_id"),
    )
    agency = RelatedSlugFilter(
        model=Regulator, help_text=_("Slug of a regulator (fda, ema, nmpa, ...) that decided on it."),
        rows=lambda regulators: Approval.objects.filter(regulator__in=regulators).values("therapy_id"),
    )
    approved_after = filters.DateFilter(
        method="filter_approved_after", help_text=_("Has an approval on or after this date (YYYY-MM-DD).")
    )
    approved_before = filters.DateFilter(
        method="filter_approved_before", help_text=_("Has an approval on or before this date (YYYY-MM-DD).")
    )
    ordering = ordering_filter("name", "stage", "updated_at")

    class Meta:
        model = Therapy
        fields = ["status"]

    def filter_approved_after(self, queryset, name, value):
        return queryset.filter(pk__in=Approval.objects.filter(decided_on__gte=value).values("therapy_id"))

    def filter_approved_before(self, queryset, name, value):
        return queryset.filter(pk__in=Approval.objects.filter(decided_on__lte=value).values("therapy_id"))


class ApprovalFilterSet(EditorialFilterSet):
    """Approvals: one regulator's decision for one indication. `status` here is the
    regulatory status (derived from the events), not an editorial one: an approval is
    public exactly when its therapy is."""

    search_fields = (*translated("indication_text"), "therapy__name_en", "therapy__name_zh_hans", "slug")

    status = filters.ChoiceFilter(choices=ApprovalStatus.choices, help_text=_("Current regulatory status."))
    therapy = RelatedSlugFilter(
        model=Therapy, rows=lambda therapies: Approval.objects.filter(therapy__in=therapies).values("pk"),
    )
    regulator = RelatedSlugFilter(
        model=Regulator, help_text=_("Slug of the regulator (fda, ema, nmpa, pmda, ...)."),
        rows=lambda regulators: Approval.objects.filter(regulator__in=regulators).values("pk"),
    )
    jurisdiction = filters.ChoiceFilter(
        field_name="regulator__jurisdiction", choices=Jurisdiction.choices, help_text=_("ISO 3166 code or EU."),
    )
    condition = SubtreeFilter(model=Condition, field="condition",
                              help_text=_("Condition slug; narrower conditions are included."))
    pathway = filters.ChoiceFilter(choices=Pathway.choices, help_text=_("Regulatory pathway."))
    decided_after = filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", help_text=_("Decided on or after this date (YYYY-MM-DD)."),
    )
    decided_before = filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", help_text=_("Decided on or before this date (YYYY-MM-DD)."),
    )
    ordering = ordering_filter("decided_on")

    class Meta:
        model = Approval
        fields = []


class ConditionFilterSet(EditorialFilterSet):
    search_fields = (*translated("name", "description"), "icd10", "icd10_cm", "mesh_id", "slug")

    parent = RelatedSlugFilter(
        model=Condition, help_text=_("Slug of the broader condition: its direct children."),
        rows=lambda parents: Condition.objects.filter(parent__in=parents).values("pk"),
    )
    therapy = RelatedSlugFilter(
        model=Therapy,
        rows=lambda therapies: Therapy.conditions.through.objects.filter(
            therapy__in=therapies).values("condition_id"),
    )
    ordering = ordering_filter("name", "icd10", "updated_at")

    class Meta:
        model = Condition
        fields = ["status"]


class MechanismFilterSet(EditorialFilterSet):
    search_fields = (*translated("name", "summary", "body"), "mesh_id", "slug")

    effect = filters.ChoiceFilter(choices=MechanismEffect.choices, help_text=_("`therapeutic` or `adverse`."))
    therapy = RelatedSlugFilter(
        model=Therapy,
        rows=lambda therapies: TherapyMechanism.objects.filter(therapy__in=therapies).values("mechanism_id"),
    )
    molecule = RelatedSlugFilter(
        model=Molecule,
        rows=lambda molecules: MechanismMolecule.objects.filter(molecule__in=molecules).values("mechanism_id"),
    )
    ordering = ordering_filter("name", "updated_at")

    class Meta:
        model = Mechanism
        fields = ["status"]


class MoleculeFilterSet(EditorialFilterSet):
    search_fields = ("symbol", *translated("name"), "aliases", "uniprot", "hgnc_id", "ncbi_gene_id", "slug")

    kind = filters.ChoiceFilter(choices=MoleculeKind.choices, help_text=_("Kind of molecule."))
    therapy = RelatedSlugFilter(
        model=Therapy, help_text=_("Slug of a therapy that targets the molecule."),
        rows=lambda therapies: Therapy.target_molecules.through.objects.filter(
            therapy__in=therapies).values("molecule_id"),
    )
    mechanism = RelatedSlugFilter(
        model=Mechanism,
        rows=lambda mechanisms: MechanismMolecule.objects.filter(mechanism__in=mechanisms).values("molecule_id"),
    )
    ordering = ordering_filter("symbol", "name", "updated_at")

    class Meta:
        model = Molecule
        fields = ["status"]
