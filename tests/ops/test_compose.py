"""docker-compose.yml is valid and has the production shape the README promises.

No Docker engine runs here, so these tests stop at what docker-compose itself can
check (`config`) plus the structure that makes `--scale web=3 --scale worker=4` work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.ops.conftest import skip_or_fail

BASE_DIR = Path(__file__).resolve().parents[2]
SCALED_SERVICES = ("web", "worker")


def _docker_compose() -> str:
    executable = shutil.which("docker-compose")
    if executable is None:
        skip_or_fail("docker-compose is not installed")
    return executable


def _run_compose(*args: str, env_file: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: only the env file decides, as on a server with a .env.
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    command = [
        _docker_compose(),
        *("--project-directory", str(BASE_DIR), "--env-file", str(env_file)),
        *("--file", str(BASE_DIR / "docker-compose.yml")),
        *args,
    ]
    return subprocess.run(
        command,
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def compose_config() -> dict:
    result = _run_compose("config", env_file=BASE_DIR / ".env.example")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_config_is_valid_with_the_example_env():
    result = _run_compose("config", "-q", env_file=BASE_DIR / ".env.example")
    assert result.returncode == 0, result.stderr


def test_compose_config_refuses_to_run_without_secret_key(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text(
        "\n".join(
            line
            for line in (BASE_DIR / ".env.example").read_text().splitlines()
            if not line.startswith("SECRET_KEY=")
        )
    )

    result = _run_compose("config", "-q", env_file=env_file)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_compose_has_every_production_service(compose_config):
    assert set(compose_config["services"]) >= {
        "web",
        "worker",
        "beat",
        "migrate",
        "db",
        "redis",
        "mailpit",
        "proxy",
    }
    services = compose_config["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert "healthcheck" in services["db"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in _volumes(services["db"]))


def _volumes(service: dict) -> list[str]:
    # docker-compose prints volumes as "source:target:mode" strings or as mappings.
    result = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            result.append(f"{volume.get('source')}:{volume['target']}")
        else:
            result.append(volume.rsplit(":rw", 1)[0].rsplit(":ro", 1)[0])
    return result


def _command(service: dict) -> str:
    command = service.get("command", [])
    return " ".join(command) if isinstance(command, list) else command


def test_compose_app_services_are_built_from_the_dockerfile_in_production(compose_config):
    services = compose_config["services"]
    for name in ("web", "worker", "beat", "migrate"):
        assert "build" in services[name], name
        assert services[name]["environment"]["DJANGO_ENV"] == "production", name
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://redis:"), name
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://"), name
    assert "celery -A hackathon worker" in _command(services["worker"])
    assert "celery -A hackathon beat" in _command(services["beat"])
    assert "manage.py migrate" in _command(services["migrate"])
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_dockerfile_runs_gunicorn_as_a_non_root_user():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "\nUSER app\n" in dockerfile
    assert "collectstatic" in dockerfile
    assert '"gunicorn", "hackathon.wsgi"' in dockerfile


@pytest.mark.parametrize("name", SCALED_SERVICES)
def test_compose_scaled_services_have_no_fixed_name_or_host_port(compose_config, name):
    service = compose_config["services"][name]
    assert "container_name" not in service
    assert "ports" not in service
    # Nothing a replica writes may stay in it: uploads go to the shared volume.
    assert "media:/data/media" in _volumes(service)


def test_compose_beat_is_never_replicated(compose_config):
    beat = compose_config["services"]["beat"]
    assert beat.get("deploy", {}).get("replicas", 1) == 1
    assert "ports" not in beat


def test_compose_proxy_is_the_only_public_entry_and_balances_to_web(compose_config):
    services = compose_config["services"]
    published = [name for name, service in services.items() if service.get("ports")]
    # mailpit publishes its web interface on the loopback interface only.
    assert set(published) <= {"proxy", "mailpit"}
    for port in services["mailpit"].get("ports", []):
        assert str(port.get("host_ip") if isinstance(port, dict) else port).startswith("127.0.0.1")
    assert any("deploy/Caddyfile" in v for v in _volumes(services["proxy"]))
    caddyfile = (BASE_DIR / "deploy" / "Caddyfile").read_text()
    assert "dynamic a" in caddyfile
    assert "{$WEB_UPSTREAM_NAME:web}" in caddyfile


def test_caddyfile_is_valid():
    caddy = shutil.which("caddy")
    if caddy is None:
        # .ci/run installs it, so in CI (REQUIRE_SERVICES=1) a missing caddy fails.
        skip_or_fail("caddy is not installed (apt-get install caddy to validate the proxy config)")
    result = subprocess.run(
        [caddy, "adapt", "--config", str(BASE_DIR / "deploy" / "Caddyfile"), "--validate"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SITE_ADDRESS": "example.org"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"dynamic_upstreams":{"name":"web","port":"8000"' in result.stdout
