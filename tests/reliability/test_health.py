"""/healthz (liveness, no database) and /readyz (database and cache, 503 naming what is down)."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from tests.reliability.helpers import closed_port, redis_cache_at


def test_healthz_answers_without_database_or_session(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert "Set-Cookie" not in response.headers and not response.cookies


def test_healthz_answers_while_the_database_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_healthz_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


@pytest.mark.django_db
def test_readyz_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}, "down": []}


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_is_down(client):
    with override_settings(CACHES=redis_cache_at(closed_port())):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "down"}


def test_probes_are_exempt_from_the_https_redirect(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        assert client.get("/en/").status_code == 301
