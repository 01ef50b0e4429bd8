"""`make bench`: the production stack under load, one table of numbers.

Starts gunicorn with `gunicorn.conf.py` (DJANGO_DEBUG=0, PostgreSQL from DATABASE_URL, Redis
when REDIS_URL is set), seeds the benchmark dataset if it is not there yet, drives every
endpoint with wrk from a second process (cold: cache bypassed, warm: cache hit, 304:
conditional GET) and prints requests/s, p50/p95/p99 latency, SQL queries per request and the
ratio to the liveness endpoint measured in the same run (at its start and end, averaged).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BYPASS_HEADER = "X-Bench-Cache-Bypass"


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


def manage(env, *args, quiet=False):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL if quiet else None)


def prepare_database(env) -> None:
    """Create the database if needed, migrate, collect static files, load the curated data."""
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", os.environ["DATABASE_URL"].rsplit("/", 1)[1]],
                   capture_output=True, check=False)
    manage(env, "migrate", "--noinput", quiet=True)
    manage(env, "collectstatic", "--noinput", quiet=True)
    manage(env, "load_curated", quiet=True)


@contextlib.contextmanager
def gunicorn(env, port: int):
    """The production server with the project's config; yields its master process once /healthz answers."""
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi:application"],
        cwd=BASE_DIR, env=env, start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                if fetch(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> dict:
    env = dict(os.environ, WRK_HEADERS="|".join(f"{k}: {v}" for k, v in headers.items()))
    result = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(BASE_DIR / "bench" / "report.lua"), url],
        env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def count_queries(paths: list[str], env: dict[str, str]) -> dict[str, int]:
    """SQL queries per request, measured in a separate process on the same database, cache bypassed."""
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        f"headers = {{'HTTP_{BYPASS_HEADER.upper().replace('-', '_')}': '1'}}\n"
        "out = {}\n"
        "for path in json.loads(sys.argv[1]):\n"
        "    client.get(path, **headers)\n"
        "    with CaptureQueriesContext(connection) as queries:\n"
        "        client.get(path, **headers)\n"
        "    out[path] = len(queries)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", script, json.dumps(paths)], cwd=BASE_DIR, capture_output=True, text=True, check=True,
        env=dict(env, DJANGO_SETTINGS_MODULE="portal.settings"),
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


