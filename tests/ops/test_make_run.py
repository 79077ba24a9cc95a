"""The README's first command, `make run`, really serves the demo.

Runs the Makefile target as a person would (own process group, a free port, its own
SQLite file so the developer's db.sqlite3 is left alone) and reads the home page.
"""

from __future__ import annotations

import contextlib
import html
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from events.demo import DEMO_EVENT_SLUG, DEMO_PASSWORD
from tests.ops.conftest import free_port, skip_or_fail

BASE_DIR = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 180


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _stop(process: subprocess.Popen) -> None:
    """Ends make and everything it started (runserver and its autoreloader child)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)
    # make is gone; a child that ignored SIGTERM must not keep the port.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.timeout(STARTUP_SECONDS + 60)
def test_make_run_serves_the_demo_home_page_in_german(tmp_path):
    make = shutil.which("make")
    if make is None:
        skip_or_fail("make is not installed")
    port = free_port()
    database = tmp_path / "demo.sqlite3"
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "DEMO", "DEBUG"}
    }
    environ.update(
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(tmp_path / "media"),
        HOST="127.0.0.1",
        PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    log_path = tmp_path / "make-run.log"
    with log_path.open("w") as log:
        # `-o .venv/.installed`: the virtualenv this test runs in is the one make would
        # build, so make must not (re)install it; PY points the recipe at this interpreter.
        process = subprocess.Popen(
            [make, "-o", ".venv/.installed", "run", f"PY={sys.executable}"],
            cwd=BASE_DIR,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                status, body = _get(url)
                break
            except OSError:
                pass
            if process.poll() is not None:
                pytest.fail(f"make run exited with {process.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"make run did not answer within {STARTUP_SECONDS} s:\n"
                    + log_path.read_text()[-5000:]
                )
            time.sleep(0.5)

        assert status == 200, body[:2000]
        assert '<html lang="de"' in body
        # seed_demo's running edition (and any other public event) is on the home page.
        with sqlite3.connect(database) as connection:
            events = dict(connection.execute("SELECT slug, name FROM events_event WHERE is_public"))
        assert DEMO_EVENT_SLUG in events, f"seed_demo made no {DEMO_EVENT_SLUG!r}: {events}"
        for name in events.values():
            assert html.escape(name) in body, name
        event_status, event_body = _get(f"{url}events/{DEMO_EVENT_SLUG}/")
        assert event_status == 200
        assert html.escape(events[DEMO_EVENT_SLUG]) in event_body
        # The demo logins are printed for the person who just typed `make run`.
        assert DEMO_PASSWORD in log_path.read_text()
        css_status, _ = _get(f"http://127.0.0.1:{port}/static/css/site.css")
        assert css_status == 200
    finally:
        _stop(process)
