"""`make loadtest`: 64 concurrent connections over a mix of pages and API calls, with or without a fault.

Without a fault: 60 s on the production stack exactly as `make bench` runs it (DATABASE_URL,
REDIS_URL), failing (exit 1) on any socket error or any status outside 2xx/3xx.

With `--fault redis-stall|pg-restart|worker-kill` (repeatable, or `all`): the same stack on a
private PostgreSQL cluster and a private redis-server this script starts and removes, never the
shared ones. Each fault gets a fresh gunicorn and a 30 s run in which one request in four skips
the page cache (so the faults meet real queries), is applied a third of the way in, and the run
prints its failed requests (socket errors plus statuses outside 2xx/3xx), 503s and socket
errors; exit 1 if any request failed. The results belong in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from stack import (
    BASE_DIR,
    BYPASS_HEADER,
    PrivateCluster,
    bench_environment,
    fetch,
    gunicorn,
    postgres_bindir,
    prepare_database,
    private_redis,
    worker_pids,
)

PATHS = [
    "/healthz", "/en/", "/zh-hans/", "/en/therapies/", "/en/therapies/kymriah/", "/zh-hans/therapies/kymriah/",
    "/en/policies/", "/en/policies/?jurisdiction=CN", "/en/conditions/knee-osteoarthritis/",
    "/en/search/?q=osteoarthritis", "/zh-hans/search/?q=%E5%B9%B2%E7%BB%86%E8%83%9E",
    "/api/v1/", "/api/v1/therapies/?page_size=50", "/api/v1/therapies/kymriah/",
    "/api/v1/policies/?jurisdiction=CN", "/api/v1/molecules/igf1/", "/en/mechanisms/paracrine-signalling/",
]
PORT = 8766
# How long the Redis stall and the PostgreSQL outage last (the security probe's restart took 3.5 s).
REDIS_STALL_SECONDS = 3.0
PG_DOWN_SECONDS = float(os.environ.get("LOAD_PG_DOWN_SECONDS", "3"))
# In the fault runs every n-th request skips the page cache, so the faults meet real queries
# (the 17 paths are otherwise all cache hits once warm, and a database outage would go unseen).
FAULT_BYPASS_EVERY = int(os.environ.get("LOAD_BYPASS_EVERY", "4"))


def stall_redis(stack) -> str:
    stack.redis.send_signal(signal.SIGSTOP)
    time.sleep(REDIS_STALL_SECONDS)
    stack.redis.send_signal(signal.SIGCONT)
    return f"redis-server SIGSTOP, {REDIS_STALL_SECONDS:g} s, SIGCONT"


def restart_postgres(stack) -> str:
    """Stop (fast shutdown: sessions are cut), stay down a while, start: a restart as slow as a real one."""
    started = time.monotonic()
    if PG_DOWN_SECONDS <= 0:
        stack.cluster.pg_ctl("-m", "fast", "-w", "restart")
        return f"pg_ctl restart -m fast, {time.monotonic() - started:.1f} s without a database"
    stack.cluster.pg_ctl("-m", "fast", "-w", "stop")
    time.sleep(PG_DOWN_SECONDS)
    stack.cluster.start()
    return (f"pg_ctl stop -m fast, {PG_DOWN_SECONDS:g} s down, pg_ctl start: "
            f"{time.monotonic() - started:.1f} s without a database")


def kill_worker(stack) -> str:
    workers = worker_pids(stack.master.pid)
    os.kill(workers[0], signal.SIGKILL)
    return f"SIGKILL 1 of {len(workers)} gunicorn workers"


FAULTS = {"redis-stall": stall_redis, "pg-restart": restart_postgres, "worker-kill": kill_worker}


class Stack:
    """What a fault acts on: the private Redis and PostgreSQL, and gunicorn's master."""

    def __init__(self, redis, cluster):
        self.redis, self.cluster, self.master = redis, cluster, None


def environment(connections_env: dict[str, str]) -> dict[str, str]:
    env = bench_environment(PORT)
    env["GUNICORN_WORKERS"] = os.environ.get("GUNICORN_WORKERS", "4")
    env["GUNICORN_THREADS"] = os.environ.get("GUNICORN_THREADS", "4")
    env.update(connections_env)
    return env


def start_wrk(base: str, connections: int, seconds: int, bypass_every: int = 0) -> subprocess.Popen:
    env = dict(os.environ, WRK_PATHS="|".join(PATHS))
    if bypass_every:
        env["WRK_BYPASS"] = f"{BYPASS_HEADER}:{bypass_every}"
    return subprocess.Popen(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(BASE_DIR / "bench" / "mixed.lua"), base],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wrk_summary(process: subprocess.Popen) -> dict:
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed: {stderr}")
    return json.loads(stdout.strip().splitlines()[-1])


