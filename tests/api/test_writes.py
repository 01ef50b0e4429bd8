"""Editors write through the API: by slug, as drafts, validated like the admin, recorded in history."""

from __future__ import annotations

import pytest
import reversion
from reversion.models import Version

from tests import factories as f
from therapies.models import Therapy

pytestmark = pytest.mark.django_db


def new_therapy(**extra):
    category = f.TherapyCategoryFactory(slug="car-t")
    return {"name": "Anti-CD19 CAR-T", "kind": "product", "category": category.slug, **extra}


def test_anonymous_cannot_write(api):
    response = api.post("/api/v1/therapies/", new_therapy(), format="json")
    assert response.status_code == 401


def test_anonymous_cannot_patch(api):
    therapy = f.TherapyFactory()
    response = api.patch(f"/api/v1/therapies/{therapy.slug}/", {"name": "Hacked"}, format="json")
    assert response.status_code == 401
    therapy.refresh_from_db()
    assert therapy.name_en != "Hacked"


def test_editor_creates_a_draft_with_relations_by_slug(editor_api):
    molecule = f.MoleculeFactory(slug="cd19")
    mechanism = f.MechanismFactory(slug="targeted-killing")
    payload = new_therapy(
        target_molecules=["cd19"], mechanisms=[{"mechanism": mechanism.slug, "role": "Kills B cells."}],
    )
    response = editor_api.post("/api/v1/therapies/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["category"]["slug"] == "car-t"
    assert body["target_molecules"][0]["slug"] == molecule.slug
    assert body["mechanisms"] == [{"mechanism": {"slug": mechanism.slug, "name": mechanism.name,
                                                 "url": f"http://testserver/api/v1/mechanisms/{mechanism.slug}/"},
                                   "role": "Kills B cells.", "molecules": []}]
    therapy = Therapy.objects.get(slug=body["slug"])
    assert therapy.status == "draft"


def test_created_object_records_its_author_and_a_revision(editor_api, editor):
    response = editor_api.post("/api/v1/therapies/", new_therapy(), format="json")
    therapy = Therapy.objects.get(slug=response.json()["slug"])
    assert therapy.created_by == editor
    versions = Version.objects.get_for_object(therapy)
    assert versions.count() == 1
    assert versions[0].revision.user == editor


def test_editor_cannot_publish(editor_api):
    response = editor_api.post("/api/v1/therapies/", new_therapy(status="published"), format="json")
    assert response.status_code == 400
    assert "status" in response.json()
    assert not Therapy.objects.exists()


def test_editor_cannot_archive_a_published_item(editor_api):
    therapy = f.TherapyFactory()
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"status": "archived"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()
    therapy.refresh_from_db()
    assert therapy.status == "published"


def test_editor_may_submit_for_review(editor_api):
    therapy = f.TherapyFactory(status="draft")
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"status": "in_review"}, format="json")
    assert response.status_code == 200
    therapy.refresh_from_db()
    assert therapy.status == "in_review"


def test_publisher_publishes(publisher_api):
    therapy = f.TherapyFactory(status="in_review")
    response = publisher_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"status": "published"}, format="json")
    assert response.status_code == 200
    therapy.refresh_from_db()
    assert therapy.status == "published"
    assert therapy.published_at is not None


