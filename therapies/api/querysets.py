"""The API's read querysets for the therapies app, one per resource and shape.

Each starts from `visible_to(user)` (published only for the public) and loads related
objects through a `Prefetch` with the same rule, so a draft never appears nested in a
published object and the number of queries does not grow with the number of rows.
Comments count the queries of a detail (a list adds one COUNT).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from portal.models import Reference, translated_columns
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


def visible(model, user) -> QuerySet:
    return model.objects.visible_to(user)


def visible_references(user) -> Prefetch:
    return Prefetch("references", queryset=visible(Reference, user).only("slug", "title", "status"))


def category_list(user) -> QuerySet[TherapyCategory]:
    # 1 query: categories with their parent.
    return visible(TherapyCategory, user).select_related("parent")


def category_detail(user) -> QuerySet[TherapyCategory]:
    # 4 queries: the category and parent, its sub-categories, therapies, references.
    return category_list(user).prefetch_related(
        Prefetch("children", queryset=visible(TherapyCategory, user)),
        Prefetch("therapies", queryset=visible(Therapy, user).only("slug", "name", "name_en", "name_zh_hans",
                                                                      "status", "category_id")),
        visible_references(user),
    )


def therapy_list(user) -> QuerySet[Therapy]:
    # 1 query: therapies with category and modality, without the long texts no list shows.
    return therapy_with_kin(user).defer(*translated_columns("summary", "body", "cell_type"))


def therapy_with_kin(user) -> QuerySet[Therapy]:
    return visible(Therapy, user).select_related("category", "modality").defer(
        *translated_columns("category__description", "modality__summary", "modality__body", "modality__cell_type"),
    )


def therapy_detail(user) -> QuerySet[Therapy]:
    # 6 queries: the therapy (with category, modality), approvals (with indication and
    # reference), mechanisms with their roles, conditions, target molecules, references.
    links = TherapyMechanism.objects.select_related("mechanism")
    if not Mechanism.user_sees_drafts(user):
        links = links.filter(mechanism__in=Mechanism.objects.published())
    return therapy_with_kin(user).prefetch_related(
        Prefetch("approvals", queryset=Approval.objects.select_related("indication", "reference")),
        Prefetch("mechanism_links", queryset=links),
        Prefetch("conditions", queryset=visible(Condition, user)),
        Prefetch("target_molecules", queryset=visible(Molecule, user)),
        visible_references(user),
    )


def condition_list(user) -> QuerySet[Condition]:
    return visible(Condition, user)


def condition_detail(user) -> QuerySet[Condition]:
    # 3 queries: the condition, its therapies, references.
    return condition_list(user).prefetch_related(
        Prefetch("therapies", queryset=visible(Therapy, user)),
        visible_references(user),
    )


def mechanism_list(user) -> QuerySet[Mechanism]:
    return visible(Mechanism, user)


def mechanism_detail(user) -> QuerySet[Mechanism]:
    # 4 queries: the mechanism, its molecules with roles, therapies, references.
    links = MechanismMolecule.objects.select_related("molecule")
    if not Molecule.user_sees_drafts(user):
        links = links.filter(molecule__in=Molecule.objects.published())
    return mechanism_list(user).prefetch_related(
        Prefetch("molecule_links", queryset=links),
        Prefetch("therapies", queryset=visible(Therapy, user)),
        visible_references(user),
    )


def molecule_list(user) -> QuerySet[Molecule]:
    return visible(Molecule, user)


def molecule_detail(user) -> QuerySet[Molecule]:
    # 4 queries: the molecule, its mechanisms, the therapies targeting it, references.
    return molecule_list(user).prefetch_related(
        Prefetch("mechanisms", queryset=visible(Mechanism, user)),
        Prefetch("targeted_by", queryset=visible(Therapy, user)),
        visible_references(user),
    )
