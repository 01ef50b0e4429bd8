"""One FilterSet per policies model: the API's lists, and the policy list page through the same FilterSet.

A policy has two statuses: `status` is the editorial workflow (the public only sees
`published`), `legal_status` says whether the document is in force.
"""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from policies.choices import AuthorityLevel, DocumentType, LegalStatus
from policies.models import Authority, PolicyDocument
from portal.choices import Jurisdiction
from portal.filtersets import EditorialFilterSet, RelatedSlugFilter, ordering_filter, request_user, translated
from therapies.filtersets import category_tree_filter
from therapies.models import Therapy

Issuers = PolicyDocument.authorities.through


class AuthorityFilterSet(EditorialFilterSet):
    search_fields = (*translated("name", "abbreviation", "description"), "slug")

    jurisdiction = filters.ChoiceFilter(choices=Jurisdiction.choices, help_text=_("ISO 3166 code, EU or INT."))
    level = filters.ChoiceFilter(choices=AuthorityLevel.choices, help_text=_("Level of government."))
    is_regulator = filters.BooleanFilter(help_text=_("`true`: medicines regulators, which decide on approvals."))
    ordering = ordering_filter("name", "jurisdiction", "updated_at")

    class Meta:
        model = Authority
        fields = ["status"]


class PolicyDocumentFilterSet(EditorialFilterSet):
    search_fields = (*translated("title", "summary"), "title_original", "document_number", "slug")

    jurisdiction = filters.ChoiceFilter(
        choices=Jurisdiction.choices, method="filter_jurisdiction",
        help_text=_("Issued by an authority of this jurisdiction."),
    )
    authority = RelatedSlugFilter(
        model=Authority, rows=lambda authorities: Issuers.objects.filter(
            authority__in=authorities).values("policydocument_id"),
    )
    doc_type = filters.ChoiceFilter(choices=DocumentType.choices, help_text=_("Kind of document."))
    legal_status = filters.ChoiceFilter(
        choices=LegalStatus.choices, help_text=_("Whether the document is in force (not the editorial status).")
    )
    issued_after = filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", help_text=_("Issued on or after this date (YYYY-MM-DD).")
    )
    issued_before = filters.DateFilter(
        field_name="issued_on", lookup_expr="lte", help_text=_("Issued on or before this date (YYYY-MM-DD).")
    )
    category = category_tree_filter("categories")
    therapy = RelatedSlugFilter(
        model=Therapy, rows=lambda therapies: PolicyDocument.therapies.through.objects.filter(
            therapy__in=therapies).values("policydocument_id"),
    )
    ordering = ordering_filter("title", "issued_on", "effective_on", "updated_at")

    class Meta:
        model = PolicyDocument
        fields = ["status"]

    def filter_jurisdiction(self, queryset, name, value):
        authorities = Authority.objects.visible_to(request_user(self)).filter(jurisdiction=value)
        return queryset.filter(pk__in=Issuers.objects.filter(authority__in=authorities).values("policydocument_id"))