def test_audit_fields_are_read_only(editor_api, publisher):
    therapy = f.TherapyFactory(status="draft")
    before = therapy.created_at
    response = editor_api.patch(
        f"/api/v1/therapies/{therapy.slug}/",
        {"created_at": "2000-01-01T00:00:00Z", "created_by": publisher.pk, "published_at": "2000-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 200
    therapy.refresh_from_db()
    assert therapy.created_at == before
    assert therapy.created_by is None
    assert therapy.published_at is None


def test_model_validation_applies(editor_api):
    modality = f.TherapyFactory(kind="modality")
    response = editor_api.post(
        "/api/v1/therapies/", new_therapy(kind="modality", modality=modality.slug), format="json"
    )
    assert response.status_code == 400
    assert "modality" in response.json()


def test_identifier_validators_apply(editor_api):
    response = editor_api.post("/api/v1/molecules/", {"symbol": "IGF1", "name": "IGF-1", "uniprot": "nope"},
                               format="json")
    assert response.status_code == 400
    assert "uniprot" in response.json()


def test_unknown_related_slug_is_400_naming_the_field(editor_api):
    response = editor_api.post("/api/v1/therapies/", new_therapy(target_molecules=["no-such"]), format="json")
    assert response.status_code == 400
    assert "target_molecules" in response.json()


def test_same_mechanism_twice_is_400(editor_api):
    mechanism = f.MechanismFactory()
    links = [{"mechanism": mechanism.slug}, {"mechanism": mechanism.slug}]
    response = editor_api.post("/api/v1/therapies/", new_therapy(mechanisms=links), format="json")
    assert response.status_code == 400
    assert "mechanisms" in response.json()


def test_updating_roles_keeps_the_other_language(editor_api):
    link = f.TherapyMechanismFactory(role_en="Kills", role_zh_hans="杀伤", therapy__status="draft")
    response = editor_api.patch(
        f"/api/v1/therapies/{link.therapy.slug}/",
        {"mechanisms": [{"mechanism": link.mechanism.slug, "role": "Kills target cells"}]}, format="json",
    )
    assert response.status_code == 200
    link.refresh_from_db()
    assert (link.role_en, link.role_zh_hans) == ("Kills target cells", "杀伤")


def test_writing_in_chinese_sets_the_chinese_field(editor_api):
    therapy = f.TherapyFactory(status="draft")
    response = editor_api.patch(f"/api/v1/therapies/{therapy.slug}/?lang=zh-hans", {"name": "新名称"},
                                format="json")
    assert response.status_code == 200
    therapy.refresh_from_db()
    assert therapy.name_zh_hans == "新名称"
    assert therapy.name_en.startswith("Therapy")


def test_policy_dates_are_written_with_their_precision(editor_api):
    authority = f.AuthorityFactory()
    response = editor_api.post("/api/v1/policies/", {
        "title": "Plan", "doc_type": "plan", "authorities": [authority.slug], "issued_on": "2021-09",
    }, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["issued_on"] == "2021-09"
    assert response.json()["issued_on_precision"] == "month"


def test_delete_is_not_offered(publisher_api):
    therapy = f.TherapyFactory()
    assert publisher_api.delete(f"/api/v1/therapies/{therapy.slug}/").status_code == 405


def test_user_without_change_permission_cannot_write(api, django_user_model):
    from rest_framework.authtoken.models import Token

    reader = f.UserFactory(username="reader")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader).key}")
    therapy = f.TherapyFactory()
    assert api.patch(f"/api/v1/therapies/{therapy.slug}/", {"name": "x"}, format="json").status_code == 403


def test_session_writes_need_csrf(editor):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/v1/therapies/", new_therapy(), format="json")
    assert response.status_code == 403


def test_api_change_shows_in_the_same_history_as_the_admin(editor_api):
    therapy = f.TherapyFactory(status="draft")
    with reversion.create_revision():
        therapy.save()
    editor_api.patch(f"/api/v1/therapies/{therapy.slug}/", {"summary": "Changed."}, format="json")
    assert Version.objects.get_for_object(therapy).count() == 2


# --- tokens -----------------------------------------------------------------------------
def test_token_for_username_and_password(api, editor):
    response = api.post("/api/v1/auth/token/", {"username": "editor", "password": "correct horse battery staple"},
                        format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/v1/therapies/", new_therapy(), format="json").status_code == 201


def test_wrong_password_gets_no_token(api, editor):
    response = api.post("/api/v1/auth/token/", {"username": "editor", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_login_attempts_are_throttled(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "2/min"}}
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json")
    assert response.status_code == 429
    assert response.json()["retry_after"] > 0
