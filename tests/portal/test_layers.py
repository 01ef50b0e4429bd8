"""The import direction: the base (`portal/`) below the feature apps, `policies` above `therapies`.

Parsed with `ast`, so imports inside functions count too. A data migration may name app
labels in strings, but none may import an app.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path):
    """(line, module) of every import statement in the file, wherever it is."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def upward_imports(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_the_base_imports_no_feature_app():
    found = upward_imports("portal", ("therapies", "policies"))
    assert not found, "the base imports a feature app:\n" + "\n".join(found)


def test_therapies_does_not_import_policies():
    # policies sits above therapies: its documents link to therapies and categories.
    found = upward_imports("therapies", ("policies",))
    assert not found, "therapies imports the app above it:\n" + "\n".join(found)


def test_the_walk_sees_imports_inside_functions(tmp_path, monkeypatch):
    module = tmp_path / "base" / "late.py"
    module.parent.mkdir()
    module.write_text("def f():\n    from therapies.models import Therapy\n    import policies.models\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert upward_imports("base", ("therapies", "policies")) == [
        "base/late.py:2 imports therapies.models", "base/late.py:3 imports policies.models",
    ]
