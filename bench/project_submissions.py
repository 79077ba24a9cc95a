"""Benchmark: 1,500 project submissions through the HTTP API, against gunicorn and PostgreSQL.

#WirVsVirus received about 1,500 projects, most in the last hour. This script sets up a
throwaway event with BENCH_SUBMISSIONS (default 1,500) teams, each with one member who
has an API token, starts gunicorn (3 workers, the production profile) as a subprocess,
and then has BENCH_CLIENTS (default 16) concurrent clients write and submit every project
the way a team's script would:

    POST  /api/v1/projects/               the draft, with its title
    PATCH /api/v1/projects/{id}/          the required fields (title, pitch, problem,
                                          solution, target group, category, challenge,
                                          repository, licence)
    POST  /api/v1/projects/{id}/submit/   a new frozen version

It prints the throughput (submissions per second), the median and 95th percentile
latency of a submission (all three requests) and of each request, the errors (must be 0)
and the stored count of submitted projects and versions (must be BENCH_SUBMISSIONS),
and fails unless everything arrived within BENCH_WINDOW seconds (default 600).

Runs against the PostgreSQL database in DATABASE_URL and the Redis in REDIS_URL (it
says so and exits without them). The submission receipts e-mailed to each member are
queued, as in production, but on a queue of their own (CELERY_QUEUE=bench-projects)
that no worker serves and that is deleted at the end, with all the data (also the
leftovers of an interrupted run, at the start; BENCH_KEEP=1 keeps the data).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench3 \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/project_submissions.py
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import _common  # sets Django up
from _common import KEEP, p95
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from audit.models import AuditEntry
from challenges.enums import ChallengeStatus, GiverType
from challenges.models import Challenge
from events.enums import PhaseKind
from events.models import Event, Phase
from notifications.models import Notification
from projects.enums import ProjectStatus
from projects.models import Project, ProjectVersion
from teams.models import Membership, Team

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "1500"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "3"))
WINDOW = float(os.environ.get("BENCH_WINDOW", "600"))
SLUG = "bench-projects"
EMAIL_DOMAIN = "bench-projects.invalid"
QUEUE = "bench-projects"
NUMBER_BASE = 95_000_000
CHALLENGES = 100
BATCH = 2000


def cleanup() -> None:
    event = Event.objects.filter(slug=SLUG).first()
    if event is not None:
        project_ids = list(Project.objects.filter(event=event).values_list("pk", flat=True))
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Project), target_id__in=project_ids
        ).delete()
        Team.objects.filter(event=event).delete()  # projects, versions, memberships with them
        Challenge.objects.filter(event=event).delete()
        event.delete()
    people = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    Notification.objects.filter(recipient__in=people).delete()
    people.delete()


@transaction.atomic
def populate() -> tuple[Event, list[tuple[int, str, int]]]:
    """The event, its teams and members with tokens: (team id, token, challenge number)
    per team. Public, as a hackathon is: members only find teams of visible events."""
    now = timezone.now()
    event = Event.objects.create(slug=SLUG, name="Benchmark: Einreichungen", is_public=True)
    # In the middle of the last hour before the deadline, like the real rush.
    Phase.objects.create(
        event=event,
        kind=PhaseKind.SUBMISSION,
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(hours=1),
    )
    challenges = Challenge.objects.bulk_create(
        Challenge(
            event=event,
            number=NUMBER_BASE + index,
            status=ChallengeStatus.PUBLISHED,
            title=f"Herausforderung {index}",
            problem="Ein Problem, das viele Menschen betrifft und gelöst werden muss.",
            affected="Viele Menschen",
            desired_outcome="Eine gute Lösung für alle.",
            giver_type=GiverType.CITIZEN,
            contact_name="Bench",
            contact_email="bench@example.org",
            published_at=now,
        )
        for index in range(CHALLENGES)
    )
    users = User.objects.bulk_create(
        (
            User(
                email=f"team{index}@{EMAIL_DOMAIN}",
                display_name=f"Mitglied {index}",
                password=UNUSABLE_PASSWORD_PREFIX,  # API tokens only
            )
            for index in range(SUBMISSIONS)
        ),
        batch_size=BATCH,
    )
    tokens = Token.objects.bulk_create(
        (Token(key=Token.generate_key(), user=user) for user in users), batch_size=BATCH
    )
    teams = Team.objects.bulk_create(
        (
            Team(
                event=event,
                challenge=challenges[index % CHALLENGES],
                name=f"Bench-Team {index}",
                pitch="Wir bauen in 48 Stunden etwas, das wirklich hilft.",
                max_size=10,
                member_count=1,
            )
            for index in range(SUBMISSIONS)
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(team=team, user=user, event=event, role="admin")
            for team, user in zip(teams, users, strict=True)
        ),
        batch_size=BATCH,
    )
    return event, [
        (team.pk, token.key, team.challenge.number)
        for token, team in zip(tokens, teams, strict=True)
    ]


def start_gunicorn(port: int, log_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ENV", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        # The production profile, behind a proxy that ends TLS (as deploy/Caddyfile does).
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        SITE_URL="https://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        CELERY_QUEUE=QUEUE,
        # One request per user and minute here, but a team's script may well send more.
        API_THROTTLE_USER="100000/min",
        LOG_LEVEL="WARNING",
    )
    return _common.start_gunicorn(
        port=port,
        env=env,
        log_path=log_path,
        workers=WORKERS,
        is_up=lambda: request(port, "GET", "/healthz")[0] == 200,
        options=("--timeout", "60"),
    )


def request(port: int, method: str, path: str, *, token: str = "", body=None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Accept": "application/json", "Host": "127.0.0.1"}
        if token:
            headers["Authorization"] = f"Token {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def submission_body(index: int, challenge_number: int) -> dict:
    return {
        "title": f"Projekt {index}: Hilfe, die ankommt",
        "pitch": "Wir bringen Hilfesuchende und Helfende in der Nachbarschaft zusammen.",
        "problem": "Hilfsangebote sind verstreut und für viele Menschen schwer zu finden.",
        "solution": "Eine Karte mit allen Angeboten, gepflegt von den Anbietenden selbst.",
        "target_group": "Ältere Menschen, Familien, Nachbarschaftsinitiativen.",
        "category": "new_build",
        "repository_url": f"https://github.com/example/bench-{index}",
        "licence": "MIT",
        "challenges": [challenge_number],
    }


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.submissions: list[float] = []
        self.creates: list[float] = []
        self.patches: list[float] = []
        self.submits: list[float] = []
        self.errors: list[str] = []


def submit_one(port: int, results: Results, index: int, item: tuple[int, str, int]) -> None:
    team_id, token, number = item
    started = time.perf_counter()
    try:
        status, body = request(
            port,
            "POST",
            "/api/v1/projects/",
            token=token,
            body={"team": team_id, "title": f"Projekt {index}"},
        )
        created = time.perf_counter()
        if status != 201:
            raise RuntimeError(f"POST for team {team_id}: {status} {body[:300]!r}")
        project_id = json.loads(body)["id"]
        status, body = request(
            port,
            "PATCH",
            f"/api/v1/projects/{project_id}/",
            token=token,
            body=submission_body(index, number),
        )
        patched = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"PATCH {project_id}: {status} {body[:300]!r}")
        status, body = request(port, "POST", f"/api/v1/projects/{project_id}/submit/", token=token)
        done = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"submit {project_id}: {status} {body[:300]!r}")
        if json.loads(body).get("status") != ProjectStatus.SUBMITTED:
            raise RuntimeError(f"submit {project_id}: not submitted: {body[:300]!r}")
    except Exception as exc:  # every failure is counted and shown, none stops the run
        with results.lock:
            results.errors.append(f"{type(exc).__name__}: {exc}")
        return
    with results.lock:
        results.creates.append((created - started) * 1000)
        results.patches.append((patched - created) * 1000)
        results.submits.append((done - patched) * 1000)
        results.submissions.append((done - started) * 1000)


def line(label: str, values: list[float]) -> str:
    median = statistics.median(values) if values else float("nan")
    return f"{label:<28} median {median:7.1f} ms   p95 {p95(values):7.1f} ms"


def main() -> int:
    if not _common.needs_production_services("project_submissions.py"):
        return 0
    _common.migrate()
    print(f"database: {connection.settings_dict['NAME']} on {connection.vendor}")
    print("cleaning up leftovers …")
    cleanup()
    print(f"populating {SUBMISSIONS} teams with a member and an API token …")
    started = time.perf_counter()
    event, items = populate()
    print(f"  in {time.perf_counter() - started:.1f} s")
    _common.steady_state(vacuum=False)
    connection.close()  # gunicorn's workers open their own connections

    port = _common.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "gunicorn.log"
        print(f"starting gunicorn ({WORKERS} workers) on 127.0.0.1:{port} …")
        process = start_gunicorn(port, log_path)
        results = Results()
        try:
            print(f"submitting {SUBMISSIONS} projects with {CLIENTS} concurrent clients …")
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                for index, item in enumerate(items):
                    pool.submit(submit_one, port, results, index, item)
            elapsed = time.perf_counter() - started
        finally:
            _common.stop_gunicorn(process)
            _common.purge_queue(QUEUE)  # the receipts queued during the run
            gunicorn_log = log_path.read_text()

    stored = Project.objects.filter(event=event, status=ProjectStatus.SUBMITTED).count()
    versions = ProjectVersion.objects.filter(project__event=event).count()
    done = len(results.submissions)
    print()
    print(f"submissions                  {done} in {elapsed:.1f} s (window {WINDOW:.0f} s)")
    print(f"throughput                   {done / elapsed:.1f} submissions/s")
    print(line("submission (3 requests)", results.submissions))
    print(line("  POST /projects/", results.creates))
    print(line("  PATCH /projects/{id}/", results.patches))
    print(line("  POST .../submit/", results.submits))
    print(f"errors                       {len(results.errors)}")
    for error in results.errors[:5]:
        print(f"  {error}")
    print(f"stored submitted projects    {stored}")
    print(f"stored versions              {versions}")
    if results.errors and "Traceback" in gunicorn_log:
        print("--- gunicorn log (tail) ---\n" + gunicorn_log[-3000:])

    if KEEP:
        print(f"keeping the data (BENCH_KEEP=1); the next run deletes it: event {SLUG}")
    else:
        print("cleaning up …")
        cleanup()
    ok = not results.errors and stored == versions == SUBMISSIONS and elapsed <= WINDOW
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
