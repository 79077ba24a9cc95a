"""The apps build on each other in one direction, and each rule lives once.

accounts, audit → events → notifications → challenges → participants → teams →
mentoring, projects: an app imports only the apps before it; an app below asks the
ones above through signals (participants.signals), never by importing them, not even
inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LAYERS = ["accounts", "audit", "events", "notifications", "challenges", "participants", "teams"]
ABOVE_ALL = ["mentoring", "projects"]


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            apps |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            apps.add(node.module.split(".")[0])
    return apps


@pytest.mark.parametrize("app", ["events", "challenges", "participants", "teams"])
def test_an_app_never_imports_the_apps_built_on_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :]) | set(ABOVE_ALL)
    offending = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) & above)
        for path in _modules(app)
        if _imported_apps(path) & above
    }
    assert offending == {}


def _definitions(name: str) -> list[str]:
    found = []
    for app in [*LAYERS, *ABOVE_ALL]:
        for path in _modules(app):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                defined = isinstance(node, ast.FunctionDef) and node.name == name
                assigned = isinstance(node, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == name for target in node.targets
                )
                if defined or assigned:
                    found.append(str(path.relative_to(ROOT)))
    return found


def test_organiser_of_an_event_is_one_predicate():
    assert _definitions("is_event_organiser") == ["events/rules.py"]


def test_services_never_clear_the_rules_caches_by_hand():
    """The rules' caches forget by themselves (hackathon.rules_cache); a service that
    pops a cache from an object is a sign of one that does not."""
    offending = []
    for app in [*LAYERS, *ABOVE_ALL]:
        for path in _modules(app):
            if "services" not in path.parts and path.stem != "services":
                continue
            text = path.read_text()
            for needle in ("__dict__.pop(", "forget_roles(", "forget_deadline(", "_cache"):
                if needle in text:
                    offending.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offending == []


def test_the_tests_have_one_race_helper_and_one_eager_celery_fixture():
    """Races run through tests/races.py and tasks run eagerly through the fixture in
    tests/conftest.py; a copy elsewhere drifts (one forgot to close its connections)."""
    tests = ROOT / "tests"
    allowed = {tests / "races.py", tests / "conftest.py", Path(__file__)}
    offending = []
    for path in sorted(tests.rglob("*.py")):
        if path in allowed:
            continue
        text = path.read_text()
        for needle in ("threading.Barrier", "task_always_eager"):
            if needle in text:
                offending.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offending == []


def test_tests_are_named_after_the_module_they_test():
    """No catch-all modules (test_review_fixes.py): a test lives with its source module."""
    assert sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("test_review*.py")) == []
