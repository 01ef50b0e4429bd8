"""The production stack `make bench`, `make profile` and `make loadtest` drive: its environment,
gunicorn serving a source tree, wrk, and what the benchmark reads from /proc.

Every function takes the source tree it works on (`tree`, the current one by default), so a
baseline checked out elsewhere (bench/baseline.py) is served exactly like the current tree.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BYPASS_HEADER = "X-Bench-Cache-Bypass"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def bench_environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        # Lets the benchmark ask for a cold (uncached) response; unset in production.
        "PAGE_CACHE_BYPASS_HEADER": BYPASS_HEADER,
        # One client address makes all the load: a per-address limit would measure 429s.
        "API_ANON_THROTTLE_RATE": "off",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
    })
    return env


def manage(env, *args, quiet=False, tree: Path = BASE_DIR, python: str = PYTHON):
    subprocess.run([python, "manage.py", *args], cwd=tree, env=env, check=True,
                   stdout=subprocess.DEVNULL if quiet else None)


def prepare_database(env, tree: Path = BASE_DIR, python: str = PYTHON, load: bool = True) -> None:
    """Create the database if needed, migrate, collect static files, load the curated data
    (with `tree`'s code and data: a baseline on a database of its own prepares it itself);
    `load=False` keeps the content the database already holds."""
    url = urllib.parse.urlsplit(env["DATABASE_URL"])
    subprocess.run(["createdb", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432),
                    "-U", url.username or "postgres", url.path.lstrip("/")],
                   capture_output=True, check=False)
    manage(env, "migrate", "--noinput", quiet=True, tree=tree, python=python)
    manage(env, "collectstatic", "--noinput", quiet=True, tree=tree, python=python)
    if load:
        manage(env, "load_curated", quiet=True, tree=tree, python=python)


@contextlib.contextmanager
def gunicorn(env, port: int, tree: Path = BASE_DIR, python: str = PYTHON):
    """The production server for `tree`, always with the current tree's `gunicorn.conf.py`
    (so a comparison differs in the code only); yields its master process once /healthz answers."""
    server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "-c", str(BASE_DIR / "gunicorn.conf.py"), "portal.wsgi:application"],
        cwd=tree, env=dict(env, PYTHONPATH=str(tree)), start_new_session=True,
    )
    try:
        for _ in range(150):
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn for {tree} exited with {server.returncode}")
            try:
                if fetch(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn for {tree} did not answer /healthz on port {port}")
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


class PrivateCluster:
    """A throwaway PostgreSQL cluster of our own (initdb into a temporary folder, trust
    authentication, 127.0.0.1:<free port>), for faults no shared server may suffer."""

    def __init__(self, bindir: Path):
        self.bindir, self.port = bindir, free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="portal-loadfault-pg-"))
        self.data = self.folder / "data"
        # Always given: without them pg_ctl start would reach for the default port and socket.
        self.options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}?connect_timeout=2"

    def pg_ctl(self, *args: str, check: bool = True) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), *args, check=check)

    def __enter__(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        return self

    def start(self) -> None:
        self.pg_ctl("-o", self.options, "-w", "start")

    def __exit__(self, *exc):
        self.pg_ctl("-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def private_redis():
    """A redis-server of our own on a free port, no persistence; yields (process, URL)."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
                              stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.1)
        yield server, f"redis://127.0.0.1:{port}/0"
    finally:
        server.send_signal(signal.SIGCONT)  # a stall test may have left it stopped
        server.terminate()
        server.wait(timeout=10)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def wrk(url: str, seconds: float, connections: int, headers: dict[str, str]) -> dict:
    env = dict(os.environ, WRK_HEADERS="|".join(f"{k}: {v}" for k, v in headers.items()))
    result = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
         "-s", str(BASE_DIR / "bench" / "report.lua"), url],
        env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def wrk_with_cpu(master_pid: int, url: str, seconds: float, connections: int, headers: dict[str, str]) -> dict:
    """wrk's figures plus `cpu_ms`: CPU time the server's workers spent per request (user +
    system, from /proc), the in-process cost a profile shows, free of wrk's and PostgreSQL's."""
    before = workers_cpu_seconds(master_pid)
    result = wrk(url, seconds, connections, headers)
    after = workers_cpu_seconds(master_pid)
    # A worker recycled during the cell is missing from `after`; one forked during it starts at 0.
    spent = sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())
    result["cpu_ms"] = round(1000 * spent / result["requests"], 3) if result["requests"] else None
    return result


COUNT_QUERIES = f"""
import json, sys, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST='127.0.0.1')
headers = {{'HTTP_{BYPASS_HEADER.upper().replace('-', '_')}': '1'}}
out = {{}}
for path in json.loads(sys.argv[1]):
    client.get(path, **headers)
    with CaptureQueriesContext(connection) as queries:
        client.get(path, **headers)
    out[path] = len(queries)
print(json.dumps(out))
"""


def count_queries(paths: list[str], env: dict[str, str], tree: Path = BASE_DIR, python: str = PYTHON) -> dict:
    """SQL queries per request, measured in a separate process on the same database, cache bypassed."""
    result = subprocess.run(
        [python, "-c", COUNT_QUERIES, json.dumps(paths)], cwd=tree, capture_output=True, text=True, check=True,
        env=dict(env, DJANGO_SETTINGS_MODULE="portal.settings", PYTHONPATH=str(tree)),
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _children(master_pid: int):
    """(pid, /proc status fields) of each gunicorn worker: the master's children."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            yield int(status.parent.name), fields


def worker_pids(master_pid: int) -> list[int]:
    return sorted(pid for pid, _fields in _children(master_pid))


def worker_memory_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker, from /proc."""
    return sorted(int(fields["VmRSS"].split()[0]) / 1024 for _pid, fields in _children(master_pid) if "VmRSS" in fields)


def workers_cpu_seconds(master_pid: int) -> dict[int, float]:
    """User + system CPU seconds of each worker so far (/proc/<pid>/stat fields 14 and 15)."""
    seconds = {}
    for pid in worker_pids(master_pid):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # the command name may hold spaces
        seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return seconds
