"""What the benchmarks under bench/ share: Django set up for a script run from the command
line, the database migrated and brought to a steady state, bulk inserts of many-to-many
rows, gunicorn in the production profile started and stopped, the benchmark's Celery
queue emptied, and the percentiles they print.

Each script imports it before anything of Django (`import _common`: a script run as
`python bench/<name>.py` has bench/ on its path), which sets Django up.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackathon.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

# BENCH_KEEP=1 keeps the loaded data at the end, and the next run may reuse it.
KEEP = os.environ.get("BENCH_KEEP") == "1"
BATCH = 5000


def migrate() -> None:
    call_command("migrate", verbosity=0)


def steady_state(*, vacuum: bool = True) -> None:
    """As after autovacuum: statistics, and with `vacuum` the visibility map and hint
    bits (right after a bulk load the first reads of every row would write hint bits).
    Only on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def through_rows(model, pairs: Iterable[tuple[int, int]], *, batch_size: int = BATCH) -> None:
    """Bulk-inserts M2M rows given as (left_id, right_id) with the through model's fields."""
    left, right = [f.attname for f in model._meta.fields if f.is_relation]
    model.objects.bulk_create(
        (model(**{left: a, right: b}) for a, b in pairs), batch_size=batch_size
    )


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, as the figures in the README count it (NaN for none)."""
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)] if ordered else float("nan")


def needs_production_services(script: str) -> bool:
    """True when PostgreSQL and Redis are configured, as in production; otherwise says
    that `script` is skipped."""
    if connection.vendor == "postgresql" and settings.REDIS_URL:
        return True
    print(
        f"bench/{script} needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), like "
        "production; skipped."
    )
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    *,
    port: int,
    env: dict[str, str],
    log_path: Path,
    workers: int,
    is_up: Callable[[], bool],
    options: Sequence[str] = (),
) -> subprocess.Popen:
    """gunicorn serving hackathon.wsgi on 127.0.0.1:`port` with `env`, in its own process
    group, once `is_up()` (e.g. /healthz answers 200); its output goes to `log_path`."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "hackathon.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *options,
        ],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole at the end
    )
    process.log_path = log_path  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + log_path.read_text()[-3000:])
        try:
            if is_up():
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    """Stops the process group start_gunicorn() started (the arbiter and its workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def purge_queue(queue: str) -> None:
    """Drops what the run queued for Celery on `queue` (nobody serves it): the queue, its
    binding and the keys named after it."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        client.delete(queue, f"_kombu.binding.{queue}")
        keys = list(client.scan_iter(match=f"{queue}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
