"""Test modules share helpers through tests.support (and the fake Bot API in tests.fakeapi);
none imports another test module or a conftest."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = ("tests.support", "tests.fakeapi")


def _test_imports(path: Path) -> list[str]:
    """What a file imports from the tests package other than the shared helpers."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.ImportFrom) and node.module:
            # ``from tests.scheduler import test_limiter`` imports a module by its alias.
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(
        name
        for name in found
        if (name == "tests" or name.startswith(("tests.", "."))) and not name.startswith(SHARED)
    )


def test_no_test_module_imports_another_test_module() -> None:
    crossing = {
        str(path.relative_to(TESTS.parent)): _test_imports(path)
        for path in sorted(TESTS.rglob("*.py"))
    }
    assert {path: names for path, names in crossing.items() if names} == {}
