"""Read-side queries of the public site for policy documents and authorities.

Every function starts from `published()`; related authorities, categories and therapies
come through `Prefetch` (or `load_links`) with published-only querysets, in a fixed number
of queries. Facet choices and the home page's figures are computed once per content
generation.
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from policies.models import Authority, PolicyDocument
from portal.choices import EditorialStatus, Jurisdiction
from portal.generation import cached_for_generation
from portal.models import Reference
from portal.selectors import Links, load_links
from therapies.models import Therapy, TherapyCategory

# The model's ordering, which the policy_list_order index serves.
NEWEST_FIRST = (F("issued_on").desc(nulls_last=True), "title_en", "id")


def policy_cards(queryset: QuerySet[PolicyDocument]) -> QuerySet[PolicyDocument]:
    """Policies for lists, with their published authorities (one extra query); no list shows
    the body, the longest column."""
    return queryset.defer("body").prefetch_related(
        Prefetch("authorities", queryset=Authority.objects.published(), to_attr="published_authorities")
    )


def published_policies() -> QuerySet[PolicyDocument]:
    return policy_cards(PolicyDocument.objects.published()).order_by(*NEWEST_FIRST)


def authority_choices() -> list[tuple[str, str]]:
    """(slug, name) of every published authority, by name in the page's language; cached."""
    def compute():
        return [(a.slug, str(a)) for a in Authority.objects.published().only("slug", "name").order_by("name", "id")]

    return cached_for_generation(f"authority-choices:{get_language()}", compute)


def policy_years() -> list[int]:
    """Years that have published policies, newest first; a scan of the whole table, so cached."""
    def compute():
        dates = PolicyDocument.objects.published().filter(issued_on__isnull=False).dates("issued_on", "year", "DESC")
        return [d.year for d in dates]

    return cached_for_generation(f"policy-years:{get_language()}", compute)


def policy_detail_queryset() -> QuerySet[PolicyDocument]:
    """The document with up to three documents it supersedes (one join each), then one query
    each for authorities, provisions, newer versions and references; `load_policy_links`
    adds categories and therapies."""
    return PolicyDocument.objects.select_related(
        "supersedes__supersedes__supersedes"
    ).prefetch_related(
        Prefetch("authorities", queryset=Authority.objects.published(), to_attr="published_authorities"),
        "provisions",
        Prefetch("superseded_by", queryset=PolicyDocument.objects.published().order_by(*NEWEST_FIRST),
                 to_attr="published_superseded_by"),
        Prefetch("references", queryset=Reference.objects.published(), to_attr="published_references"),
    )


POLICY_LINKS = [
    Links("published_categories", TherapyCategory, "policies", ("name",)),
    Links("published_therapies", Therapy, "policies", ("name",)),
]


def load_policy_links(policy: PolicyDocument) -> PolicyDocument:
    """The categories and therapies a document applies to, in one query."""
    load_links(policy, POLICY_LINKS, name="policy")
    return policy


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
    """(code, label, published documents) for every jurisdiction with at least one.

    A grouped count over every document and issuer, so computed once per content generation.
    """
    def compute():
        return dict(
            Authority.objects.published().values_list("jurisdiction")
            .annotate(n=Count("documents", filter=Q(documents__status=EditorialStatus.PUBLISHED), distinct=True))
            .order_by()
        )

    counts = cached_for_generation("policies-by-jurisdiction", compute)
    return [(code, label, counts[code]) for code, label in Jurisdiction.choices if counts.get(code)]


def latest_policies(limit: int = 6) -> list[PolicyDocument]:
    """Title and date only, so no authorities are loaded; once per content generation."""
    def compute():
        return list(PolicyDocument.objects.published().defer("body", "summary").order_by(*NEWEST_FIRST)[:limit])

    return cached_for_generation(f"latest-policies:{limit}", compute)


def home_context() -> dict:
    """The policies app's part of the home page (registered in `PoliciesConfig.ready`)."""
    return {"policies_by_jurisdiction": policies_by_jurisdiction(), "latest_policies": latest_policies()}
