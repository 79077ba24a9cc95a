"""The benchmark scripts under bench/ still run and print their figures.

A small run of each (a few dozen rows, not the #WirVsVirus scale) against a throwaway
PostgreSQL database and Redis, as `make bench` runs them. This checks the scripts, not
speed: the figures are measured by running them at full size (README, "Benchmarks").
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

pytestmark = pytest.mark.integration

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench_database_url():
    """A database of its own: the scripts migrate and fill what DATABASE_URL names."""
    default = settings.DATABASES["default"]
    name = f"bench_smoke_{uuid.uuid4().hex[:8]}"
    params = {
        "host": default["HOST"] or "127.0.0.1",
        "port": default["PORT"] or 5432,
        "user": default["USER"],
        "password": default["PASSWORD"],
        "dbname": "postgres",
    }
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{default['PASSWORD']}" if default["PASSWORD"] else ""
        yield f"postgres://{default['USER']}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _run(script: str, database_url: str, **sizes: str) -> str:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(DATABASE_URL=database_url, REDIS_URL=settings.REDIS_URL, **sizes)
    result = subprocess.run(
        [sys.executable, f"bench/{script}"],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _figure(output: str, pattern: str) -> float:
    match = re.search(pattern, output)
    assert match, f"{pattern!r} not in:\n{output}"
    return float(match.group(1))


def test_challenge_import_and_search_benchmark(bench_database_url):
    output = _run(
        "challenges_import_search.py",
        bench_database_url,
        BENCH_CHALLENGES="60",
        BENCH_SEARCHES="5",
    )

    assert "database: postgresql" in output
    assert _figure(output, r"import: 60 challenges in ([\d.]+) s") > 0
    assert _figure(output, r"median ([\d.]+) ms") > 0


def test_team_finder_benchmark(bench_database_url):
    output = _run(
        "teams_finder.py",
        bench_database_url,
        BENCH_PEOPLE="300",
        BENCH_TEAMS="30",
        BENCH_RUNS="3",
    )

    assert "database: postgresql" in output
    assert output.count("median") >= 3


def test_project_submission_benchmark(bench_database_url):
    output = _run(
        "project_submissions.py",
        bench_database_url,
        BENCH_SUBMISSIONS="20",
        BENCH_CLIENTS="4",
        BENCH_GUNICORN_WORKERS="1",
    )

    assert "errors                       0" in output
    assert "stored submitted projects    20" in output
    assert _figure(output, r"throughput\s+([\d.]+) submissions/s") > 0
    assert output.rstrip().endswith("OK")


def test_pages_benchmark(bench_database_url):
    output = _run(
        "pages.py",
        bench_database_url,
        BENCH_SCALE="0.01",
        BENCH_REQUESTS="3",
        BENCH_SECONDS="0.3",
        BENCH_SIGNUP_SECONDS="1",
        BENCH_GUNICORN_WORKERS="1",
        BENCH_CLIENTS="2",
    )

    assert "database: " in output
    assert _figure(output, r"trivial view \(the ceiling\): ([\d.]+)") > 0
    for page in ("team finder", "project gallery", "GET /api/v1/projects/", "team finder, s"):
        assert re.search(rf"^{re.escape(page)}.*%", output, re.MULTILINE), output
    assert _figure(output, r"= ([\d.]+) sign-ups/s") > 0
    assert output.rstrip().endswith("OK")


def test_judging_assignment_benchmark(bench_database_url):
    output = _run("judging_assignment.py", bench_database_url, BENCH_SCALE="0.05")

    assert "75 projects x k=5 over 30 jurors" in output
    assert "assignment: 375 reviews in " in output
    assert _figure(output, r"peak memory: ([\d.]+) MiB") > 0
    assert _figure(output, r"load spread: (\d+)") <= 1
    assert 0 < _figure(output, r"expertise-match share: ([\d.]+)%") <= 100
    assert output.rstrip().endswith("OK")
