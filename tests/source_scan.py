"""Reading the project's own source in tests: what a module calls, without running it."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [*settings.LOCAL_APPS, "hackathon"]

# The query API of Django's ORM: a module that calls one of these methods (or the
# shortcut) reads the database itself instead of asking a selector.
ORM_METHODS = {
    "objects",
    "filter",
    "exclude",
    "first",
    "select_related",
    "prefetch_related",
    "annotate",
    "aggregate",
    "values_list",
    "only",
    "defer",
    "none",
}
ORM_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def _names(node: ast.AST) -> set[str]:
    """Every name and attribute a piece of code mentions."""
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
    return found


def orm_calls_in(relative_path: str) -> list[str]:
    """`path:line: name` for each ORM name the module uses."""
    path = ROOT / relative_path
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and node.attr in ORM_METHODS:
            found.append(f"{relative_path}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ORM_SHORTCUTS:
            found.append(f"{relative_path}:{node.lineno}: {node.id}")
    return found


def _alternatives(node: ast.AST) -> list[ast.AST] | None:
    """The operands of `a or b or …` and of a predicate union `a | b | …`, else None."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return list(node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        operands = []
        for side in (node.left, node.right):
            operands.extend(_alternatives(side) or [side])
        return operands
    return None


def alternatives_naming(source: str, filename: str, first: set[str], second: set[str]):
    """Line numbers of each `x or y` / `x | y` where one alternative names something of
    `first` and another something of `second`."""
    lines = set()
    for node in ast.walk(ast.parse(source, filename)):
        operands = _alternatives(node)
        if not operands:
            continue
        names = [_names(operand) for operand in operands]
        for i, these in enumerate(names):
            others = set().union(*(n for j, n in enumerate(names) if j != i))
            if these & first and others & second:
                lines.add(node.lineno)
    return sorted(lines)


def python_modules():
    """Every module of the apps, without migrations, as paths relative to the root."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield str(path.relative_to(ROOT))
