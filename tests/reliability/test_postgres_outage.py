"""A real PostgreSQL outage and recovery, seen by a real server process (PostgreSQL only).

The shared PostgreSQL server cannot be stopped under other test runs, so the outage is made
between the app and the database: gunicorn reaches PostgreSQL through a TCP relay in this
process, and stopping the relay cuts every connection exactly as a crashed or restarted
server does. The second test kills the server's sessions inside PostgreSQL with
`pg_terminate_backend`. Either way the same gunicorn worker must answer 503 while the
database is gone and 200 on the very first request after it returns (CONN_HEALTH_CHECKS).
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import TherapyCategoryFactory
from tests.reliability.helpers import closed_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="needs DATABASE_URL pointing at PostgreSQL"),
]

APPLICATION_NAME = "portal-outage-test"
ROOT = Path(__file__).resolve().parents[2]


class Relay:
    """A TCP relay from a local port to PostgreSQL that can be cut and restored."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, closed_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut the open ones."""
        # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our own local server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def relay():
    settings_dict = connection.settings_dict
    relay = Relay((settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)))
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture
def server(relay):
    """One gunicorn worker (so every request meets the same connection) on the test database."""
    db = connection.settings_dict
    port = closed_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{relay.port}/{db['NAME']}"
                        f"?application_name={APPLICATION_NAME}&connect_timeout=2",
        "DJANGO_CONN_MAX_AGE": "600",
        # No cache at all, so every page really reads the database.
        "CACHE_URL": "dummycache://",
    }
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            get(f"{base}/healthz")
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def page():
    TherapyCategoryFactory()
    return "/en/"


def test_database_lost_then_back_same_process_recovers(relay, server, page):
    assert get(server + page)[0] == 200  # the worker now holds a persistent connection

    relay.stop()
    status, body = get(server + page)
    assert status == 503 and b"We will be back shortly" in body
    status, body = get(server + "/readyz")
    assert status == 503 and b'"database": "down"' in body
    assert get(server + "/healthz")[0] == 200

    relay.start()
    assert get(server + page)[0] == 200  # the very first request after recovery


def test_killed_sessions_are_replaced_without_a_failed_request(server, page):
    assert get(server + page)[0] == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
            [APPLICATION_NAME],
        )
        assert cursor.fetchone()[0] >= 1
    assert get(server + page)[0] == 200
