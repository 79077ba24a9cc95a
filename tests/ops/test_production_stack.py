"""The production profile as the containers run it, without Docker.

The Dockerfile's build step (collectstatic with DJANGO_ENV=production), its command
(gunicorn hackathon.wsgi) and, where Caddy is installed, deploy/Caddyfile in front:
real processes on loopback ports, a throw-away SQLite database and a private Redis.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ops.conftest import free_port, skip_or_fail
from tests.ops.web_client import HOST, fetch, wait_until_answers
from tests.processes import BASE_DIR, start_process

BEHIND_TLS = {"X-Forwarded-Proto": "https"}

# STATIC_ROOT is fixed in settings; a wrapper module moves it out of the work tree.
SETTINGS_WRAPPER = """
import os
from pathlib import Path
from hackathon.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["TEST_STATIC_ROOT"])
"""


@dataclass
class Site:
    url: str
    environ: dict[str, str]
    static_root: Path
    media_root: Path


@pytest.fixture(scope="module")
def production_site(tmp_path_factory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("production")
    (tmp / "production_test_settings.py").write_text(SETTINGS_WRAPPER)
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_", "ALLOWED_", "SECURE_", "DATABASE_", "REDIS_"))
        and key not in {"DEBUG", "DEMO", "SITE_URL", "CSRF_TRUSTED_ORIGINS", "MEDIA_ROOT"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="production_test_settings",
        PYTHONPATH=os.pathsep.join([str(tmp), str(BASE_DIR)]),
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        TEST_STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        TRUSTED_PROXY_COUNT="1",
    )
    (tmp / "media").mkdir()
    for args in (["collectstatic", "--noinput"], ["migrate", "--noinput"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    port = free_port()
    gunicorn = start_process(
        [
            *(sys.executable, "-m", "gunicorn", "hackathon.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--forwarded-allow-ips", "*", "--access-logfile", "-"),
        ],
        env=environ,
        log_path=tmp / "gunicorn.log",
        name="gunicorn",
    )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/healthz", gunicorn)
        yield Site(
            url=f"http://127.0.0.1:{port}",
            environ=environ,
            static_root=tmp / "static",
            media_root=tmp / "media",
        )
    finally:
        gunicorn.stop()


def test_build_step_collects_hashed_static_files_including_the_api_docs(production_site):
    manifest = json.loads((production_site.static_root / "staticfiles.json").read_text())

    for name in (
        "css/site.css",
        "js/site.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
    ):
        assert name in manifest["paths"], name
        assert (production_site.static_root / manifest["paths"][name]).exists()


def test_gunicorn_answers_healthz_over_plain_http_for_load_balancers(production_site):
    status, _, body, _ = fetch(production_site.url + "/healthz")

    assert status == 200
    assert json.loads(body)["status"] == "ok"


def test_plain_http_is_redirected_to_https(production_site):
    status, headers, _, _ = fetch(production_site.url + "/")

    assert status == 301
    assert headers["Location"] == f"https://{HOST}/"


def test_home_page_behind_tls_proxy_is_secure_and_serves_hashed_assets(production_site):
    status, headers, body, _ = fetch(production_site.url + "/", headers=BEHIND_TLS)

    assert status == 200
    assert b'<html lang="de"' in body
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the page links the hashed stylesheet"
    css_status, css_headers, _, _ = fetch(
        production_site.url + stylesheet.group(1).decode(), headers=BEHIND_TLS
    )
    assert css_status == 200
    assert "immutable" in css_headers["Cache-Control"]


def test_unknown_host_is_refused(production_site):
    status, _, _, _ = fetch(
        production_site.url + "/", headers={"Host": "evil.example", **BEHIND_TLS}
    )

    assert status == 400


def test_caddy_proxies_to_web_and_serves_media(production_site, tmp_path):
    caddy = shutil.which("caddy")
    if caddy is None:
        # .ci/run installs it, so in CI (REQUIRE_SERVICES=1) a missing caddy fails.
        skip_or_fail("caddy is not installed (apt-get install caddy)")
    (production_site.media_root / "hello.txt").write_text("uploaded")
    port = free_port()
    web_port = production_site.url.rsplit(":", 1)[1]
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        # Plain HTTP on a free port, the web server on loopback instead of the `web` service.
        "SITE_ADDRESS": f":{port}",
        "WEB_UPSTREAM_NAME": "127.0.0.1",
        "WEB_UPSTREAM_PORT": web_port,
        "MEDIA_DIR": str(production_site.media_root),
    }
    process = start_process(
        [caddy, "run", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"],
        env=environ,
        log_path=tmp_path / "caddy.log",
        name="caddy",
    )
    try:
        proxy = f"http://127.0.0.1:{port}"
        wait_until_answers(proxy + "/healthz", process)

        status, _, body, _ = fetch(proxy + "/healthz")
        assert status == 200, body
        assert json.loads(body)["status"] == "ok"

        # Caddy says the request came over plain HTTP, so Django redirects to https.
        status, headers, _, _ = fetch(proxy + "/")
        assert status == 301
        assert headers["Location"] == f"https://{HOST}/"

        status, headers, body, _ = fetch(proxy + "/media/hello.txt")
        assert status == 200
        assert body == b"uploaded"
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        process.stop()
