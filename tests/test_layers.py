"""Data flows one way: a stage imports only from earlier stages and the shared modules."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "graphkit"
SHARED = {"schema", "errors", "resources", "pipelines"}  # pipelines: packaged configs
# stage order, left to right; modules in one tuple are one stage
ORDER = [("ingest",), ("normalise", "dates"), ("nlp",), ("resolve",), ("graph", "pipeline"),
         ("export", "evaluate"), ("render",), ("query", "cache", "engines"), ("build",), ("cli", "__main__")]
RANK = {m: i for i, stage in enumerate(ORDER) for m in stage}


def _module_of(path: Path) -> str:
    rel = path.relative_to(PKG).with_suffix("")
    return rel.parts[0]


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("graphkit."):
            yield node.module.split(".")[1]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("graphkit."):
                    yield alias.name.split(".")[1]


def test_no_module_imports_from_a_later_stage():
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        mod = _module_of(path)
        if mod in SHARED or mod == "__init__":
            continue
        assert mod in RANK, f"{path} is in no stage: add it to ORDER"
        for dep in _imports(path):
            if dep in SHARED or dep == mod:
                continue
            if RANK.get(dep, 99) > RANK[mod]:
                bad.append(f"{path.relative_to(PKG)} imports graphkit.{dep}")
    assert not bad, bad


def test_shared_modules_import_no_stage():
    for name in SHARED:
        for path in [PKG / f"{name}.py", *(PKG / name).rglob("*.py")] if (PKG / name).is_dir() else [PKG / f"{name}.py"]:
            if path.exists():
                assert set(_imports(path)) <= SHARED, path
