"""API shapes of categories, therapies, conditions, mechanisms and molecules.

Three shapes per resource: compact (related objects, `?brief=1`), list item, and detail
(also used for writes: related objects are given by slug, in the same places the reads
show them).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from portal.api.fields import (
    AnnotatedChoiceField,
    CitedReferencesField,
    LinkedSlugField,
    MarkdownHtmlField,
    PartialDateField,
    RelatedValueField,
    VisibleLinksSerializer,
    VisibleRowsSerializer,
)
from portal.api.serializers import (
    CompactSerializer,
    EditorialSerializer,
    ReferenceCompactSerializer,
    RowSerializer,
    detail_fields,
    detail_url_field,
)
from therapies.choices import ApprovalStatus
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
    regulator_model,
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


class RegulatorCompactSerializer(CompactSerializer):
    """A regulator is an authority record (policies app): the same page lists its documents."""

    name = serializers.CharField(read_only=True)
    abbreviation = serializers.CharField(read_only=True)

    class Meta:
        model = regulator_model()
        basename = "authority"


def references_field():
    return LinkedSlugField(ReferenceCompactSerializer, many=True, required=False)


def unique_links(links: list[dict], key: str) -> list[dict]:
    """Refuse a link without its target, or the same related object twice in one list of
    links (a 400, not a KeyError or a database error). A PATCH is partial down to the link
    items, so DRF does not require the target there."""
    missing = {index: {key: [serializers.Field.default_error_messages["required"]]}
               for index, link in enumerate(links) if key not in link}
    if missing:  # keyed by position, as DRF reports the items of a list
        raise serializers.ValidationError(missing)
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
class ApprovalEventSerializer(serializers.ModelSerializer):
    """Something that happened to an approval, its date cut to its precision."""

    date = PartialDateField("date", read_only=True)
    reference = LinkedSlugField(ReferenceCompactSerializer, read_only=True, allow_null=True)

    class Meta:
        model = ApprovalEvent
        fields = ("kind", "date", "date_precision", "details", "reference")
        read_only_fields = fields


class ApprovalFields(serializers.ModelSerializer):
    """One regulator's decision for one indication, with its lifecycle; `status` follows
    from the events."""

    regulator = LinkedSlugField(RegulatorCompactSerializer, read_only=True)
    jurisdiction = RelatedValueField("regulator", "jurisdiction")
    condition = LinkedSlugField(ConditionCompactSerializer, read_only=True, allow_null=True)
    pathway = serializers.CharField(read_only=True)
    status = AnnotatedChoiceField(ApprovalStatus.choices, help_text="Derived from the events.")
    decided_on = PartialDateField("decided_on", read_only=True)
    events = ApprovalEventSerializer(many=True, read_only=True)
    references = CitedReferencesField(ReferenceCompactSerializer, "events")

    class Meta:
        model = Approval
        fields = (
            "slug", "regulator", "jurisdiction", "condition", "indication_text", "pathway", "status",
            "decided_on", "decided_on_precision", "events", "references",
        )
        read_only_fields = fields
        list_serializer_class = VisibleRowsSerializer


class ApprovalSummarySerializer(ApprovalFields):
    """An approval inside its therapy: the decision and its status; its events and references
    are on the approval's own resource (`url`)."""

    url = detail_url_field("approval")

    class Meta(ApprovalFields.Meta):
        fields = ("slug", "url", "regulator", "jurisdiction", "condition", "indication_text", "pathway", "status",
                  "decided_on", "decided_on_precision")


class ApprovalSerializer(ApprovalFields):
    """The `/approvals/` resource: the decision with its therapy and its own URL."""

    url = detail_url_field("approval")
    therapy = LinkedSlugField(TherapyCompactSerializer, read_only=True)

    class Meta(ApprovalFields.Meta):
        basename = "approval"
        fields = ("slug", "url", "therapy", *ApprovalFields.Meta.fields[1:])


class ApprovalCompactSerializer(CompactSerializer):
    class Meta:
        model = Approval
        basename = "approval"


class TherapyMechanismSerializer(RowSerializer):
    mechanism = LinkedSlugField(MechanismCompactSerializer)
    role = serializers.CharField(required=False, allow_blank=True, max_length=500)
    molecules = LinkedSlugField(MoleculeCompactSerializer, many=True, read_only=True,
                                help_text="This product's own molecules in the mechanism.")

    class Meta:
        model = TherapyMechanism
        fields = ("mechanism", "role", "molecules")
        list_serializer_class = VisibleLinksSerializer
        link_target = "mechanism"


class TherapyNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = TherapyName
        fields = ("name", "kind")
        read_only_fields = fields


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
    approvals = ApprovalSummarySerializer(many=True, read_only=True)
    other_names = TherapyNameSerializer(many=True, read_only=True)
    mechanisms = TherapyMechanismSerializer(source="mechanism_links", many=True, required=False)
    conditions = LinkedSlugField(ConditionCompactSerializer, many=True, required=False)
    target_molecules = LinkedSlugField(MoleculeCompactSerializer, many=True, required=False)
    references = references_field()
    nested_fields = ("mechanism_links",)

    class Meta(TherapyListSerializer.Meta):
        fields = detail_fields(
            TherapyListSerializer, "other_names", "cell_type", "summary", "body", "body_html", "approvals",
            "mechanisms", "conditions", "target_molecules", "references", "last_reviewed_on",
        )

    def validate_mechanisms(self, links):
        return unique_links(links, "mechanism")

    def save_nested(self, instance, data):
        save_links(instance, "mechanism_links", "mechanism", data.get("mechanism_links"))


# --- conditions -------------------------------------------------------------------------
class ConditionListSerializer(EditorialSerializer):
    parent = LinkedSlugField(ConditionCompactSerializer, allow_null=True, required=False)

    class Meta:
        model = Condition
        basename = "condition"
        fields = ("slug", "url", "name", "parent", "icd10", "icd10_cm", "mesh_id", *COMMON)


class ConditionSerializer(ConditionListSerializer):
    description_html = MarkdownHtmlField("description")
    children = LinkedSlugField(ConditionCompactSerializer, many=True, read_only=True)
    therapies = LinkedSlugField(TherapyCompactSerializer, many=True, read_only=True)
    approvals = ApprovalSerializer(
        many=True, read_only=True,
        help_text="Approvals naming this condition (/approvals/?condition= adds the narrower ones).")
    references = references_field()

    class Meta(ConditionListSerializer.Meta):
        fields = detail_fields(
            ConditionListSerializer, "description", "description_html", "children", "therapies", "approvals",
            "references")


# --- mechanisms -------------------------------------------------------------------------
class MechanismMoleculeSerializer(RowSerializer):
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
