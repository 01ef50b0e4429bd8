"""With the database unreachable, pages and the API answer 503 (friendly page or JSON), never 500.

The database is made unreachable by replacing the connection's cursor with one that raises
`OperationalError`, as psycopg2 and sqlite3 do when the server or file is gone. The real
outage and recovery on PostgreSQL is in test_postgres_outage.py.
"""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, override_settings

from tests.factories import TherapyCategoryFactory

pytestmark = pytest.mark.django_db


class ReadsDatabaseBeforeTheView:
    """A middleware that needs the database before any view runs (like a lockout check)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        get_user_model().objects.exists()
        return self.get_response(request)


class FailsWithABug:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise ValueError("a bug, not an outage")


def database_down(error=OperationalError):
    return mock.patch.object(connection, "cursor", side_effect=error("could not connect to server"))


@pytest.fixture
def page(db):
    TherapyCategoryFactory()
    return "/en/"


def test_public_page_answers_503_with_a_friendly_page(client, page):
    with database_down():
        response = client.get(page)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"We will be back shortly" in response.content
    assert b"Traceback" not in response.content
    assert response["Retry-After"] == "30"


def test_interface_error_is_an_outage_too(client, page):
    with database_down(InterfaceError):
        assert client.get(page).status_code == 503


def test_the_503_page_is_not_cached(client, page):
    with database_down():
        response = client.get(page)
    assert "no-store" in response["Cache-Control"]


def test_json_clients_get_a_json_503(client, page):
    with database_down():
        response = client.get(page, headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.json()["status"] == 503


def test_even_with_debug_on_there_is_no_traceback(client, page):
    with override_settings(DEBUG=True), database_down():
        response = client.get(page)
    assert response.status_code == 503
    assert b"Traceback" not in response.content


def test_outage_met_in_a_middleware_is_a_503(settings, page):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ReadsDatabaseBeforeTheView"]
    with database_down():
        response = Client(raise_request_exception=False).get(page)
    assert response.status_code == 503


def test_a_bug_is_still_a_500(settings, page):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailsWithABug"]
    response = Client(raise_request_exception=False).get(page)
    assert response.status_code == 500


def test_the_same_client_is_served_again_once_the_database_is_back(client, page):
    with database_down():
        assert client.get(page).status_code == 503
    assert client.get(page).status_code == 200
