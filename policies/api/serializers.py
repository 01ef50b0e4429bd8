"""API shapes of authorities and policy documents: compact, list item, detail (also for writes).

`status` is the editorial workflow status like everywhere in the API; whether the document
is in force is `legal_status`.
"""

from __future__ import annotations

from rest_framework import serializers

from policies.models import Authority, KeyProvision, PolicyDocument
from portal.api.fields import DistinctValuesField, LinkedSlugField, MarkdownHtmlField, PartialDateField
from portal.api.serializers import (
    CompactSerializer,
    EditorialSerializer,
    ReferenceCompactSerializer,
    detail_fields,
)
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


class KeyProvisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyProvision
        fields = ("position", "heading", "text")
        read_only_fields = fields


class AuthorityListSerializer(EditorialSerializer):
    class Meta:
        model = Authority
        basename = "authority"
        fields = ("slug", "url", "name", "abbreviation", "jurisdiction", "level", "is_regulator", "website", *COMMON)


class AuthoritySerializer(AuthorityListSerializer):
    description_html = MarkdownHtmlField("description")
    documents = LinkedSlugField(PolicyCompactSerializer, many=True, read_only=True)
    references = LinkedSlugField(ReferenceCompactSerializer, many=True, required=False)

    class Meta(AuthorityListSerializer.Meta):
        fields = detail_fields(AuthorityListSerializer, "description", "description_html", "documents", "references")


class PolicyListSerializer(EditorialSerializer):
    authorities = LinkedSlugField(AuthorityCompactSerializer, many=True)
    # Where the visible issuing authorities sit, each once, sorted.
    jurisdictions = DistinctValuesField("authorities", "jurisdiction")
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


class PolicySerializer(PolicyListSerializer):
    body_html = MarkdownHtmlField("body")
    provisions = KeyProvisionSerializer(many=True, read_only=True)
    supersedes = LinkedSlugField(PolicyCompactSerializer, allow_null=True, required=False)
    superseded_by = LinkedSlugField(PolicyCompactSerializer, many=True, read_only=True)
    categories = LinkedSlugField(CategoryCompactSerializer, many=True, required=False)
    therapies = LinkedSlugField(TherapyCompactSerializer, many=True, required=False)
    references = LinkedSlugField(ReferenceCompactSerializer, many=True, required=False)

    class Meta(PolicyListSerializer.Meta):
        fields = detail_fields(
            PolicyListSerializer, "summary", "body", "body_html", "provisions", "source_url", "supersedes",
            "superseded_by", "categories", "therapies", "references",
        )