ENDPOINTS = [
    # (label, path); {therapy} and {zh_word} are filled in from the dataset.
    ("liveness /healthz", "/healthz"),
    ("API therapy list (50)", "/api/v1/therapies/?page_size=50"),
    ("API therapy detail", "/api/v1/therapies/{therapy}/"),
    ("API policies CN 2021", "/api/v1/policies/?jurisdiction=CN&issued_after=2021-01-01&issued_before=2021-12-31"),
    ("HTML home", "/en/"),
    ("HTML policy list", "/en/policies/"),
    ("HTML therapy detail", "/en/therapies/{therapy}/"),
    # Selective: a few curated items match. Common: a word in most of the synthetic items.
    ("search English selective", "/en/search/?q=tisagenlecleucel"),
    ("search Chinese 2 chars selective", "/zh-hans/search/?q=%E8%A7%92%E8%86%9C"),  # 角膜
    ("search English common", "/en/search/?q=osteoarthritis"),
    ("search Chinese 2 chars common", "/zh-hans/search/?q=%E5%85%8D%E7%96%AB"),  # 免疫
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--therapies", type=int, default=20000)
    parser.add_argument("--policies", type=int, default=100000)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "8")))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, default=BASE_DIR / "bench-results" / "latest.json")
    parser.add_argument("--only", action="append", default=[], metavar="WORD",
                        help="measure only endpoints whose label contains WORD (liveness is always measured)")
    args = parser.parse_args()
    endpoints = [(label, path) for label, path in ENDPOINTS
                 if label.startswith("liveness") or not args.only or any(word in label for word in args.only)]

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make bench needs DATABASE_URL pointing at PostgreSQL, e.g. "
              "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench make bench", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("make bench needs wrk: apt-get install wrk", file=sys.stderr)
        return 2

    env = bench_environment(args.port)
    prepare_database(env)
    seeded = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from therapies.models import Therapy; from policies.models import PolicyDocument;"
         "print(Therapy.objects.filter(slug__startswith='demo-').count(),"
         " PolicyDocument.objects.filter(slug__startswith='demo-').count())"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()[-2:]
    if [int(n) for n in seeded] != [args.therapies, args.policies]:
        print(f"Seeding {args.therapies} therapies and {args.policies} policies ...", flush=True)
        manage(env, "seed_demo", "--therapies", str(args.therapies), "--policies", str(args.policies))
    therapy = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from django.db import connection; connection.cursor().execute('ANALYZE');"
         "from therapies.models import Therapy;"
         "print(Therapy.objects.published().filter(slug__startswith='demo-', approvals__isnull=False)"
         ".order_by('pk').values_list('slug', flat=True)[500])"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()[-1]
    base = f"http://127.0.0.1:{args.port}"
    with gunicorn(env, args.port) as server:
        rows = []
        paths = [path.format(therapy=therapy) for _, path in endpoints]
        queries = count_queries(paths, env)
        # Every worker imports lazily and prepares its statements on first use: let that
        # happen before anything is measured, liveness included.
        for path in paths:
            wrk(base + path, 1, args.connections, {BYPASS_HEADER: "1"})
        for (label, _), path in zip(endpoints, paths, strict=True):
            url = base + path
            status, headers = fetch(url, {BYPASS_HEADER: "1"})
            if status != 200:
                print(f"{label}: {path} answered {status}; skipped", file=sys.stderr)
                continue
            cold = wrk(url, args.seconds, args.connections, {BYPASS_HEADER: "1"})
            fetch(url)  # prime the shared cache
            warm = wrk(url, args.seconds, args.connections, {})
            row = {"label": label, "path": path, "queries": queries.get(path), "cold": cold, "warm": warm}
            etag = fetch(url)[1].get("ETag")
            if etag:
                row["revalidate"] = wrk(url, args.seconds, args.connections, {"If-None-Match": etag})
            rows.append(row)
        # The floor again at the end: the box's speed drifts over a run of many minutes, so
        # ratios are taken to the mean of the two.
        rows.append({"label": "liveness /healthz (end)", "path": "/healthz", "queries": 0,
                     "cold": wrk(base + "/healthz", args.seconds, args.connections, {})})
        memory = worker_memory_mb(server.pid)

    liveness = [row["cold"]["rps"] for row in rows if row["label"].startswith("liveness")]
    floor = sum(liveness) / len(liveness) if liveness else None
    print_table(rows, floor, memory, args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"rows": rows, "memory_mb": memory, "machine": machine(), "args": {
        "therapies": args.therapies, "policies": args.policies, "seconds": args.seconds,
        "connections": args.connections}}, indent=2))
    return 0


def machine() -> str:
    return f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def print_table(rows, floor, memory, args) -> None:
    print(f"\n{machine()}; {args.therapies} therapies, {args.policies} policies; "
          f"wrk {args.connections} connections x {args.seconds} s per cell; {time.strftime('%Y-%m-%d %H:%M')}")
    header = (f"{'endpoint':34} {'mode':10} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'SQL':>4} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for row in rows:
        for mode in ("cold", "warm", "revalidate"):
            cell = row.get(mode)
            if not cell:
                continue
            ratio = f"{cell['rps'] / floor:.2f}" if floor else "-"
            sql = str(row["queries"]) if mode == "cold" and row["queries"] is not None else ""
            errors = f"  ({cell['errors']} errors)" if cell["errors"] else ""
            print(f"{row['label']:34} {mode:10} {cell['rps']:9.1f} {cell['p50']:8.2f} {cell['p95']:8.2f} "
                  f"{cell['p99']:8.2f} {sql:>4} {ratio:>6}{errors}")
    if memory:
        print(f"\ngunicorn worker RSS after the run: {', '.join(f'{m:.0f}' for m in memory)} MB")


if __name__ == "__main__":
    sys.exit(main())
