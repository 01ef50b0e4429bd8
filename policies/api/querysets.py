"""The API's read querysets for authorities and policy documents.

Each starts from `visible_to(user)` and loads related objects through a `Prefetch` with the
same rule; comments count the queries of a detail (a list adds one COUNT).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from policies.models import Authority, PolicyDocument
from portal.models import Reference, translated_columns
from portal.selectors import prefetch_together


def visible(model, user) -> QuerySet:
    return model.objects.visible_to(user)


def visible_references(user) -> Prefetch:
    return Prefetch("references", queryset=visible(Reference, user).only("slug", "title", "status"))


def authority_list(user) -> QuerySet[Authority]:
    return visible(Authority, user)


def authority_detail(user) -> QuerySet[Authority]:
    # 3 queries: the authority, its documents, references.
    return authority_list(user).prefetch_related(
        Prefetch("documents", queryset=visible(PolicyDocument, user)),
        visible_references(user),
    )


def policy_list(user) -> QuerySet[PolicyDocument]:
    # 2 queries: the documents (without the long texts no list shows), then their authorities.
    return policy_with_issuers(user).defer(*translated_columns("summary", "body"))


def policy_with_issuers(user) -> QuerySet[PolicyDocument]:
    return visible(PolicyDocument, user).prefetch_related(
        Prefetch("authorities", queryset=visible(Authority, user).defer(*translated_columns("description"))),
    )


def policy_detail(user) -> QuerySet[PolicyDocument]:
    # 3 queries, then 1 in `policy_detail_relations`: the document (with the one it
    # supersedes), authorities, key provisions.
    return policy_with_issuers(user).select_related("supersedes").prefetch_related("provisions")


def policy_detail_relations(policy: PolicyDocument, user) -> None:
    """Newer versions, categories, therapies and references of one document, in one query."""
    prefetch_together(policy, {
        "superseded_by": (policy.superseded_by.visible_to(user), ("title",)),
        "categories": (policy.categories.visible_to(user), ("name",)),
        "therapies": (policy.therapies.visible_to(user), ("name",)),
        "references": (policy.references.visible_to(user), ("title",)),
    })
