"""`make profile PROFILE_PATH=/api/v1/therapies/kymriah/`: where a cold request spends its time.

Runs the production stack as `make bench` does, with one gunicorn worker, drives the path
with wrk (page cache bypassed) while py-spy samples the worker, and prints the functions
that hold the most samples, inclusive and on their own. Needs py-spy (requirements-dev.txt)
and the benchmark database.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from stack import BYPASS_HEADER, PYTHON, bench_environment, gunicorn, prepare_database, worker_pids, wrk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default=os.environ.get("PROFILE_PATH", "/api/v1/therapies/kymriah/"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make profile needs DATABASE_URL pointing at the benchmark's PostgreSQL", file=sys.stderr)
        return 2

    env = bench_environment(args.port)
    env["GUNICORN_WORKERS"] = "1"
    prepare_database(env)
    url = f"http://127.0.0.1:{args.port}{args.path}"
    with gunicorn(env, args.port) as server, tempfile.TemporaryDirectory() as folder:
        wrk(url, 2, 2, {BYPASS_HEADER: "1"})  # imports, prepared statements, connections
        (worker,) = worker_pids(server.pid)
        samples = Path(folder) / "samples.txt"
        spy = subprocess.Popen([str(Path(PYTHON).parent / "py-spy"), "record", "--format", "raw", "--rate", "500",
                                "--duration", str(args.seconds), "--pid", str(worker), "--output", str(samples)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result = wrk(url, args.seconds, 2, {BYPASS_HEADER: "1"})
        spy.wait(timeout=args.seconds + 30)
        stacks = samples.read_text().splitlines()
    print(f"{args.path}: {result['rps']:.0f} req/s on one worker, {len(stacks)} stacks sampled")
    report(stacks, args.top)
    return 0


def report(lines: list[str], top: int) -> None:
    """py-spy's raw format: one line per distinct stack, frames joined by ';', then a count."""
    inclusive, own = collections.Counter(), collections.Counter()
    total = 0
    for line in lines:
        stack, _space, count = line.rpartition(" ")
        frames = [_short(frame) for frame in stack.split(";")]
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    for title, counter in (("inclusive", inclusive), ("own", own)):
        print(f"\n{title} share of samples")
        for frame, count in counter.most_common(top):
            print(f"{100 * count / total:6.1f} %  {frame}")


def _short(frame: str) -> str:
    """`name (path/to/site-packages/django/db/models/query.py:123)` -> `name (django/db/models/query.py)`."""
    name, _space, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", str(Path(__file__).resolve().parent.parent) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


if __name__ == "__main__":
    sys.exit(main())
