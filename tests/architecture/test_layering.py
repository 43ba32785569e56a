"""Layering rules: the engine stays free of web frameworks; rule folders hold data only."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_engine_source_imports_no_web_framework() -> None:
    for path in (ROOT / "app" / "engine").glob("*.py"):
        forbidden = {m for m in _imported_modules(path) if m.split(".")[0] in ("fastapi", "starlette", "uvicorn")}
        assert not forbidden, f"{path.name} imports {forbidden}"
        assert not any(m.startswith("app.api") for m in _imported_modules(path)), path.name


def test_importing_the_engine_loads_no_web_framework() -> None:
    code = (
        "import sys, app.engine.loader, app.engine.evaluator, app.engine.golden;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi','starlette','uvicorn')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_rule_folders_hold_no_python() -> None:
    assert not list((ROOT / "app" / "rules").rglob("*.py"))


def test_every_module_has_a_docstring() -> None:
    for path in (ROOT / "app").rglob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path} has no module docstring"
