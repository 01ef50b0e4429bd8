"""`make bench`: the production stack under load, one table of numbers.

Starts gunicorn with `gunicorn.conf.py` (DJANGO_DEBUG=0, PostgreSQL from DATABASE_URL, Redis
when REDIS_URL is set), seeds the benchmark dataset if it is not there yet, drives every
endpoint with wrk from a second process (cold: cache bypassed, warm: cache hit, 304:
conditional GET) and prints requests/s, p50/p95/p99 latency, SQL queries per request, the
workers' CPU per request and the ratio to the liveness endpoint measured in the same run (at
its start and end, averaged).

With `--baseline REF` (`make bench BASELINE=REF`) it also serves REF from a temporary work tree
(bench/baseline.py) on the same database, and measures both servers in alternating rounds
(new, old, old, new, ...) so that the machine's drift hits both alike; the table gives each
figure for both and the ratio new/old.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from baseline import BaselineRefused, baseline_tree, own_cache
from stack import (
    BASE_DIR,
    BYPASS_HEADER,
    PYTHON,
    bench_environment,
    count_queries,
    fetch,
    gunicorn,
    manage,
    prepare_database,
    worker_memory_mb,
    wrk,
    wrk_with_cpu,
)
from tables import MODES, machine, print_comparison, print_table

ENDPOINTS = [
    # (label, path); {therapy} is filled in from the dataset.
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


@dataclass(frozen=True)
class Server:
    """One running tree: `base` is its URL, `pid` its gunicorn master."""

    base: str
    pid: int


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--therapies", type=int, default=20000)
    parser.add_argument("--policies", type=int, default=100000)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "8")),
                        help="wrk seconds per cell (with --baseline: per cell and tree, split over the rounds)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765, help="the current tree's port; a baseline's is the next")
    parser.add_argument("--json", type=Path, default=None,
                        help="where to write the results (bench-results/latest.json, or baseline-<commit>.json)")
    parser.add_argument("--only", action="append", default=[], metavar="WORD",
                        help="measure only endpoints whose label contains WORD (liveness is always measured)")
    parser.add_argument("--baseline", metavar="REF", default=None,
                        help="a git ref to serve beside the current tree and measure against it")
    parser.add_argument("--keep-content", action="store_true",
                        help="migrate the database but do not load data/: compare both trees on the same content, "
                             "e.g. a copy of the baseline's database migrated forward")
    parser.add_argument("--rounds", type=int, default=4,
                        help="with --baseline: alternating rounds per cell (new, old, old, new, new, old, ...)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make bench needs DATABASE_URL pointing at PostgreSQL, e.g. "
              "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench make bench", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("make bench needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    # `kill` or make's interruption ends the run through the `finally` blocks that stop the
    # servers and remove the baseline's work tree.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    endpoints = [(label, path) for label, path in ENDPOINTS
                 if label.startswith("liveness") or not args.only or any(word in label for word in args.only)]
    env = bench_environment(args.port)
    prepare_database(env, load=not args.keep_content)
    seed(env, args)
    therapy = django_shell(env, "from django.db import connection; connection.cursor().execute('ANALYZE');"
                                "from therapies.models import Therapy;"
                                "print(Therapy.objects.published().filter(slug__startswith='demo-',"
                                " approvals__isnull=False).order_by('pk').values_list('slug', flat=True)[500])")[-1]
    endpoints = [(label, path.format(therapy=therapy)) for label, path in endpoints]
    if args.baseline:
        try:
            return compare(args, env, endpoints)
        except BaselineRefused as refusal:
            print(f"make bench BASELINE={args.baseline}: {refusal}", file=sys.stderr)
            return 2
    return single(args, env, endpoints)


def django_shell(env, code: str, tree: Path = BASE_DIR, python: str = PYTHON) -> list[str]:
    """The words `manage.py shell -c code` printed, in `tree` (the current one by default)."""
    return subprocess.run([python, "manage.py", "shell", "-c", code], cwd=tree, env=env,
                          capture_output=True, text=True, check=True).stdout.split()


def seed(env, args, tree: Path = BASE_DIR, python: str = PYTHON) -> None:
    """Seed the synthetic set with `tree`'s code, unless the database holds it at this size."""
    seeded = django_shell(env, "from therapies.models import Therapy; from policies.models import PolicyDocument;"
                               "print(Therapy.objects.filter(slug__startswith='demo-').count(),"
                               " PolicyDocument.objects.filter(slug__startswith='demo-').count())",
                          tree=tree, python=python)[-2:]
    if [int(n) for n in seeded] != [args.therapies, args.policies]:
        print(f"Seeding {args.therapies} therapies and {args.policies} policies ({tree.name}) ...", flush=True)
        manage(env, "seed_demo", "--therapies", str(args.therapies), "--policies", str(args.policies),
               tree=tree, python=python)


def warm_up(server: Server, endpoints, args) -> None:
    # Every worker imports lazily and prepares its statements on first use: let that
    # happen before anything is measured, liveness included.
    for _label, path in endpoints:
        wrk(server.base + path, 1, args.connections, {BYPASS_HEADER: "1"})


def modes(server: Server, label: str, path: str) -> dict[str, dict[str, str]] | None:
    """Request headers for each mode of one endpoint (the cache primed), or None if it fails."""
    url = server.base + path
    status, _headers = fetch(url, {BYPASS_HEADER: "1"})
    if status != 200:
        print(f"{label}: {server.base}{path} answered {status}; skipped", file=sys.stderr)
        return None
    fetch(url)  # prime the shared cache
    found = {"cold": {BYPASS_HEADER: "1"}, "warm": {}}
    etag = fetch(url)[1].get("ETag")
    if etag:
        found["revalidate"] = {"If-None-Match": etag}
    return found


