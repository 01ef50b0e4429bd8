"""API shapes of categories, therapies, conditions, mechanisms and molecules.

Three shapes per resource: compact (related objects, `?brief=1`), list item, and detail
(also used for writes: related objects are given by slug, in the same places the reads
show them).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from portal.api.fields import (
    DerivedField,
    LinkedSlugField,
    MarkdownHtmlField,
    PartialDateField,
    VisibleLinksSerializer,
)
from portal.api.serializers import (
    CompactSerializer,
    EditorialSerializer,
    ReferenceCompactSerializer,
    detail_fields,
)
from therapies.choices import AGENCY_JURISDICTION
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

COMMON = EditorialSerializer.common_fields


# --- compact forms ----------------------------------------------------------------------
class CategoryCompactSerializer(CompactSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = TherapyCategory
        basename = "category"


class TherapyCompactSerializer(CompactSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Therapy
        basename = "therapy"


class ConditionCompactSerializer(CompactSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Condition
        basename = "condition"


class MechanismCompactSerializer(CompactSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Mechanism
        basename = "mechanism"


class MoleculeCompactSerializer(CompactSerializer):
    symbol = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Molecule
        basename = "molecule"


def references_field():
    return LinkedSlugField(ReferenceCompactSerializer, many=True, required=False)


def unique_links(links: list[dict], key: str) -> list[dict]:
    """Refuse the same related object twice in one list of links (a 400, not a database error)."""
    seen = set()
    for link in links:
        if link[key].pk in seen:
            raise serializers.ValidationError(_("“%(slug)s” is listed twice.") % {"slug": link[key].slug})
        seen.add(link[key].pk)
    return links


def save_links(instance, manager_name: str, key: str, links: list[dict] | None) -> None:
    """Make `instance`'s link rows match `links`, keeping each row's other-language text."""
    if links is None:
        return
    manager = getattr(instance, manager_name)
    existing = {getattr(link, f"{key}_id"): link for link in manager.all()}
    for position, item in enumerate(links):
        target = item[key]
        link = existing.pop(target.pk, None) or manager.model(**{manager.field.name: instance, key: target})
        if "role" in item:
            link.role = item["role"]
        link.position = position
        link.save()
    manager.filter(pk__in=[link.pk for link in existing.values()]).delete()


# --- categories -------------------------------------------------------------------------
class CategoryListSerializer(EditorialSerializer):
    parent = LinkedSlugField(CategoryCompactSerializer, allow_null=True, required=False)

    class Meta:
        model = TherapyCategory
        basename = "category"
        fields = ("slug", "url", "name", "parent", "position", "mesh_id", *COMMON)


class CategorySerializer(CategoryListSerializer):
    description_html = MarkdownHtmlField("description")
    children = LinkedSlugField(CategoryCompactSerializer, many=True, read_only=True)
    therapies = LinkedSlugField(TherapyCompactSerializer, many=True, read_only=True)
    references = references_field()

    class Meta(CategoryListSerializer.Meta):
        fields = detail_fields(
            CategoryListSerializer, "description", "description_html", "children", "therapies", "references")


# --- therapies --------------------------------------------------------------------------
class ApprovalSerializer(serializers.ModelSerializer):
    """A regulator's decision, its date cut to the precision the source gives."""

    jurisdiction = DerivedField(AGENCY_JURISDICTION.__getitem__, "agency")
    date = PartialDateField("decided_on", read_only=True)
    date_precision = serializers.CharField(source="decided_on_precision", read_only=True)
    indication = LinkedSlugField(ConditionCompactSerializer, read_only=True, allow_null=True)
    withdrawn_on = PartialDateField("withdrawn_on", read_only=True)
    reference = LinkedSlugField(ReferenceCompactSerializer, read_only=True, allow_null=True)

    class Meta:
        model = Approval
        fields = (
            "agency", "jurisdiction", "date", "date_precision", "approval_type", "status", "indication",
            "indication_text", "withdrawn_on", "withdrawn_on_precision", "reference",
        )
        read_only_fields = fields


class TherapyMechanismSerializer(serializers.ModelSerializer):
    mechanism = LinkedSlugField(MechanismCompactSerializer)
    role = serializers.CharField(required=False, allow_blank=True, max_length=500)

    class Meta:
        model = TherapyMechanism
        fields = ("mechanism", "role")
        list_serializer_class = VisibleLinksSerializer
        link_target = "mechanism"


