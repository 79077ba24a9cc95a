"""The benchmark scripts share bench/_common.py (Django set up, database, gunicorn, queue)
instead of each keeping its own copy."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
SHARED = (
    "free_port",
    "start_gunicorn",
    "stop_gunicorn",
    "purge_queue",
    "through_rows",
    "p95",
    "load_people",
    "delete_people",
    "language_codes",
)


def _scripts() -> list[Path]:
    return sorted(path for path in BENCH.glob("*.py") if path.name != "_common.py")


def test_every_script_sets_django_up_through_the_common_module_only():
    assert [path.name for path in _scripts()] == [
        "challenges_import_search.py",
        "judging_assignment.py",
        "pages.py",
        "project_submissions.py",
        "teams_finder.py",
    ]
    for path in _scripts():
        source = path.read_text()
        assert re.search(r"^import _common  # .*sets Django up", source, re.MULTILINE), path.name
        assert "django.setup()" not in source, path.name
        assert "sys.path.insert" not in source, path.name
        assert "_raw_delete" not in source, path.name
        assert "Language.objects.get_or_create" not in source, path.name
        # None of the shared helpers is defined again (pages.py wraps start_gunicorn with
        # its own settings, under the same name, and calls _common's).
        for name in SHARED:
            defined = re.search(rf"^def {name}\(", source, re.MULTILINE)
            if name == "start_gunicorn" and path.name in ("pages.py", "project_submissions.py"):
                assert "_common.start_gunicorn(" in source, path.name
            else:
                assert defined is None, f"{path.name} defines {name} again"


def test_p95_counts_as_the_readme_figures_do(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("_common", None)
    import _common

    assert _common.p95([float(n) for n in range(1, 101)]) == 95.0
    assert _common.p95([3.0, 1.0, 2.0]) == 2.0  # sorted; the second of three
    assert math.isnan(_common.p95([]))
