"""The apps build on each other in one direction, and each rule lives once.

accounts, audit → events → notifications → challenges → participants → teams →
mentoring, projects → judging: an app imports only the apps before it; an app below asks the
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
ABOVE_ALL = ["mentoring", "projects", "judging"]
# The apps whose api modules read only through their selectors (an app joins when it does).
THIN_API_APPS = [
    "events",
    "notifications",
    "participants",
    "teams",
    "mentoring",
    "projects",
    "challenges",
    "judging",
]


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


def test_judging_is_built_on_every_app_and_no_app_on_judging():
    """judging reads projects, teams, mentoring and challenges; none of them imports it."""
    offending = {
        str(path.relative_to(ROOT))
        for app in [*LAYERS, *ABOVE_ALL]
        if app != "judging"
        for path in _modules(app)
        if "judging" in _imported_apps(path)
    }
    assert offending == set()


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


# What only a query does: a manager, a queryset's methods, the shortcuts that read a model.
# (`.get(` is left out: the api modules call it on dicts and query parameters all the time.)
ORM_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
ORM_METHODS = {
    "filter",
    "exclude",
    "select_related",
    "prefetch_related",
    "annotate",
    "aggregate",
    "alias",
    "only",
    "defer",
    "order_by",
    "distinct",
    "values_list",
    "select_for_update",
    "exists",
    "in_bulk",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "raw",
    "extra",
}
ORM_FUNCTIONS = {"get_object_or_404", "get_list_or_404"}


def _api_modules(app: str) -> list[Path]:
    module = ROOT / app / "api.py"
    return [module] * module.exists() + sorted((ROOT / app / "api").rglob("*.py"))


def _orm_uses(path: Path, root: Path = ROOT) -> list[str]:
    """`file:line: what` for each manager, queryset method or read shortcut in the module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        what = None
        if isinstance(node, ast.Attribute) and node.attr in ORM_ATTRIBUTES:
            what = f".{node.attr}"
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute) and function.attr in ORM_METHODS:
                what = f".{function.attr}()"
            elif isinstance(function, ast.Name) and function.id in ORM_FUNCTIONS:
                what = f"{function.id}()"
        if what:
            found.append((node.lineno, what))
    return [f"{path.relative_to(root)}:{line}: {what}" for line, what in sorted(found)]


@pytest.mark.parametrize("app", THIN_API_APPS)
def test_apis_read_through_selectors(app):
    """An api module asks its app's selectors (reads), services (writes) and rules
    (permissions), the same ones as the web pages, and builds no query itself."""
    modules = _api_modules(app)
    assert modules, f"{app} has no api.py or api/"
    assert [use for path in modules for use in _orm_uses(path)] == []


def test_the_api_check_names_every_query_it_finds(tmp_path):
    module = tmp_path / "api.py"
    module.write_text(
        "team = Team.objects.first()\n"
        "roles = team.open_roles.filter(pk=1).prefetch_related('skills')\n"
        "role = get_object_or_404(OpenRole, pk=1)\n"
        "found = Skill._default_manager.none()\n"
        "slug = request.query_params.get('event')\n"
        "kept = [name for name in filter(None, names)]\n"
    )
    assert _orm_uses(module, root=tmp_path) == [
        "api.py:1: .objects",
        "api.py:2: .filter()",
        "api.py:2: .prefetch_related()",
        "api.py:3: get_object_or_404()",
        "api.py:4: ._default_manager",
    ]
