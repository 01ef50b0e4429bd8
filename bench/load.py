"""`make loadtest`: 64 concurrent connections for 60 s over a mix of pages and API calls.

Runs the production stack exactly as `make bench` does and fails (exit 1) on any socket
error or any status outside 2xx/3xx. The result belongs in docs/reliability.md.
"""

import json
import os
import subprocess
import sys

from stack import BASE_DIR, bench_environment, fetch, gunicorn, prepare_database

PATHS = [
    "/healthz", "/en/", "/zh-hans/", "/en/therapies/", "/en/therapies/kymriah/", "/zh-hans/therapies/kymriah/",
    "/en/policies/", "/en/policies/?jurisdiction=CN", "/en/conditions/knee-osteoarthritis/",
    "/en/search/?q=osteoarthritis", "/zh-hans/search/?q=%E5%B9%B2%E7%BB%86%E8%83%9E",
    "/api/v1/", "/api/v1/therapies/?page_size=50", "/api/v1/therapies/kymriah/",
    "/api/v1/policies/?jurisdiction=CN", "/api/v1/molecules/igf1/", "/en/mechanisms/paracrine-signalling/",
]


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make loadtest needs DATABASE_URL pointing at PostgreSQL", file=sys.stderr)
        return 2
    connections = int(os.environ.get("LOAD_CONNECTIONS", "64"))
    seconds = int(os.environ.get("LOAD_SECONDS", "60"))
    port = 8766
    env = bench_environment(port)
    env["GUNICORN_WORKERS"] = os.environ.get("GUNICORN_WORKERS", "4")
    env["GUNICORN_THREADS"] = os.environ.get("GUNICORN_THREADS", "4")
    prepare_database(env)
    base = f"http://127.0.0.1:{port}"
    with gunicorn(env, port):
        broken = [(path, status) for path in PATHS if (status := fetch(base + path)[0]) != 200]
        if broken:
            print(f"paths not answering 200 before the run: {broken}", file=sys.stderr)
            return 1
        result = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", str(BASE_DIR / "bench" / "mixed.lua"), base],
            env=dict(os.environ, WRK_PATHS="|".join(PATHS)), capture_output=True, text=True, check=True,
        )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{connections} connections x {seconds} s over {len(PATHS)} paths (pages and API, anonymous): "
          f"{summary['requests']} requests, {summary['rps']} req/s, p50 {summary['p50']} ms, "
          f"p99 {summary['p99']} ms, socket errors {summary['socket_errors']}, "
          f"non-2xx/3xx {summary['non2xx3xx']}")
    return 0 if summary["socket_errors"] == 0 and summary["non2xx3xx"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
