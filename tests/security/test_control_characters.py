"""C0 control characters (probe M3): refused by model validation, and unable to break a feed.

Tab, line feed and carriage return are text; every other C0 character is refused in every
text field of every curated model and inline row, with the field named.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from portal import registry
from portal.models import TextRules
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [*registry.curated_models(), *registry.inline_models()],
                         ids=lambda model: model.__name__)
def test_every_curated_model_and_inline_row_applies_the_rule(model):
    assert issubclass(model, TextRules)


def test_an_api_patch_with_a_vertical_tab_is_a_400_naming_the_field(editor_api):
    policy = f.PolicyDocumentFactory(status="draft")
    response = editor_api.patch(f"/api/v1/policies/{policy.slug}/", {"summary": "vertical tab \u000b here"},
                                format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["summary"]
    assert "U+000B" in response.json()["summary"][0]


def test_a_translated_field_is_named_as_the_api_names_it(editor_api):
    therapy = f.TherapyFactory(status="draft")
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"name": "a\u0001b"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_an_untranslated_field_is_refused_too(editor_api):
    reference = f.ReferenceFactory(status="draft")
    response = editor_api.patch(f"/api/v1/references/{reference.slug}/", {"authors": "Smith\u001fJ"}, format="json")
    assert response.status_code == 400
    assert "authors" in response.json()


def test_a_control_character_in_a_link_row_is_a_400_naming_the_row_field(editor_api):
    therapy = f.TherapyFactory(status="draft")
    mechanism = f.MechanismFactory()
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/",
                                {"mechanisms": [{"mechanism": mechanism.slug, "role": "kills\u0007"}]}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()["mechanisms"]["0"]


def test_tabs_and_line_breaks_are_kept(editor_api):
    policy = f.PolicyDocumentFactory(status="draft")
    response = editor_api.patch(f"/api/v1/policies/{policy.slug}/", {"summary": "one\ttwo\r\nthree"}, format="json")
    assert response.status_code == 200
    policy.refresh_from_db()
    assert policy.summary_en == "one\ttwo\r\nthree"


def test_model_validation_names_the_language_column_when_the_caller_does():
    therapy = f.TherapyFactory(status="draft", name_zh_hans="名\u000c称")
    with pytest.raises(ValidationError) as raised:
        therapy.full_clean(exclude=["name"])
    assert list(raised.value.message_dict) == ["name_zh_hans"]


def test_model_validation_refuses_a_control_character_in_an_inline_row():
    provision = f.KeyProvisionFactory(text_en="Applies\u0008 here")
    with pytest.raises(ValidationError) as raised:
        provision.full_clean(exclude=["text"])
    assert "text_en" in raised.value.message_dict


def test_the_policy_feed_survives_a_control_character_already_stored(client):
    f.PolicyDocumentFactory(title_en="Guideline\u0001", summary_en="vertical tab \u000b here")
    response = client.get("/en/feeds/policies/")
    assert response.status_code == 200
    assert b"vertical tab  here" in response.content
    assert b"\x0b" not in response.content


def test_the_approvals_feed_survives_a_control_character_already_stored(client):
    therapy = f.TherapyFactory(name_en="Kym\u0001riah")
    f.ApprovalFactory(therapy=therapy, decided_on=datetime.date(2020, 1, 1), indication_text_en="adults\u001b")
    response = client.get("/en/feeds/approvals/")
    assert response.status_code == 200
    assert b"Kymriah" in response.content
