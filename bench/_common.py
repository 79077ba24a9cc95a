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


# --- people -------------------------------------------------------------------------------------

LANGUAGES = [("de", "Deutsch"), ("en", "English"), ("tr", "Türkçe"), ("ar", "العربية")]


def language_codes() -> list[str]:
    """The codes of LANGUAGES (German first), each created where it is missing."""
    from participants.models import Language

    return [
        Language.objects.get_or_create(code=code, defaults={"name": name})[0].code
        for code, name in LANGUAGES
    ]


def load_people(
    rng,
    *,
    event,
    count: int,
    email_domain: str,
    skill_ids: Sequence[int],
    topics: Sequence,
    codes: Sequence[str],
    regions: Sequence[str],
    looking_for_team: Callable[[], bool],
) -> list:
    """`count` registered participants of `event` (p<n>@`email_domain`, nobody can log in
    as them), with profiles: a region of `regions` or none, 1-6 skills, 0-2 topic fields,
    German and 0-2 more languages of `codes`; `looking_for_team()` for each registration.
    Bulk inserts, in the order the benchmarks' figures were measured with (the same data
    for the same seed)."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from accounts.models import User
    from participants.enums import ProfileVisibility
    from participants.models import Profile, Registration

    users = User.objects.bulk_create(
        (
            User(
                email=f"p{index}@{email_domain}",
                display_name=f"Person {index}",
                password=UNUSABLE_PASSWORD_PREFIX,
            )
            for index in range(count)
        ),
        batch_size=BATCH,
    )
    visibilities = [ProfileVisibility.PARTICIPANTS] * 8 + [
        ProfileVisibility.PUBLIC,
        ProfileVisibility.TEAM_ADMINS,
    ]
    choices = [*regions, *[""] * 4]
    profiles = Profile.objects.bulk_create(
        (
            Profile(
                user=user,
                bio="Ich helfe gern.",
                region=rng.choice(choices),
                visibility=rng.choice(visibilities),
            )
            for user in users
        ),
        batch_size=BATCH,
    )
    through_rows(
        Profile.skills.through,
        ((p.pk, s) for p in profiles for s in rng.sample(skill_ids, rng.randint(1, 6))),
    )
    through_rows(
        Profile.topic_interests.through,
        ((p.pk, t.pk) for p in profiles for t in rng.sample(topics, rng.randint(0, 2))),
    )
    through_rows(
        Profile.languages.through,
        ((p.pk, c) for p in profiles for c in ["de", *rng.sample(codes[1:], rng.randint(0, 2))]),
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        (
            Registration(
                event=event,
                user=user,
                looking_for_team=looking_for_team(),
                code_of_conduct_accepted_at=now,
            )
            for user in users
        ),
        batch_size=BATCH,
    )
    return users


def delete_people(email_domain: str) -> None:
    """Deletes the people load_people() made (and their notifications, e-mail addresses
    and profiles) without Django's cascade collector, which would walk 28,000 users one
    relation at a time."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from notifications.models import Notification
    from participants.models import Profile

    people = User.objects.filter(email__endswith=f"@{email_domain}")
    Notification.objects.filter(recipient__in=people).delete()
    EmailAddress.objects.filter(user__in=people).delete()
    Profile.objects.filter(user__in=people).delete()
    people._raw_delete(people.db)
