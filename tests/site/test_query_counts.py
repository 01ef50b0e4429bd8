"""Every page runs a fixed number of queries, however many rows it shows.

Each test builds the page's relations once with one row and once with many, and asserts the
same bound. Anonymous readers: no session or user query.
"""

import datetime

import pytest

from tests.factories import (
    ApprovalFactory,
    AuthorityFactory,
    ConditionFactory,
    KeyProvisionFactory,
    MechanismFactory,
    MechanismMoleculeFactory,
    MoleculeFactory,
    PolicyDocumentFactory,
    ReferenceFactory,
    TherapyCategoryFactory,
    TherapyFactory,
    TherapyMechanismFactory,
)


def build(rows: int):
    """A category, a therapy, a mechanism, a molecule, a condition, an authority and a policy,
    each related to `rows` of everything else it can relate to."""
    root = TherapyCategoryFactory(slug="root")
    TherapyCategoryFactory.create_batch(rows, parent=root)
    condition = ConditionFactory(slug="condition")
    molecule = MoleculeFactory(slug="molecule")
    mechanism = MechanismFactory(slug="mechanism")
    authority = AuthorityFactory(slug="authority")
    therapy = TherapyFactory(slug="therapy", category=root, kind="modality",
                             references=ReferenceFactory.create_batch(rows))
    for i in range(rows):
        other_mechanism = MechanismFactory()
        TherapyMechanismFactory(therapy=therapy, mechanism=other_mechanism)
        MechanismMoleculeFactory(mechanism=other_mechanism, molecule=MoleculeFactory())
        MechanismMoleculeFactory(mechanism=mechanism, molecule=MoleculeFactory())
        MechanismMoleculeFactory(mechanism=other_mechanism, molecule=molecule)
        sibling = TherapyFactory(category=root, modality=therapy)
        sibling.conditions.add(condition)
        sibling.target_molecules.add(molecule)
        TherapyMechanismFactory(therapy=sibling, mechanism=mechanism)
        ApprovalFactory(therapy=sibling, indication=condition, agency=["fda", "ema", "nmpa", "mfds"][i % 4],
                        decided_on=datetime.date(2010 + i % 10, 1, 1))
        ApprovalFactory(therapy=therapy, indication=ConditionFactory())
        therapy.conditions.add(ConditionFactory())
        therapy.target_molecules.add(MoleculeFactory())
        policy = PolicyDocumentFactory(authorities=[authority, AuthorityFactory()])
        policy.categories.add(root)
        policy.therapies.add(therapy)
        KeyProvisionFactory(policy=policy)
    head = PolicyDocumentFactory(slug="policy", authorities=[authority], supersedes=policy)
    head.categories.add(*[root] * 1)
    head.therapies.add(therapy)
    for _ in range(rows):
        KeyProvisionFactory(policy=head)


# (path, bound): the comment says what the queries are.
PAGES = [
    ("/en/", 6),  # tree, products per regulator, approvals per year, policies per jurisdiction, 2 latest
    ("/en/about/", 2),  # latest change of therapies, of policies
    ("/en/search/?q=therapy", 7),  # facets, page ids, entries, objects per type on the page (<= 4 here)
    ("/en/categories/", 1),  # the tree
    ("/en/categories/root/", 7),  # category, tree, count, page, approvals, mechanisms, policies
    ("/en/therapies/", 3),  # count, page, approvals
    # therapy, approvals, mechanism links, their molecules, conditions, targets, references, policies, products
    ("/en/therapies/therapy/", 9),
    ("/en/mechanisms/", 2),  # count, page
    ("/en/mechanisms/mechanism/", 5),  # mechanism, molecule links, references, count, page of therapies
    ("/en/molecules/", 2),
    ("/en/molecules/molecule/", 4),  # molecule, mechanism links, targeted by, references
    ("/en/conditions/", 2),
    ("/en/conditions/condition/", 4),  # condition, references, therapies, their approvals for it
    ("/en/policies/", 5),  # authority choices, years, count, page, authorities of the page
    ("/en/policies/?jurisdiction=CN&view=timeline", 5),
    # policy + supersedes chain, authorities, provisions, newer versions, categories, therapies, references
    ("/en/policies/policy/", 7),
    ("/en/authorities/", 2),
    ("/en/authorities/authority/", 5),  # authority, references, count, page, authorities of the page
    ("/en/feeds/policies/", 2),  # policies, their authorities
    ("/en/feeds/approvals/", 1),  # approvals with their therapy
    ("/sitemap-therapy.xml", 2),  # count, page
]


@pytest.mark.parametrize("rows", [1, 12])
@pytest.mark.parametrize(("path", "bound"), PAGES)
def test_query_count_does_not_grow_with_rows(client, db, django_assert_max_num_queries, rows, path, bound):
    build(rows)
    with django_assert_max_num_queries(bound):
        response = client.get(path)
    assert response.status_code == 200
