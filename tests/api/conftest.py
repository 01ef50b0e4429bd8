"""What the generic API tests need to know about each resource: how to make one, and its filters.

Each `Resource` gives a factory for a published object, the name of its label field, a way
to hang `n` related rows on an object (for the query bounds) and its filters, each a
function that makes `match` (and not `other`) satisfy the filter and returns the value.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from tests import factories as f


@dataclass
class Resource:
    prefix: str
    factory: Callable
    label: str
    add_related: Callable[[object, int], None]
    # Upper bounds on queries for an anonymous list page and detail, whatever the row counts.
    # A list: the count (first time in a content generation) and the page, plus the issuers
    # of the page for policies. A detail: the object with its foreign keys; every relation
    # shown as compact objects in one UNION ALL; each other relation (a therapy's approvals,
    # their events, its mechanism links and their molecules; a policy's key provisions) in
    # one more each.
    list_queries: int
    detail_queries: int
    filters: dict[str, Callable] = field(default_factory=dict)
    ordering: tuple[str, ...] = ()
    # Curated items have an editorial `status`; approvals are public with their therapy.
    editorial: bool = True
    hidden_factory: Callable | None = None  # makes an object the public may not see
    edit: Callable | None = None  # changes what the object shows (default: its label)

    def make_hidden(self):
        return self.hidden_factory() if self.hidden_factory else self.factory(status="draft")

    def change(self, obj) -> None:
        if self.edit:
            self.edit(obj)
        else:
            setattr(obj, self.label, "Changed label")
        obj.save()

    def __str__(self) -> str:
        return self.prefix

    def list_url(self) -> str:
        return f"/api/v1/{self.prefix}/"

    def detail_url(self, obj) -> str:
        return f"/api/v1/{self.prefix}/{obj.slug}/"


def _therapy_related(therapy, n):
    for _ in range(n):
        f.ApprovalEventFactory(approval=f.ApprovalFactory(therapy=therapy))
        f.TherapyMechanismFactory(therapy=therapy).molecules.add(f.MoleculeFactory())
        f.TherapyNameFactory(therapy=therapy)
    therapy.conditions.add(*f.ConditionFactory.create_batch(n))
    therapy.target_molecules.add(*f.MoleculeFactory.create_batch(n))
    therapy.references.add(*f.ReferenceFactory.create_batch(n))


def _category_related(category, n):
    f.TherapyCategoryFactory.create_batch(n, parent=category)
    f.TherapyFactory.create_batch(n, category=category)
    category.references.add(*f.ReferenceFactory.create_batch(n))


def _condition_related(condition, n):
    for therapy in f.TherapyFactory.create_batch(n):
        therapy.conditions.add(condition)
        f.ApprovalEventFactory(approval=f.ApprovalFactory(therapy=therapy, condition=condition))
        f.ConditionFactory(parent=condition)
    condition.references.add(*f.ReferenceFactory.create_batch(n))


def _mechanism_related(mechanism, n):
    for _ in range(n):
        f.MechanismMoleculeFactory(mechanism=mechanism)
        f.TherapyMechanismFactory(mechanism=mechanism)
    mechanism.references.add(*f.ReferenceFactory.create_batch(n))


def _molecule_related(molecule, n):
    for _ in range(n):
        f.MechanismMoleculeFactory(molecule=molecule)
        f.TherapyFactory().target_molecules.add(molecule)
    molecule.references.add(*f.ReferenceFactory.create_batch(n))


def _policy_related(policy, n):
    policy.authorities.add(*f.AuthorityFactory.create_batch(n))
    f.KeyProvisionFactory.create_batch(n, policy=policy)
    f.PolicyDocumentFactory.create_batch(n, supersedes=policy)
    policy.categories.add(*f.TherapyCategoryFactory.create_batch(n))
    policy.therapies.add(*f.TherapyFactory.create_batch(n))
    policy.references.add(*f.ReferenceFactory.create_batch(n))


def _authority_related(authority, n):
    f.PolicyDocumentFactory.create_batch(n, authorities=[authority])
    authority.references.add(*f.ReferenceFactory.create_batch(n))


def _approval_related(approval, n):
    f.ApprovalEventFactory.create_batch(n, approval=approval)


def _approval_of_narrower_condition(match, other):
    broad = f.ConditionFactory()
    match.condition = f.ConditionFactory(parent=broad)
    match.save()
    return broad.slug


def _no_related(obj, n):
    """References have no relations; the bound is checked against many rows instead."""
    f.ReferenceFactory.create_batch(n)


def _set(**values):
    def make(match, other):
        for name, value in values.items():
            setattr(match, name, value)
        match.save()
        return next(iter(values.values()))
    return make


def _therapy_category(match, other):
    root = f.TherapyCategoryFactory()
    match.category = f.TherapyCategoryFactory(parent=root)
    match.save()
    return root.slug


def _therapy_approved(agency="fda", day=datetime.date(2020, 6, 1)):
    def make(match, other):
        f.ApprovalFactory(therapy=match, agency=agency, decided_on=day)
        f.ApprovalFactory(therapy=other, agency="nmpa", decided_on=datetime.date(2010, 1, 1))
        return agency
    return make


def _linked(attribute, factory):
    def make(match, other):
        related = factory()
        getattr(match, attribute).add(related)
        return related.slug
    return make


def _policy_with_authority(match, other):
    authority = f.AuthorityFactory(jurisdiction="US")
    match.authorities.add(authority)
    return authority


RESOURCES = [
    Resource(
        "therapies", f.TherapyFactory, "name", _therapy_related, list_queries=2, detail_queries=3,
        filters={
            "category": _therapy_category,
            "kind": _set(kind="modality"),
            "stage": _set(stage="phase_2"),
            "cell_source": _set(cell_source="allogeneic"),
            "condition": _linked("conditions", f.ConditionFactory),
            "mechanism": lambda match, other: f.TherapyMechanismFactory(therapy=match).mechanism.slug,
            "molecule": _linked("target_molecules", f.MoleculeFactory),
            "agency": _therapy_approved("ema"),
            "approved_after": lambda match, other: _therapy_approved()(match, other) and "2020-01-01",
            "approved_before": lambda match, other: _therapy_approved(day=datetime.date(2001, 1, 1))(
                match, other) and "2005-12-31",
            "search": _set(name_en="Tisagenlecleucel"),
        },
        ordering=("name", "stage", "updated_at"),
    ),
    Resource(
        "categories", f.TherapyCategoryFactory, "name", _category_related, list_queries=2, detail_queries=2,
        filters={
            "parent": lambda match, other: _set(parent=f.TherapyCategoryFactory())(match, other).slug,
            "search": _set(name_en="Mesenchymal stem cells"),
        },
        ordering=("position", "name", "updated_at"),
    ),
    Resource(
        "conditions", f.ConditionFactory, "name", _condition_related, list_queries=2, detail_queries=4,
        filters={
            "therapy": lambda match, other: (therapy := f.TherapyFactory()).conditions.add(match) or therapy.slug,
            "search": _set(name_en="Osteoarthritis"),
        },
        ordering=("name", "icd10", "updated_at"),
    ),
    Resource(
        "mechanisms", f.MechanismFactory, "name", _mechanism_related, list_queries=2, detail_queries=2,
        filters={
            "effect": _set(effect="adverse"),
            "therapy": lambda match, other: f.TherapyMechanismFactory(mechanism=match).therapy.slug,
            "molecule": lambda match, other: f.MechanismMoleculeFactory(mechanism=match).molecule.slug,
            "search": _set(name_en="Paracrine signalling"),
        },
        ordering=("name", "updated_at"),
    ),
    Resource(
        "molecules", f.MoleculeFactory, "symbol", _molecule_related, list_queries=2, detail_queries=2,
        filters={
            "kind": _set(kind="antigen"),
            "therapy": lambda match, other: (therapy := f.TherapyFactory()).target_molecules.add(match)
            or therapy.slug,
            "mechanism": lambda match, other: f.MechanismMoleculeFactory(molecule=match).mechanism.slug,
            "search": _set(symbol="VEGFA"),
        },
        ordering=("symbol", "name", "updated_at"),
    ),
    Resource(
        "policies", f.PolicyDocumentFactory, "title", _policy_related, list_queries=3, detail_queries=3,
        filters={
            "jurisdiction": lambda match, other: _policy_with_authority(match, other).jurisdiction,
            "authority": lambda match, other: _policy_with_authority(match, other).slug,
            "doc_type": _set(doc_type="law"),
            "legal_status": _set(legal_status="repealed"),
            "issued_after": lambda match, other: _set(
                issued_on=datetime.date(2030, 1, 1), effective_on=datetime.date(2030, 2, 1))(match, other)
            and "2029-06-01",
            "issued_before": lambda match, other: _set(issued_on=datetime.date(1999, 1, 1))(match, other)
            and "2000-01-01",
            "category": _linked("categories", f.TherapyCategoryFactory),
            "therapy": _linked("therapies", f.TherapyFactory),
            "search": _set(title_en="Biosecurity law"),
        },
        ordering=("title", "issued_on", "effective_on", "updated_at"),
    ),
    Resource(
        "authorities", f.AuthorityFactory, "name", _authority_related, list_queries=2, detail_queries=2,
        filters={
            "jurisdiction": _set(jurisdiction="JP"),
            "level": _set(level="provincial"),
            "is_regulator": lambda match, other: _set(is_regulator=True)(match, other) and "true",
            "search": _set(name_en="National Health Commission"),
        },
        ordering=("name", "jurisdiction", "updated_at"),
    ),
    Resource(
        "approvals", f.ApprovalFactory, "slug", _approval_related, list_queries=3, detail_queries=2,
        filters={
            "therapy": lambda match, other: match.therapy.slug,
            "regulator": lambda match, other: _set(regulator=f.RegulatorFactory(slug="nmpa"))(
                match, other).slug,
            "jurisdiction": lambda match, other: _set(regulator=f.RegulatorFactory(slug="pmda"))(
                match, other).jurisdiction,
            "condition": _approval_of_narrower_condition,
            "pathway": _set(pathway="conditional_time_limited"),
            "status": lambda match, other: f.ApprovalEventFactory(approval=match, kind="lapsed").kind,
            "decided_after": lambda match, other: _set(decided_on=datetime.date(2030, 1, 1))(
                match, other) and "2029-01-01",
            "decided_before": lambda match, other: _set(decided_on=datetime.date(1999, 1, 1))(
                match, other) and "2000-01-01",
            "search": _set(indication_text_en="Adults with relapsed large B-cell lymphoma"),
        },
        ordering=("decided_on",),
        editorial=False,
        hidden_factory=lambda: f.ApprovalFactory(therapy__status="draft"),
        edit=lambda obj: setattr(obj, "indication_text_en", "Children with refractory leukaemia"),
    ),
    Resource(
        "references", f.ReferenceFactory, "title", _no_related, list_queries=2, detail_queries=1,
        filters={
            "year": _set(year=1999),
            "search": _set(title="Mesenchymal stromal cells in knee osteoarthritis"),
        },
        ordering=("title", "year", "updated_at"),
    ),
]
