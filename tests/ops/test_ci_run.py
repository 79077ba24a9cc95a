""".ci/run refuses at once, with a clear message, when PostgreSQL or Redis is not there.

Only its service check runs here (CI_CHECK_ONLY=1); the full script runs this suite.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.ops.conftest import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
CI_RUN = BASE_DIR / ".ci" / "run"


def _ci_run(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CI_RUN)],
        cwd=BASE_DIR,
        env={**os.environ, "CI_CHECK_ONLY": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_ci_run_is_an_executable_strict_bash_script_that_runs_make_test():
    text = CI_RUN.read_text()

    assert CI_RUN.stat().st_mode & stat.S_IXUSR
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert "export REQUIRE_SERVICES=1" in text
    assert text.rstrip().endswith("make test")


def test_ci_run_stops_when_redis_does_not_answer():
    port = free_port()

    result = _ci_run(CI_REDIS_URL=f"redis://127.0.0.1:{port}/0")

    assert result.returncode != 0
    assert f"Redis does not answer at 127.0.0.1:{port}" in result.stderr
    assert "would install" not in result.stdout  # stopped before anything else


def test_ci_run_stops_when_postgresql_does_not_answer():
    port = free_port()

    result = _ci_run(CI_DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres")

    assert result.returncode != 0
    assert f"PostgreSQL does not answer at 127.0.0.1:{port}" in result.stderr


def test_ci_run_rejects_a_server_that_is_not_redis(private_redis):
    # A Redis server where PostgreSQL should be: reachable, but the wrong protocol.
    result = _ci_run(CI_DATABASE_URL=f"postgres://postgres@127.0.0.1:{private_redis.port}/x")

    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


@pytest.mark.integration
def test_ci_run_passes_its_checks_when_both_services_answer():
    result = _ci_run(
        CI_DATABASE_URL=os.environ["DATABASE_URL"], CI_REDIS_URL=os.environ["REDIS_URL"]
    )

    assert result.returncode == 0, result.stderr
    assert "PostgreSQL and Redis answer" in result.stdout
