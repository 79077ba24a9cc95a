"""The README keeps up with the code: the two commands first, every setting documented."""

from __future__ import annotations

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
README = (BASE_DIR / "README.md").read_text()
SETTINGS = (BASE_DIR / "hackathon" / "settings.py").read_text()


def test_readme_opens_with_make_run_and_make_test():
    first_block = README.split("```", 2)[1]
    assert "make run" in first_block
    assert "make test" in first_block
    assert "Python 3.11" in README.split("## ", 2)[1]


def test_readme_documents_every_environment_variable_the_settings_read():
    read = set(
        re.findall(r'env_(?:str|bool|int|list|hosts|choice|url)\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS)
    )
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read  # the pattern still matches

    undocumented = sorted(name for name in read if f"`{name}`" not in README)

    assert undocumented == [], "add these to the configuration table in README.md"


def test_readme_names_the_api_and_scaling_entry_points():
    for text in (
        "/api/v1/",
        "/api/schema/",
        "/api/docs/",
        "drf_create_token",
        "docker-compose up --scale web=3 --scale worker=4",
        "REQUIRE_SERVICES=1",
        ".ci/run",
    ):
        assert text in README, text
