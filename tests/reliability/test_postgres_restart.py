"""A real PostgreSQL restart under a real server process: reads wait for it, writes get the 503.

The shared PostgreSQL server is never stopped: the test starts a private cluster of its own
(initdb into a temporary folder, `pg_ctl` on a free port), copies the test database into it
with pg_dump, and stops and starts that one. Skipped without the PostgreSQL server binaries.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import TherapyCategoryFactory
from tests.reliability.helpers import closed_port

ROOT = Path(__file__).resolve().parents[2]


def postgres_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent  # a link in /usr/local/bin leads to the real folder
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


BINDIR = postgres_bindir()

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="needs DATABASE_URL pointing at PostgreSQL (the data is copied from it)"),
    pytest.mark.skipif(BINDIR is None, reason="needs the PostgreSQL server binaries (initdb, pg_ctl)"),
]


class PrivateCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:<free port>, trust authentication."""

    def __init__(self):
        self.port = closed_port()
        self.folder = Path(tempfile.mkdtemp(prefix="portal-pg-restart-"))
        self.data = self.folder / "data"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        # PostgreSQL refuses to run as root: as root, run it as the postgres user.
        command = [str(BINDIR / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)  # noqa: S603 - fixed

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - our own local server
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture
def cluster():
    cluster = PrivateCluster()
    try:
        cluster.create()
        cluster.start()
    except (subprocess.CalledProcessError, OSError) as error:
        cluster.remove()
        pytest.skip(f"cannot start a private PostgreSQL cluster: {error}")
    yield cluster
    cluster.remove()


@pytest.fixture
def server(cluster):
    """One gunicorn worker with two threads on a copy of the test database in the private cluster."""
    TherapyCategoryFactory()  # committed (transactional test), so the copy has a page to render
    db = connection.settings_dict
    dump = subprocess.run(  # noqa: S603 - fixed arguments
        [str(BINDIR / "pg_dump"), "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
         "-U", db["USER"], "--no-owner", db["NAME"]],
        check=True, capture_output=True,
    )
    subprocess.run([str(BINDIR / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",  # noqa: S603
                    "portal"], check=True)
    subprocess.run([str(BINDIR / "psql"), "-q", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",  # noqa: S603
                    "-d", "portal", "-v", "ON_ERROR_STOP=1"], input=dump.stdout, check=True, capture_output=True)
    port = closed_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/portal?connect_timeout=2",
        "DJANGO_CONN_MAX_AGE": "600",
        "CACHE_URL": "dummycache://",  # every page really reads the database
        "API_LOGIN_THROTTLE_RATE": "off",
    }
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "2", "--timeout", "60", "--log-level", "critical"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        with contextlib.suppress(OSError):
            get(f"{base}/healthz")
            break
        time.sleep(0.1)
    assert get(base + "/en/")[0] == 200  # the worker now holds a persistent connection
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_a_read_during_a_restart_is_answered_once_postgres_is_back(cluster, server):
    cluster.stop()
    answer = {}
    reader = threading.Thread(target=lambda: answer.update(result=get(server + "/en/")))
    started = time.monotonic()
    reader.start()
    time.sleep(1.5)  # the read meets the stopped server and waits
    cluster.start()
    reader.join(timeout=20)
    assert answer["result"][0] == 200
    assert time.monotonic() - started >= 1.5


def test_a_write_during_the_outage_gets_the_503_at_once(cluster, server):
    cluster.stop()
    started = time.monotonic()
    status, headers = get(server + "/api/v1/auth/token/", data=b'{"username": "editor", "password": "x"}')
    assert (status, headers["Retry-After"]) == (503, "30")
    assert time.monotonic() - started < 2  # no reconnect wait for writes