class TherapyListSerializer(EditorialSerializer):
    category = LinkedSlugField(CategoryCompactSerializer, allow_null=True)
    modality = LinkedSlugField(TherapyCompactSerializer, allow_null=True, required=False)

    class Meta:
        model = Therapy
        basename = "therapy"
        fields = (
            "slug", "url", "name", "kind", "stage", "cell_source", "category", "modality", "generic_name",
            "developer", *COMMON,
        )


class TherapySerializer(TherapyListSerializer):
    body_html = MarkdownHtmlField("body")
    approvals = ApprovalSerializer(many=True, read_only=True)
    mechanisms = TherapyMechanismSerializer(source="mechanism_links", many=True, required=False)
    conditions = LinkedSlugField(ConditionCompactSerializer, many=True, required=False)
    target_molecules = LinkedSlugField(MoleculeCompactSerializer, many=True, required=False)
    references = references_field()
    nested_fields = ("mechanism_links",)

    class Meta(TherapyListSerializer.Meta):
        fields = detail_fields(
            TherapyListSerializer, "cell_type", "summary", "body", "body_html", "approvals", "mechanisms",
            "conditions", "target_molecules", "references", "last_reviewed_on",
        )

    def validate_mechanisms(self, links):
        return unique_links(links, "mechanism")

    def save_nested(self, instance, data):
        save_links(instance, "mechanism_links", "mechanism", data.get("mechanism_links"))


# --- conditions -------------------------------------------------------------------------
class ConditionListSerializer(EditorialSerializer):
    class Meta:
        model = Condition
        basename = "condition"
        fields = ("slug", "url", "name", "icd10", "icd10_cm", "mesh_id", *COMMON)


class ConditionSerializer(ConditionListSerializer):
    description_html = MarkdownHtmlField("description")
    therapies = LinkedSlugField(TherapyCompactSerializer, many=True, read_only=True)
    references = references_field()

    class Meta(ConditionListSerializer.Meta):
        fields = detail_fields(ConditionListSerializer, "description", "description_html", "therapies", "references")


# --- mechanisms -------------------------------------------------------------------------
class MechanismMoleculeSerializer(serializers.ModelSerializer):
    molecule = LinkedSlugField(MoleculeCompactSerializer)
    role = serializers.CharField(required=False, allow_blank=True, max_length=500)

    class Meta:
        model = MechanismMolecule
        fields = ("molecule", "role")
        list_serializer_class = VisibleLinksSerializer
        link_target = "molecule"


class MechanismListSerializer(EditorialSerializer):
    class Meta:
        model = Mechanism
        basename = "mechanism"
        fields = ("slug", "url", "name", "effect", "mesh_id", *COMMON)


class MechanismSerializer(MechanismListSerializer):
    body_html = MarkdownHtmlField("body")
    molecules = MechanismMoleculeSerializer(source="molecule_links", many=True, required=False)
    therapies = LinkedSlugField(TherapyCompactSerializer, many=True, read_only=True)
    references = references_field()
    nested_fields = ("molecule_links",)

    class Meta(MechanismListSerializer.Meta):
        fields = detail_fields(
            MechanismListSerializer, "summary", "body", "body_html", "molecules", "therapies", "references")

    def validate_molecules(self, links):
        return unique_links(links, "molecule")

    def save_nested(self, instance, data):
        save_links(instance, "molecule_links", "molecule", data.get("molecule_links"))


# --- molecules --------------------------------------------------------------------------
class MoleculeListSerializer(EditorialSerializer):
    hgnc = serializers.CharField(source="hgnc_id", required=False, allow_blank=True, max_length=12)
    ncbi_gene = serializers.CharField(source="ncbi_gene_id", required=False, allow_blank=True, max_length=12)

    class Meta:
        model = Molecule
        basename = "molecule"
        fields = ("slug", "url", "symbol", "name", "kind", "aliases", "uniprot", "hgnc", "ncbi_gene", *COMMON)


class MoleculeSerializer(MoleculeListSerializer):
    description_html = MarkdownHtmlField("description")
    mechanisms = LinkedSlugField(MechanismCompactSerializer, many=True, read_only=True)
    therapies = LinkedSlugField(TherapyCompactSerializer, source="targeted_by", many=True, read_only=True)
    references = references_field()

    class Meta(MoleculeListSerializer.Meta):
        fields = detail_fields(
            MoleculeListSerializer, "description", "description_html", "mechanisms", "therapies", "references")
