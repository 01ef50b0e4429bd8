"""Request bodies built to break the parser (probe M2): a 400 or a 413 that says why, never a 500."""

from __future__ import annotations

import json

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def nested_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def post_json(client, url, body: str, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("body", [nested_array(1000), nested_object(1000), nested_array(100_000)])
def test_a_deeply_nested_body_to_the_token_endpoint_is_a_400(api, body):
    response = post_json(api, TOKEN_URL, body)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("body", [nested_array(1000), nested_object(1000)])
def test_a_deeply_nested_body_to_a_write_endpoint_is_a_400(editor_api, body):
    therapy = f.TherapyFactory(status="draft")
    response = post_json(editor_api, f"/api/v1/therapies/{therapy.slug}/", body, method="patch")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_nesting_just_over_the_limit_is_refused(editor_api, settings):
    settings.API_MAX_JSON_DEPTH = 5
    response = post_json(editor_api, "/api/v1/therapies/", json.dumps({"a": [[[[[1]]]]]}))
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_nesting_at_the_limit_is_parsed(editor_api, settings):
    settings.API_MAX_JSON_DEPTH = 5
    response = post_json(editor_api, "/api/v1/therapies/", json.dumps({"a": [[[[1]]]]}))
    assert response.status_code == 400
    assert "nested too deeply" not in json.dumps(response.json())
    assert "name" in response.json()  # validated as a therapy: the name is missing


def test_a_json_body_over_the_size_limit_is_a_413(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_json(editor_api, "/api/v1/therapies/", json.dumps({"name": "x" * 2000}))
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_a_form_body_over_the_size_limit_is_a_413(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = editor_api.post("/api/v1/therapies/", "name=" + "x" * 2000,
                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_a_token_request_over_the_size_limit_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_json(api, TOKEN_URL, json.dumps({"username": "x" * 2000, "password": "y"}))
    assert response.status_code == 413


def test_the_body_size_limit_defaults_to_djangos(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2.5 * 1024 * 1024


def test_the_token_endpoint_still_takes_json(api, editor):
    editor.set_password("secret-pass-123")
    editor.save()
    response = post_json(api, TOKEN_URL, json.dumps({"username": "editor", "password": "secret-pass-123"}))
    assert response.status_code == 200
    assert response.json()["token"]


def test_an_over_long_name_is_a_400_naming_the_field(editor_api):
    category = f.TherapyCategoryFactory()
    response = post_json(editor_api, "/api/v1/therapies/",
                         json.dumps({"name": "x" * 5000, "kind": "product", "category": category.slug}))
    assert response.status_code == 400
    assert "name" in response.json()
