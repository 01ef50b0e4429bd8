"""API shapes of authorities and policy documents: compact, list item, detail (also for writes).

`status` is the editorial workflow status like everywhere in the API; whether the document
is in force is `legal_status`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from policies.models import Authority, KeyProvision, PolicyDocument
from portal.api.fields import LinkedSlugField, request_user
from portal.api.serializers import CompactSerializer, EditorialSerializer, ReferenceCompactSerializer
from portal.dates import iso_partial_date, parse_partial_date
from therapies.api.serializers import CategoryCompactSerializer, TherapyCompactSerializer

COMMON = EditorialSerializer.common_fields


class AuthorityCompactSerializer(CompactSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Authority
        basename = "authority"


class PolicyCompactSerializer(CompactSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = PolicyDocument
        basename = "policy"


@extend_schema_field({
    "type": "string", "nullable": True, "example": "2021-09",
    "description": "ISO 8601 cut to its precision: 2017-08-30, 2021-09, 2021-Q3 (written only) or 2012.",
})
class PartialDateField(serializers.Field):
    """A date known to a day, month, quarter or year: "2021-09" reads and writes as such."""

    def __init__(self, date_field: str, **kwargs):
        self.date_field = date_field
        kwargs.update(source="*", required=False, allow_null=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return iso_partial_date(getattr(instance, self.date_field), getattr(instance, f"{self.date_field}_precision"))

    def to_internal_value(self, data):
        try:
            value, precision = parse_partial_date(str(data))
        except ValueError as error:
            raise serializers.ValidationError(_("Use a date like 2017-08-30, 2021-09, 2021-Q3 or 2015.")) from error
        return {self.date_field: value, f"{self.date_field}_precision": precision}

    def validate_empty_values(self, data):
        if data is None:
            # Clearing the date: source="*" merges this dict into the validated data.
            return True, {self.date_field: None}
        return super().validate_empty_values(data)


class KeyProvisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyProvision
        fields = ("position", "heading", "text")
        read_only_fields = fields


class AuthorityListSerializer(EditorialSerializer):
    class Meta:
        model = Authority
        basename = "authority"
        fields = ("slug", "url", "name", "abbreviation", "jurisdiction", "level", "website", *COMMON)


class AuthoritySerializer(AuthorityListSerializer):
    description_html = serializers.CharField(read_only=True)
    documents = LinkedSlugField(PolicyCompactSerializer, many=True, read_only=True)
    references = LinkedSlugField(ReferenceCompactSerializer, many=True, required=False)

    class Meta(AuthorityListSerializer.Meta):
        fields = (
            "slug", "url", "name", "abbreviation", "jurisdiction", "level", "website", "description",
            "description_html", "documents", "references", *COMMON,
        )


class PolicyListSerializer(EditorialSerializer):
    authorities = LinkedSlugField(AuthorityCompactSerializer, many=True)
    jurisdictions = serializers.SerializerMethodField()
    issued_on = PartialDateField("issued_on")
    issued_on_precision = serializers.CharField(read_only=True)
    effective_on = PartialDateField("effective_on")
    effective_on_precision = serializers.CharField(read_only=True)

    class Meta:
        model = PolicyDocument
        basename = "policy"
        fields = (
            "slug", "url", "title", "title_original", "document_number", "doc_type", "legal_status",
            "issued_on", "issued_on_precision", "effective_on", "effective_on_precision", "authorities",
            "jurisdictions", *COMMON,
        )

    @extend_schema_field({"type": "array", "items": {"type": "string"}, "readOnly": True})
    def get_jurisdictions(self, policy) -> list[str]:
        """Where the visible issuing authorities sit, each once, sorted."""
        user = request_user(self.context)
        return sorted({authority.jurisdiction for authority in policy.authorities.all()
                       if authority.is_visible_to(user)})


class PolicySerializer(PolicyListSerializer):
    body_html = serializers.CharField(read_only=True)
    provisions = KeyProvisionSerializer(many=True, read_only=True)
    supersedes = LinkedSlugField(PolicyCompactSerializer, allow_null=True, required=False)
    superseded_by = LinkedSlugField(PolicyCompactSerializer, many=True, read_only=True)
    categories = LinkedSlugField(CategoryCompactSerializer, many=True, required=False)
    therapies = LinkedSlugField(TherapyCompactSerializer, many=True, required=False)
    references = LinkedSlugField(ReferenceCompactSerializer, many=True, required=False)

    class Meta(PolicyListSerializer.Meta):
        fields = (
            "slug", "url", "title", "title_original", "document_number", "doc_type", "legal_status",
            "issued_on", "issued_on_precision", "effective_on", "effective_on_precision", "authorities",
            "jurisdictions", "summary", "body", "body_html", "provisions", "source_url", "supersedes",
            "superseded_by", "categories", "therapies", "references", *COMMON,
        )
