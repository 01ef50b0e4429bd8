"""Read-side queries of the public site for policy documents and authorities.

Every function starts from `published()`; related authorities, categories and therapies
come through `Prefetch` with published-only querysets, in a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from policies.models import Authority, PolicyDocument
from portal.choices import EditorialStatus, Jurisdiction
from portal.models import Reference
from portal.page_cache import cached_for_generation
from therapies.models import Therapy, TherapyCategory

# The model's ordering, which the policy_list_order index serves.
NEWEST_FIRST = (F("issued_on").desc(nulls_last=True), "title_en", "id")


def policy_cards(queryset: QuerySet[PolicyDocument]) -> QuerySet[PolicyDocument]:
    """Policies for lists, with their published authorities (one extra query)."""
    return queryset.prefetch_related(
        Prefetch("authorities", queryset=Authority.objects.published(), to_attr="published_authorities")
    )


def published_policies() -> QuerySet[PolicyDocument]:
    return policy_cards(PolicyDocument.objects.published()).order_by(*NEWEST_FIRST)


def filter_policies(*, jurisdiction: str = "", authority: str = "", doc_type: str = "",
                    legal_status: str = "", year: int | None = None) -> QuerySet[PolicyDocument]:
    """Published policies narrowed by the facets; empty values mean "any"."""
    queryset = PolicyDocument.objects.published()
    published_authorities = Authority.objects.published()
    if jurisdiction:
        queryset = queryset.filter(authorities__in=published_authorities.filter(jurisdiction=jurisdiction))
    if authority:
        queryset = queryset.filter(authorities__in=published_authorities.filter(slug=authority))
    if doc_type:
        queryset = queryset.filter(doc_type=doc_type)
    if legal_status:
        queryset = queryset.filter(legal_status=legal_status)
    if year:
        queryset = queryset.filter(issued_on__year=year)
    if jurisdiction or authority:
        queryset = queryset.distinct()
    return policy_cards(queryset).order_by(*NEWEST_FIRST)


def authority_choices() -> list[tuple[str, str]]:
    return [(a.slug, str(a)) for a in Authority.objects.published().only("slug", "name", "name_en",
                                                                          "name_zh_hans").order_by("name", "id")]


def policy_years() -> list[int]:
    """Years that have published policies, newest first; a scan of the whole table, so cached."""
    def compute():
        dates = PolicyDocument.objects.published().filter(issued_on__isnull=False).dates("issued_on", "year", "DESC")
        return [d.year for d in dates]

    return cached_for_generation(f"policy-years:{get_language()}", compute)


def policy_detail_queryset() -> QuerySet[PolicyDocument]:
    """The document, up to three documents it supersedes (one join each), its newer versions,
    authorities, provisions, categories, therapies and references: six queries."""
    return PolicyDocument.objects.select_related(
        "supersedes__supersedes__supersedes"
    ).prefetch_related(
        Prefetch("authorities", queryset=Authority.objects.published(), to_attr="published_authorities"),
        "provisions",
        Prefetch("superseded_by", queryset=PolicyDocument.objects.published().order_by(*NEWEST_FIRST),
                 to_attr="published_superseded_by"),
        Prefetch("categories", queryset=TherapyCategory.objects.published(), to_attr="published_categories"),
        Prefetch("therapies", queryset=Therapy.objects.published(), to_attr="published_therapies"),
        Prefetch("references", queryset=Reference.objects.published(), to_attr="published_references"),
    )


def supersedes_chain(policy: PolicyDocument) -> list[PolicyDocument]:
    """Older documents this one replaced, newest first, stopping at the first unpublished one."""
    chain, older = [], policy.supersedes if policy.supersedes_id else None
    while older is not None and len(chain) < 3 and older.is_published:
        chain.append(older)
        older = older.supersedes if older.supersedes_id and "supersedes" in older._state.fields_cache else None
    return chain


def authority_detail_queryset() -> QuerySet[Authority]:
    return Authority.objects.prefetch_related(
        Prefetch("references", queryset=Reference.objects.published(), to_attr="published_references"),
    )


def policies_of_authority(authority: Authority) -> QuerySet[PolicyDocument]:
    return policy_cards(PolicyDocument.objects.published().filter(authorities=authority)).order_by(*NEWEST_FIRST)


def policies_by_jurisdiction() -> list[tuple[str, str, int]]:
    """(code, label, published documents) for every jurisdiction with at least one."""
    counts = dict(
        Authority.objects.published().values_list("jurisdiction")
        .annotate(n=Count("documents", filter=Q(documents__status=EditorialStatus.PUBLISHED), distinct=True)).order_by()
    )
    return [(code, label, counts[code]) for code, label in Jurisdiction.choices if counts.get(code)]


def latest_policies(limit: int = 6) -> list[PolicyDocument]:
    """Title and date only, so no authorities are loaded (the home page stays at one query)."""
    return list(PolicyDocument.objects.published().order_by(*NEWEST_FIRST)[:limit])