def single(args, env, endpoints) -> int:
    with gunicorn(env, args.port) as master:
        server = Server(f"http://127.0.0.1:{args.port}", master.pid)
        queries = count_queries([path for _label, path in endpoints], env)
        warm_up(server, endpoints, args)
        rows = []
        for label, path in endpoints:
            headers = modes(server, label, path)
            if headers is None:
                continue
            row = {"label": label, "path": path, "queries": queries.get(path)}
            for mode, mode_headers in headers.items():
                row[mode] = wrk_with_cpu(server.pid, server.base + path, args.seconds, args.connections, mode_headers)
            rows.append(row)
        # The floor again at the end: the box's speed drifts over a run of many minutes, so
        # ratios are taken to the mean of the two.
        rows.append({"label": "liveness /healthz (end)", "path": "/healthz", "queries": 0,
                     "cold": wrk_with_cpu(server.pid, server.base + "/healthz", args.seconds, args.connections, {})})
        memory = worker_memory_mb(server.pid)

    liveness = [row["cold"]["rps"] for row in rows if row["label"].startswith("liveness")]
    floor = sum(liveness) / len(liveness) if liveness else None
    print_table(rows, floor, memory, args)
    write_json(args.json or BASE_DIR / "bench-results" / "latest.json", {"rows": rows, "memory_mb": memory}, args)
    return 0


def compare(args, env, endpoints) -> int:
    """Serve the baseline beside the current tree and measure both, interleaved, row by row."""
    port = args.port + 1
    own_database = os.environ.get("BASELINE_DATABASE_URL")
    with baseline_tree(args.baseline, shared_database=not own_database) as baseline:
        old_env = own_cache(bench_environment(port))
        print(f"Baseline {args.baseline} ({baseline.commit[:10]}) in {baseline.tree}, "
              f"{'its own virtualenv' if baseline.own_virtualenv else 'the current virtualenv (same requirements)'}",
              flush=True)
        if own_database:
            # A baseline whose schema differs (columns the current tree removed) gets a database
            # of its own, prepared and seeded by its own code with the same plan and seed.
            old_env["DATABASE_URL"] = own_database
            prepare_database(old_env, tree=baseline.tree, python=baseline.python)
            seed(old_env, args, tree=baseline.tree, python=baseline.python)
            django_shell(old_env, "from django.db import connection; connection.cursor().execute('ANALYZE')",
                         tree=baseline.tree, python=baseline.python)
        manage(old_env, "collectstatic", "--noinput", quiet=True, tree=baseline.tree, python=baseline.python)
        paths = [path for _label, path in endpoints]
        queries = {"new": count_queries(paths, env),
                   "old": count_queries(paths, old_env, tree=baseline.tree, python=baseline.python)}
        with (gunicorn(env, args.port) as new_master,
              gunicorn(old_env, port, tree=baseline.tree, python=baseline.python) as old_master):
            servers = {"new": Server(f"http://127.0.0.1:{args.port}", new_master.pid),
                       "old": Server(f"http://127.0.0.1:{port}", old_master.pid)}
            for server in servers.values():
                warm_up(server, endpoints, args)
            rows = [compare_row(servers, label, path, queries, args) for label, path in endpoints]
            rows.append(compare_row(servers, "liveness /healthz (end)", "/healthz", queries, args, only=("cold",)))
            memory = {name: worker_memory_mb(server.pid) for name, server in servers.items()}
    rows = [row for row in rows if row]
    print_comparison(rows, baseline, memory, args)
    write_json(args.json or BASE_DIR / "bench-results" / f"baseline-{baseline.commit[:10]}.json",
               {"baseline": {"ref": baseline.ref, "commit": baseline.commit}, "rows": rows, "memory_mb": memory}, args)
    return 0


def compare_row(servers: dict[str, Server], label: str, path: str, queries, args, only=MODES) -> dict | None:
    headers = {name: modes(server, label, path) for name, server in servers.items()}
    if None in headers.values():
        return None
    row = {"label": label, "path": path, "queries": {name: found.get(path) for name, found in queries.items()}}
    for mode in only:
        if all(mode in found for found in headers.values()):
            row[mode] = interleaved(servers, path, {name: found[mode] for name, found in headers.items()}, args)
    return row


def interleaved(servers: dict[str, Server], path: str, headers: dict[str, dict], args) -> dict[str, dict]:
    """Each server's figures for one cell, measured in rounds whose order alternates (new, old,
    then old, new), so a drift in the machine's speed over the cell falls on both alike."""
    seconds = max(1, args.seconds // args.rounds)
    cells = {name: [] for name in servers}
    for round_ in range(args.rounds):
        order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
        for name in order:
            cells[name].append(wrk_with_cpu(servers[name].pid, servers[name].base + path, seconds, args.connections,
                                            headers[name]))
    return {name: merge(found) for name, found in cells.items()}


def merge(cells: list[dict]) -> dict:
    """Rounds of equal length as one cell: mean rates and percentiles, summed counts, CPU per request."""
    requests = sum(cell["requests"] for cell in cells)
    cpu = [(cell["cpu_ms"], cell["requests"]) for cell in cells if cell.get("cpu_ms") is not None]
    merged = {key: round(sum(cell[key] for cell in cells) / len(cells), 2) for key in ("rps", "p50", "p95", "p99")}
    merged |= {key: sum(cell[key] for cell in cells) for key in ("requests", "errors", "non2xx")}
    merged["cpu_ms"] = round(sum(ms * n for ms, n in cpu) / requests, 3) if cpu and requests else None
    return merged


def write_json(path: Path, results: dict, args) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**results, "machine": machine(), "args": {
        "therapies": args.therapies, "policies": args.policies, "seconds": args.seconds,
        "connections": args.connections, "rounds": args.rounds if args.baseline else None}}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