def paths_not_answering(base: str) -> list[tuple[str, int]]:
    return [(path, status) for path in PATHS if (status := fetch(base + path)[0]) != 200]


def failed(summary: dict) -> int:
    return summary["socket_errors"] + summary["non2xx3xx"]


def provenance(tree: Path) -> str:
    """What was served (the commit, or the exported tree) and how busy the machine was."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True)
    if commit.returncode != 0:
        return f"tree {tree} (not a git checkout), {os.cpu_count()} cores, load average {load}"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=tree,
                           capture_output=True, text=True)
    return (f"commit {commit.stdout.strip()}{' + uncommitted changes' if dirty.stdout.strip() else ''}, "
            f"{os.cpu_count()} cores, load average {load}")


def plain_run(connections: int, seconds: int) -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make loadtest needs DATABASE_URL pointing at PostgreSQL", file=sys.stderr)
        return 2
    env = environment({})
    prepare_database(env)
    base = f"http://127.0.0.1:{PORT}"
    with gunicorn(env, PORT):
        if broken := paths_not_answering(base):
            print(f"paths not answering 200 before the run: {broken}", file=sys.stderr)
            return 1
        summary = wrk_summary(start_wrk(base, connections, seconds))
    print(f"{connections} connections x {seconds} s over {len(PATHS)} paths (pages and API, anonymous): "
          f"{summary['requests']} requests, {summary['rps']} req/s, p50 {summary['p50']} ms, "
          f"p99 {summary['p99']} ms, socket errors {summary['socket_errors']}, "
          f"non-2xx/3xx {summary['non2xx3xx']}")
    return 0 if failed(summary) == 0 else 1


def fault_runs(faults: list[str], connections: int, seconds: int, tree: Path) -> int:
    bindir = postgres_bindir()
    if bindir is None:
        print("the fault runs need the PostgreSQL server binaries (initdb, pg_ctl)", file=sys.stderr)
        return 2
    print(provenance(tree))
    rows = []
    with PrivateCluster(bindir) as cluster, private_redis() as (redis, redis_url):
        env = environment({"DATABASE_URL": cluster.url("portal_loadfault"), "REDIS_URL": redis_url,
                           "CACHE_URL": redis_url})
        print(f"private PostgreSQL on port {cluster.port}, private Redis at {redis_url}: migrating and loading")
        prepare_database(env, tree=tree)
        stack = Stack(redis, cluster)
        base = f"http://127.0.0.1:{PORT}"
        for name in faults:
            with gunicorn(env, PORT, tree=tree) as master:
                stack.master = master
                if broken := paths_not_answering(base):
                    print(f"paths not answering 200 before the run: {broken}", file=sys.stderr)
                    return 1
                load = start_wrk(base, connections, seconds, FAULT_BYPASS_EVERY)
                time.sleep(seconds / 3)
                what = FAULTS[name](stack)
                summary = wrk_summary(load)
            rows.append((name, what, summary))
            print(f"{name}: {what}; {summary['requests']} requests, failed {failed(summary)} "
                  f"(503: {summary['s503']}, other 5xx: {summary['s5xx_other']}, socket errors: "
                  f"{summary['socket_errors']} = connect {summary['connect']} read {summary['read']} "
                  f"write {summary['write']} timeout {summary['timeout']}), p99 {summary['p99']} ms, "
                  f"max {summary['max']} ms", flush=True)
    workers = f"{env['GUNICORN_WORKERS']} workers x {env['GUNICORN_THREADS']} threads"
    print(f"\n{workers}, {connections} connections x {seconds} s each, 1 request in {FAULT_BYPASS_EVERY} "
          f"past the page cache, fault a third of the way in; {provenance(tree)}")
    print("| Fault | Done | Requests | Failed | 503 | Other 5xx | Socket errors | p99 | max |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, what, summary in rows:
        print(f"| {name} | {what} | {summary['requests']} | {failed(summary)} | {summary['s503']} | "
              f"{summary['s5xx_other']} | {summary['socket_errors']} | {summary['p99']} ms | {summary['max']} ms |")
    return 0 if all(failed(summary) == 0 for _name, _what, summary in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fault", action="append", choices=[*FAULTS, "all"],
                        help="apply this fault mid-run, on a private PostgreSQL and Redis (repeatable)")
    parser.add_argument("--tree", type=Path, default=BASE_DIR,
                        help="serve this source tree (a clean export, say) in the fault runs; default: this one")
    args = parser.parse_args()
    connections = int(os.environ.get("LOAD_CONNECTIONS", "64"))
    if not args.fault:
        return plain_run(connections, int(os.environ.get("LOAD_SECONDS", "60")))
    faults = list(FAULTS) if "all" in args.fault else list(dict.fromkeys(args.fault))
    return fault_runs(faults, connections, int(os.environ.get("LOAD_SECONDS", "30")), args.tree.resolve())


if __name__ == "__main__":
    sys.exit(main())
