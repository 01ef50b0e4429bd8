"""The tables `make bench` prints: one tree's figures, or a baseline's beside the current tree's."""

from __future__ import annotations

import os
import platform
import time

MODES = ("cold", "warm", "revalidate")


def machine() -> str:
    return f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _heading(args, extra: str = "") -> None:
    print(f"\n{machine()}; {args.therapies} therapies, {args.policies} policies; "
          f"wrk {args.connections} connections x {args.seconds} s per cell{extra}; {time.strftime('%Y-%m-%d %H:%M')}")


def _cpu(cell) -> str:
    return "" if cell.get("cpu_ms") is None else f"{cell['cpu_ms']:.2f}"


def print_table(rows, floor, memory, args) -> None:
    _heading(args)
    header = (f"{'endpoint':34} {'mode':10} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'SQL':>4} {'ratio':>6} {'CPU ms':>7}")
    print(header)
    print("-" * len(header))
    for row in rows:
        for mode in MODES:
            cell = row.get(mode)
            if not cell:
                continue
            ratio = f"{cell['rps'] / floor:.2f}" if floor else "-"
            sql = str(row["queries"]) if mode == "cold" and row["queries"] is not None else ""
            errors = f"  ({cell['errors']} errors)" if cell["errors"] else ""
            print(f"{row['label']:34} {mode:10} {cell['rps']:9.1f} {cell['p50']:8.2f} {cell['p95']:8.2f} "
                  f"{cell['p99']:8.2f} {sql:>4} {ratio:>6} {_cpu(cell):>7}{errors}")
    if memory:
        print(f"\ngunicorn worker RSS after the run: {', '.join(f'{m:.0f}' for m in memory)} MB")


def _ratio(new, old) -> str:
    return f"{new / old:.2f}" if new is not None and old else "-"


def print_comparison(rows, baseline, memory, args) -> None:
    """Per row and mode: the baseline's (old) and the current tree's (new) figures, and new/old."""
    _heading(args, f", {args.rounds} interleaved rounds")
    print(f"old = {baseline.ref} ({baseline.commit[:10]}); new = the current tree. "
          "req/s ratio > 1 and CPU ratio < 1 mean the new tree is faster.")
    header = (f"{'endpoint':34} {'mode':10} {'old req/s':>9} {'new req/s':>9} {'new/old':>7} "
              f"{'old p50':>7} {'new p50':>7} {'old p95':>7} {'new p95':>7} "
              f"{'old CPU':>7} {'new CPU':>7} {'new/old':>7} {'SQL':>5}")
    print(header)
    print("-" * len(header))
    for row in rows:
        for mode in MODES:
            pair = row.get(mode)
            if not pair:
                continue
            old, new = pair["old"], pair["new"]
            sql = f"{row['queries']['old']}/{row['queries']['new']}" if mode == "cold" else ""
            errors = old["errors"] + new["errors"]
            rps = _ratio(new["rps"], old["rps"])
            print(f"{row['label']:34} {mode:10} {old['rps']:9.1f} {new['rps']:9.1f} {rps:>7} "
                  f"{old['p50']:7.2f} {new['p50']:7.2f} {old['p95']:7.2f} {new['p95']:7.2f} "
                  f"{_cpu(old):>7} {_cpu(new):>7} {_ratio(new.get('cpu_ms'), old.get('cpu_ms')):>7} {sql:>5}"
                  + (f"  ({errors} errors)" if errors else ""))
    print("\n(SQL: queries per cold request, old/new; CPU: ms of gunicorn worker CPU per request)")
    for name, sizes in memory.items():
        print(f"gunicorn worker RSS after the run, {name}: {', '.join(f'{m:.0f}' for m in sizes)} MB")
