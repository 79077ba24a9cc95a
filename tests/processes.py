"""Real processes for integration tests: an SMTP server (aiosmtpd), a Celery worker, a
redis-server of the test's own. Waits are bounded poll loops, never bare sleeps."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[1]
TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], bool], *, what: str, timeout: float = TIMEOUT, logs=()
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    tails = "\n".join(process.log_tail() for process in logs)
    pytest.fail(f"Waited {timeout:.0f} s for {what}.\n{tails}")


# --- SMTP -----------------------------------------------------------------------------------


class RecordingSMTPHandler:
    """Accepts mail into a list; can refuse the next deliveries with a temporary error."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.messages: list[EmailMessage] = []
            self.refuse_next = 0
            self.refused_at: list[float] = []
            self.accepted_at: list[float] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            if self.refuse_next:
                self.refuse_next -= 1
                self.refused_at.append(time.monotonic())
                return "451 4.3.0 Try again later"
            message = message_from_bytes(envelope.content, policy=policy.default)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            self.messages.append(message)
            self.accepted_at.append(time.monotonic())
        return "250 2.0.0 Accepted"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(m["Subject"]) for m in self.messages]

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]) for m in self.messages]

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


def start_smtp(port: int | None = None, handler: RecordingSMTPHandler | None = None) -> Controller:
    controller = Controller(
        handler or RecordingSMTPHandler(), hostname="127.0.0.1", port=port or free_port()
    )
    controller.start()
    return controller


# --- PostgreSQL -------------------------------------------------------------------------------


def database_url_for_processes() -> str:
    """The URL of the database this test runs on, for processes that must see its rows."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"])
    userinfo = f"{user}@" if user else ""
    return f"postgres://{userinfo}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# --- processes -------------------------------------------------------------------------------


class Process:
    def __init__(self, process: subprocess.Popen, log_path: Path, name: str) -> None:
        self.process = process
        self.log_path = log_path
        self.name = name

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return f"--- {self.name} log ---\n" + "\n".join(self.log_text().splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown, no acknowledgement, as in a crash."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def start_process(command: list[str], *, env: dict[str, str], log_path: Path, name: str) -> Process:
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() ends all of it
        )
    return Process(process, log_path, name)


def start_worker(
    *, env: dict[str, str], log_path: Path, queue: str, beat: bool = False, concurrency: int = 1
) -> Process:
    """A Celery worker on `queue`, answering a ping before this returns. With `beat`, the
    worker also runs the beat schedule of settings (sweeps included)."""
    nodename = f"test-{queue}-{os.getpid()}-{time.monotonic_ns()}@{socket.gethostname()}"
    command = [
        *(sys.executable, "-m", "celery", "-A", "hackathon", "worker"),
        "--pool=solo" if concurrency == 1 else "--pool=prefork",
        f"--concurrency={concurrency}",
        *("-Q", queue, "-n", nodename),
        *("--without-gossip", "--without-mingle", "--loglevel=INFO"),
    ]
    if beat:
        command += ["-B", "--schedule", str(log_path.with_suffix(".beat"))]
    log_path.unlink(missing_ok=True)
    worker = start_process(command, env=env, log_path=log_path, name="worker")
    deadline = time.monotonic() + TIMEOUT
    # The worker logs "<nodename> ready." once it consumes from its queue.
    while f"{nodename} ready." not in worker.log_text():
        if worker.process.poll() is not None:
            pytest.fail(f"The Celery worker exited.\n{worker.log_tail()}")
        if time.monotonic() > deadline:
            worker.stop()
            pytest.fail(f"The Celery worker did not get ready.\n{worker.log_tail()}")
        time.sleep(0.1)
    return worker


def worker_env(**overrides: str) -> dict[str, str]:
    """The development profile, as in the test process, with the test's database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_processes(),
        "DATABASE_CONN_MAX_AGE": "0",
        "NOTIFICATION_RETRY_BASE_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ENV", None)
    env.update(overrides)
    return env


class RedisServer:
    """A redis-server of the test's own on a fixed port, so it can be stopped and started
    again at the same address (never the shared one)."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                *(executable, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
