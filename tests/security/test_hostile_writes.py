"""Editor writes with unusable values (probe L1, L2): a 400 naming the field, never a 500."""

from __future__ import annotations

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_related_slug_list_is_a_400_naming_the_field(editor_api):
    condition = f.ConditionFactory(status="draft")
    response = editor_api.patch(f"/api/v1/conditions/{condition.slug}/", {"references": ["\u0000"]}, format="json")
    assert response.status_code == 400
    assert "letters, digits" in str(response.json()["references"])


def test_a_nul_in_a_related_slug_is_a_400_naming_the_field(editor_api):
    therapy = f.TherapyFactory(status="draft")
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"category": "a\u0000b"}, format="json")
    assert response.status_code == 400
    assert "letters, digits" in str(response.json()["category"])


def test_a_form_encoded_nul_slug_is_a_400_naming_the_field(editor_api):
    category = f.TherapyCategoryFactory(status="draft")
    response = editor_api.patch(f"/api/v1/categories/{category.slug}/", "parent=%00",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "letters, digits" in str(response.json()["parent"])


@pytest.mark.parametrize("parameter", ["category", "condition", "molecule", "search", "ordering", "kind"])
def test_a_nul_in_a_filter_is_a_4xx(api, parameter):
    f.TherapyFactory()
    response = api.get("/api/v1/therapies/", {parameter: "a\u0000b"})
    assert 400 <= response.status_code < 500


def test_a_mechanism_link_without_its_molecule_is_a_400_naming_the_key(editor_api):
    mechanism = f.MechanismFactory(status="draft")
    response = editor_api.patch(f"/api/v1/mechanisms/{mechanism.slug}/", {"molecules": [{"role": "x"}]},
                                format="json")
    assert response.status_code == 400
    assert "molecule" in response.json()["molecules"]["0"]


def test_a_therapy_link_without_its_mechanism_is_a_400_naming_the_key(editor_api):
    therapy = f.TherapyFactory(status="draft")
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"mechanisms": [{"role": "x"}]},
                                format="json")
    assert response.status_code == 400
    assert "mechanism" in response.json()["mechanisms"]["0"]
