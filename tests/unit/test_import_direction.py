"""The stages import one way: ingest → kb ← assistant ← ui, and evals beside them. A stage never
imports a stage above it; the CLI's entry points (assistant/cli) may start the app and the evals,
but only from inside a command (a lazy import), so answering never loads them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("ingest", "kb", "assistant", "ui", "evals")
# what each stage may never import
FORBIDDEN = {
    "ingest": {"kb", "assistant", "ui", "evals"},
    "kb": {"assistant", "ui", "evals"},
    "assistant": {"ui", "evals"},
    "evals": {"ui"},
    "ui": set(),
}
LAZY_ONLY = {"assistant/cli"}  # entry points: these may import the forbidden stages inside a function


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported top-level package, at module level?) for every absolute import of a file."""
    tree = ast.parse(path.read_text("utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found += [(name.split(".")[0], id(node) in top_level) for name in names]
    return found


def backward_imports(stage: str) -> list[str]:
    out = []
    for path in sorted((ROOT / stage).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        lazy_ok = any(rel.startswith(prefix + "/") for prefix in LAZY_ONLY)
        for target, module_level in imports(path):
            if target in FORBIDDEN[stage] and (module_level or not lazy_ok):
                out.append(f"{rel} imports {target}")
    return out


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_imports_a_stage_above_it(stage):
    assert backward_imports(stage) == []


def test_the_check_sees_a_backward_import(tmp_path, monkeypatch):
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "bad.py").write_text("from assistant.service import Assistant\n", "utf-8")
    (tmp_path / "assistant" / "cli").mkdir(parents=True)
    (tmp_path / "assistant" / "cli" / "ok.py").write_text("def run():\n    import ui.serve\n", "utf-8")
    (tmp_path / "assistant" / "cli" / "eager.py").write_text("import evals.runner\n", "utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert backward_imports("kb") == ["kb/bad.py imports assistant"]
    assert backward_imports("assistant") == ["assistant/cli/eager.py imports evals"]
