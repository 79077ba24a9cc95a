"""The installed package (`pip install .`, as the Docker image does) holds every app."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings


def test_every_local_app_is_in_the_installed_package():
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    local_apps = [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)  # ours, not from site-packages
    ]

    assert "participants" in local_apps  # the list is what we think it is
    missing = [name for name in local_apps if not any(fnmatch.fnmatch(name, p) for p in patterns)]
    assert missing == []
