"""With the database unreachable, pages and the API answer 503 (friendly page or JSON), never 500;
a read that meets a lost connection is run again once the database answers, within a bounded wait.

The database is made unreachable by replacing the connection's cursor with one that raises
`OperationalError`, as psycopg2 and sqlite3 do when the server or file is gone. The middleware's
clock is a fake one, so a wait of seconds costs none. The real outage, restart and recovery on
PostgreSQL are in test_postgres_outage.py.
"""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, override_settings

from portal.middleware import RECONNECT_WINDOW_SECONDS
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


class FakeClock:
    """Stands in for the `time` module in portal.middleware: sleeping moves the clock on at once."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def database_down(error=OperationalError):
    return mock.patch.object(connection, "cursor", side_effect=error("could not connect to server"))


def database_down_until(clock: FakeClock, seconds: float):
    """The database refuses every cursor until `clock` reaches `seconds`, like a restart."""
    cursor = connection.cursor

    def cursor_or_outage(*args, **kwargs):
        if clock.now < seconds:
            raise OperationalError("server closed the connection unexpectedly")
        return cursor(*args, **kwargs)

    return mock.patch.object(connection, "cursor", side_effect=cursor_or_outage)


def statement_timeout():
    class QueryCanceled(Exception):
        pgcode = "57014"  # what psycopg2 raises at statement_timeout, on a live connection

    error = OperationalError("canceling statement due to statement timeout")
    error.__cause__ = QueryCanceled()
    return error


@pytest.fixture(autouse=True)
def clock():
    clock = FakeClock()
    with mock.patch("portal.middleware.time", clock):
        yield clock


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


def test_a_read_that_meets_a_lost_connection_is_served_on_a_fresh_one(client, page, clock):
    with database_down_until(clock, 0.1):
        response = client.get(page)
    assert response.status_code == 200


def test_a_read_waits_out_a_restart_of_a_few_seconds(client, page, clock):
    with database_down_until(clock, 3.5):
        response = client.get(page)
    assert response.status_code == 200
    assert 3.5 <= clock.now < 4.0  # served within half a second of the database's return


def test_an_api_read_is_retried_too(client, page, clock):
    with database_down_until(clock, 1):
        response = client.get("/api/v1/categories/")
    assert response.status_code == 200


def test_a_read_met_by_a_longer_outage_gets_the_503_after_the_reconnect_window(client, page, clock):
    with database_down():
        response = client.get(page)
    assert response.status_code == 503
    assert clock.now == RECONNECT_WINDOW_SECONDS


def test_further_reads_in_the_same_outage_get_the_503_at_once(client, page, clock):
    with database_down():
        client.get(page)
        waited_until = clock.now
        response = client.get(page)
    assert response.status_code == 503
    assert clock.now == waited_until


def test_a_new_outage_after_a_quiet_spell_gets_a_new_wait(client, page, clock):
    with database_down():
        client.get(page)
    clock.now += 60  # served normally meanwhile
    with database_down_until(clock, clock.now + 2):
        response = client.get(page)
    assert response.status_code == 200


def test_a_write_gets_the_503_at_once_and_is_not_replayed(client, page, clock):
    with database_down_until(clock, 0.1) as cursor:
        response = client.post("/api/v1/auth/token/", {"username": "editor", "password": "x"},
                               content_type="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert clock.now == 0
    assert cursor.call_count == 1


def test_a_statement_timeout_is_not_run_again(client, page, clock):
    with mock.patch.object(connection, "cursor", side_effect=statement_timeout()) as cursor:
        response = client.get(page)
    assert response.status_code == 503
    assert (clock.now, cursor.call_count) == (0, 1)


def test_a_read_whose_middleware_met_the_outage_is_retried_too(settings, page, clock):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ReadsDatabaseBeforeTheView"]
    with database_down_until(clock, 1):
        response = Client(raise_request_exception=False).get(page)
    assert response.status_code == 200
