"""A git ref checked out beside the current tree, to be served and measured with it.

`baseline_tree(ref)` adds a detached git work tree in a temporary folder and removes it
afterwards, whatever happens in between. Both trees share the database the current tree
migrated, so the baseline is refused when its migrations describe a schema that database
does not have. It reuses the current virtualenv when its requirements are the same, and
installs its own in the temporary folder only when they differ.
"""

from __future__ import annotations

import ast
import contextlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from stack import BASE_DIR, PYTHON

# Operations after which code written for the older schema still reads correctly: they add
# tables, columns, indexes and constraints or touch only Python state (the baseline never writes).
ADDITIVE_OPERATIONS = {
    "CreateModel", "AddField", "AddIndex", "AddConstraint", "AlterModelOptions", "AlterModelManagers", "RunPython",
}


class BaselineRefused(Exception):
    """The ref cannot be measured against the current tree's database."""


@dataclass(frozen=True)
class Baseline:
    ref: str
    commit: str
    tree: Path
    python: str
    own_virtualenv: bool


# Operations that change rows, never the schema.
DATA_OPERATIONS = frozenset({"RunPython"})


def _git(*args: str, cwd: Path = BASE_DIR) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def _migrations(tree: Path) -> dict[str, str]:
    """`app/migrations/0001_x.py` -> its syntax tree, dumped (comments and layout do not count)."""
    return {str(path.relative_to(tree)): ast.dump(ast.parse(path.read_text()))
            for path in sorted(tree.glob("*/migrations/[0-9]*.py"))}


def _operations(path: Path) -> set[str]:
    """Names of the `migrations.<Operation>(...)` calls in a migration file."""
    return {node.func.attr for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "migrations"}


def check_migrations(baseline: Path, current: Path = BASE_DIR) -> list[str]:
    """Refuse a baseline whose code expects another schema than the current tree migrated to.

    The baseline may lack migrations the current tree has, when those only add things; it may
    not have a migration the current tree lacks, nor one that differs, unless both versions are
    data migrations only. Returns notes on what it let through."""
    old, new = _migrations(baseline), _migrations(current)
    problems = [f"{name} exists only in the baseline" for name in sorted(old.keys() - new.keys())]
    notes = []
    for name in sorted(old.keys() & new.keys()):
        if old[name] == new[name]:
            continue
        if _operations(baseline / name) | _operations(current / name) <= DATA_OPERATIONS:
            # A data migration's code changed (e.g. it froze a list it imported): the schema is the same.
            notes.append(f"{name} differs between the trees in data code only (RunPython)")
        else:
            problems.append(f"{name} differs between the trees")
    for name in sorted(new.keys() - old.keys()):
        unsafe = _operations(current / name) - ADDITIVE_OPERATIONS
        if unsafe:
            problems.append(f"{name} (only in the current tree) has {', '.join(sorted(unsafe))}")
        else:
            notes.append(f"{name} is only in the current tree and only adds to the schema")
    if problems:
        raise BaselineRefused(
            "The baseline cannot share the current tree's database; its migrations differ:\n  "
            + "\n  ".join(problems)
            + "\nMeasure it on a database of its own instead: BASELINE_DATABASE_URL=postgres://…/portal_bench_old.")
    return notes


def _virtualenv(tree: Path, folder: Path) -> tuple[str, bool]:
    """The Python that serves `tree`: the current one if the requirements match, else a new one."""
    if (tree / "requirements.txt").read_bytes() == (BASE_DIR / "requirements.txt").read_bytes():
        return PYTHON, False
    print("The baseline's requirements.txt differs: installing its own virtualenv ...", flush=True)
    venv = folder / "venv"
    subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", str(tree / "requirements.txt")], check=True)
    return python, True


@contextlib.contextmanager
def baseline_tree(ref: str, shared_database: bool = True):
    """Yield a `Baseline` for `ref`, checked out in a temporary work tree removed afterwards.
    On a database of its own (`shared_database=False`) its migrations may differ."""
    try:
        commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    except subprocess.CalledProcessError:
        raise BaselineRefused(f"{ref!r} is not a commit in {BASE_DIR}") from None
    folder = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    tree = folder / "tree"
    try:
        _git("worktree", "add", "--detach", str(tree), commit)
        for note in check_migrations(tree) if shared_database else ["on a database of its own"]:
            print(f"baseline: {note}")
        python, own = _virtualenv(tree, folder)
        yield Baseline(ref, commit, tree, python, own)
    finally:
        if tree.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=BASE_DIR,
                           capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=BASE_DIR, capture_output=True, check=False)


def own_cache(env: dict[str, str]) -> dict[str, str]:
    """`env` with the shared cache moved to the next Redis database, emptied first.

    Both servers would otherwise read each other's cached pages (the keys are the same), and
    a warm row would measure one tree's pages served by the other. BASELINE_REDIS_URL names
    the database to use instead. Without a Redis cache each process has its own anyway."""
    name = "CACHE_URL" if env.get("CACHE_URL") else "REDIS_URL"
    url = env.get(name, "")
    if not url.startswith(("redis://", "rediss://")):
        return env
    if env.get("BASELINE_REDIS_URL"):
        baseline_url = env["BASELINE_REDIS_URL"]
    else:
        parts = urlsplit(url)
        database = int(parts.path.strip("/") or 0) + 1
        if database > 15:
            raise BaselineRefused(f"{name} uses Redis database 15; name the baseline's with BASELINE_REDIS_URL")
        baseline_url = urlunsplit(parts._replace(path=f"/{database}"))
    if baseline_url == url:
        raise BaselineRefused("BASELINE_REDIS_URL must name another Redis database than the current tree's")
    import redis  # the project's own dependency, in the same virtualenv

    print(f"The baseline's cache: {baseline_url} (emptied now)", flush=True)
    redis.Redis.from_url(baseline_url).flushdb()
    return dict(env, **{name: baseline_url})
