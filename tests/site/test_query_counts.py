"""Every public page runs at most six queries, however many rows it shows (issue #6).

Each test builds the page's relations once with one row and once with many, and asserts the
same bound. Anonymous readers: no session or user query. "Cold" is the first request after a
change of content, with nothing cached; "warm" is every later request that misses the page
cache (another path, the benchmark's bypass header): values derived once per content
generation (figures, facet choices, list totals, the category tree) are already computed.
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
        ApprovalFactory(therapy=sibling, condition=condition, agency=["fda", "ema", "nmpa", "mfds"][i % 4],
                        decided_on=datetime.date(2010 + i % 10, 1, 1))
        ApprovalFactory(therapy=therapy, condition=ConditionFactory())
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


# (path, cold, warm): the comment says what the cold queries are.
PAGES = [
    # tree, products per regulator, approvals per year, policies per jurisdiction, latest approvals, latest policies
    ("/en/", 6, 0),
    ("/zh-hans/", 6, 0),
    ("/en/about/", 2, 0),  # latest change of therapies, of policies
    # counts per type (once per generation), the page of entries, their published objects of
    # every type in one query; on PostgreSQL BEGIN, SET LOCAL statement_timeout and COMMIT
    ("/en/search/?q=therapy", 6, 6),
    ("/en/categories/", 1, 0),  # the tree
    # tree (which holds the category), count, mechanisms, policies, page of therapies, their approvals
    ("/en/categories/root/", 6, 2),
    ("/en/therapies/", 3, 2),  # count, page, approvals
    # therapy with category and modality, approvals with their events, mechanism links with the
    # product's molecules, references, other names, and conditions + targets + policies +
    # products in one query
    ("/en/therapies/therapy/", 6, 6),
    ("/zh-hans/therapies/therapy/", 6, 6),
    ("/en/mechanisms/", 2, 1),  # count, page
    ("/en/mechanisms/mechanism/", 5, 4),  # mechanism, molecule links, references, count, page of therapies
    ("/en/molecules/", 2, 1),  # count, page
    ("/en/molecules/molecule/", 4, 4),  # molecule, mechanism links, targeted by, references
    ("/en/conditions/", 2, 1),  # count, page
    # condition, references, the condition tree (once per generation), the approvals for it
    # or a narrower one, the products linked to it but never approved for it
    ("/en/conditions/condition/", 5, 4),
    ("/en/policies/", 5, 2),  # authority choices, years, count, page, authorities of the page
    ("/en/policies/?jurisdiction=CN&view=timeline", 5, 2),
    ("/en/policies/?authority=authority&type=plan&status=in_force&page=1", 5, 2),
    # policy with the supersedes chain, authorities, provisions, newer versions, references, and
    # categories + therapies in one query
    ("/en/policies/policy/", 6, 6),
    ("/zh-hans/policies/policy/", 6, 6),
    ("/en/authorities/", 2, 1),  # count, page
    ("/en/authorities/authority/", 5, 4),  # authority, references, count, page, authorities of the page
    ("/en/feeds/policies/", 2, 2),  # policies, their authorities
    ("/en/feeds/approvals/", 1, 0),  # approvals with their therapy
    ("/sitemap-therapy.xml", 2, 2),  # count, page
]


@pytest.mark.parametrize("rows", [1, 12])
@pytest.mark.parametrize(("path", "cold", "warm"), PAGES)
def test_query_count_does_not_grow_with_rows(client, db, django_assert_max_num_queries, rows, path, cold, warm):
    build(rows)
    with django_assert_max_num_queries(cold):
        response = client.get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
@pytest.mark.parametrize(("path", "cold", "warm"), PAGES)
def test_query_count_once_derived_values_are_computed(client, db, settings, django_assert_max_num_queries,
                                                      rows, path, cold, warm):
    settings.PAGE_CACHE_BYPASS_HEADER = "X-Bench-Cache-Bypass"
    build(rows)
    client.get(path, HTTP_X_BENCH_CACHE_BYPASS="1")
    with django_assert_max_num_queries(warm):
        response = client.get(path, HTTP_X_BENCH_CACHE_BYPASS="1")
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"  # rendered again, not served from the page cache
