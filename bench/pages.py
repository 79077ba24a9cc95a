"""Benchmark: what the hot pages cost per request, under gunicorn in the production profile.

Loads one public event at #WirVsVirus scale into the PostgreSQL database in DATABASE_URL,
with bulk inserts that write the rows the services would: BENCH_CHALLENGES (1,924)
published challenges in 12 topic fields with tags, BENCH_PEOPLE (28,000) registered
participants with profiles (skills, topics, languages, region), and BENCH_PROJECTS (1,500)
teams with members, open roles and languages, each with its submitted project (challenges,
tags, credited members, images, the frozen version). BENCH_SCALE (default 1) multiplies
all three, for a quick run.

Then it starts gunicorn (BENCH_GUNICORN_WORKERS, default 3 as in production;
DJANGO_ENV=production, Redis in REDIS_URL) twice: with the page cache off and on
(PAGE_CACHE). Requests come as from behind the TLS proxy (Host, X-Forwarded-Proto: https,
Accept-Encoding: gzip, a new client address each). For each hot page it prints

- CPU ms per request, uncached and cached: the median over BENCH_REQUESTS requests of
  time.process_time() around the whole middleware stack, in the worker;
- queries per request, uncached and cached;
- requests per second with BENCH_CLIENTS concurrent clients for BENCH_SECONDS, as a share
  of the trivial view's in the same run (the "ceiling": a view that returns "ok" through
  the same middleware).

and at the end the sign-ups per second (GET the form, POST it: BENCH_CLIENTS clients for
BENCH_SIGNUP_SECONDS) and the CPU of one password hash.

The trivial view and the measuring middleware live only in the settings and URL modules
this script writes for its gunicorn (wrappers of hackathon.settings and hackathon.urls),
never in the site. Data of an interrupted run is deleted at the start and everything at
the end; BENCH_KEEP=1 keeps the data, and a next run with BENCH_KEEP=1 reuses it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages \\
    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/pages.py
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import _common  # sets Django up
from _common import BATCH, KEEP, ROOT, through_rows
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from challenges.demo import CHALLENGES as DEMO_CHALLENGES
from challenges.enums import ChallengeStatus, State
from challenges.models import Challenge, Tag, Topic
from events.enums import PhaseKind
from events.models import Event, Phase
from notifications.models import Notification
from participants.models import Profile, Registration, Skill
from projects.enums import Licence, ProjectCategory, ProjectStatus
from projects.models import Project, ProjectImage, ProjectVersion
from teams.models import Membership, OpenRole, Team

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
CHALLENGES = int(os.environ.get("BENCH_CHALLENGES", round(1924 * SCALE)))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", round(28000 * SCALE)))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", round(1500 * SCALE)))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
SIGNUP_SECONDS = float(os.environ.get("BENCH_SIGNUP_SECONDS", "6"))
SIGNUP_CLIENTS = int(os.environ.get("BENCH_SIGNUP_CLIENTS", "8"))
# As in production (the image's WEB_CONCURRENCY); on 2 cores the third one runs while
# another waits for the database.
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "3"))

SLUG = "bench-pages"
HOST = "bench.test"
EMAIL_DOMAIN = "bench-pages.invalid"
SIGNUP_DOMAIN = "signup.bench-pages.invalid"
SKILL_PREFIX = "bench-pages-"
TAG_PREFIX = "bench-pages "
QUEUE = "bench-pages"
NUMBER_BASE = 80_000_000
PASSWORD = "bench-pages-passphrase-7"  # noqa: S105 (the benchmark's own throwaway person)

SKILLS = {
    "Entwicklung": ["Python", "Django", "JavaScript", "React", "Java", "Go", "PHP", "Kotlin"],
    "Daten": ["SQL", "Datenanalyse", "Machine Learning", "Statistik", "Visualisierung"],
    "Design": ["UX", "UI-Design", "Illustration", "Barrierefreiheit", "Nutzerforschung"],
    "Betrieb": ["DevOps", "Linux", "Kubernetes", "Sicherheit", "Cloud"],
    "Inhalt": ["Texten", "Übersetzen", "Video", "Social Media", "Presse"],
    "Fachwissen": ["Recht", "Medizin", "Pflege", "Verwaltung", "Bildung", "Logistik"],
    "Organisation": ["Projektmanagement", "Moderation", "Finanzen", "Fundraising"],
}
TOPICS = [
    "Gesundheit & Pflege",
    "Bildung & Schule",
    "Digitale Verwaltung",
    "Nachbarschaft & Zusammenhalt",
    "Wirtschaft & Arbeit",
    "Information & Kommunikation",
    "Kultur & Freizeit",
    "Mobilität",
    "Umwelt & Klima",
    "Familie & Kinder",
    "Obdachlosigkeit & Armut",
    "Ehrenamt",
]
PLACES = ["Köln", "Leipzig", "Kiel", "Passau", "Erfurt", "Bremen", "Mainz", "Rostock", "Trier"]
WORDS = ["Nachbarschaft", "Schule", "Pflege", "Gesundheitsamt", "Einkauf", "Karte", "Ehrenamt"]


# --- the data ---------------------------------------------------------------------------------


def cleanup() -> None:
    event = Event.objects.filter(slug=SLUG).first()
    if event is not None:
        # Projects first (their versions and images with them), then the teams (members,
        # roles), then what the teams pointed at.
        Project.objects.filter(event=event).delete()
        Team.objects.filter(event=event).delete()
        Registration.objects.filter(event=event).delete()
        Challenge.objects.filter(event=event).delete()
        Topic.objects.filter(event=event).delete()
        event.delete()
    signups = User.objects.filter(email__endswith=f"@{SIGNUP_DOMAIN}")
    Notification.objects.filter(recipient__in=signups).delete()
    signups.delete()
    _common.delete_people(EMAIL_DOMAIN)
    Skill.objects.filter(slug__startswith=SKILL_PREFIX).delete()
    Tag.objects.filter(name__startswith=TAG_PREFIX).delete()


def spread_in_time(table: str, column: str, event_id: int, hours: int) -> None:
    """auto_now_add gave every row the same time; spread them like a real event's."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "{column}" = now() - random() * interval %s '  # noqa: S608
            "WHERE event_id = %s",
            [f"{hours} hours", event_id],
        )


@transaction.atomic
def populate(rng: random.Random) -> Event:
    now = timezone.now()
    event = Event.objects.create(
        slug=SLUG,
        name="Benchmark: #WirVsVirus",
        tagline="48 Stunden, 28.000 Menschen, 1.500 Projekte",
        description="Ein Hackathon in der Größe von #WirVsVirus, für den Benchmark.",
        is_public=True,
        code_of_conduct="Wir gehen respektvoll miteinander um.",
    )
    # The hackathon is over, judging runs: every page shows what it shows then.
    schedule = [
        (PhaseKind.CHALLENGE_INTAKE, -20, -10),
        (PhaseKind.REGISTRATION, -12, -3),
        (PhaseKind.HACKING, -3, -1),
        (PhaseKind.SUBMISSION, -3, -1),
        (PhaseKind.JUDGING, -1, 6),
        (PhaseKind.RESULTS, 6, 7),
        (PhaseKind.PROGRAMME, 7, 60),
    ]
    Phase.objects.bulk_create(
        Phase(
            event=event,
            kind=kind,
            starts_at=now + timedelta(days=start),
            ends_at=now + timedelta(days=end),
        )
        for kind, start, end in schedule
    )
    topics = Topic.objects.bulk_create(
        Topic(event=event, name=name, slug=f"topic-{index}", position=index)
        for index, name in enumerate(TOPICS)
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"{TAG_PREFIX}{word} {index}") for index, word in enumerate(WORDS * 6)
    )
    states = [state.value for state in State]
    challenges = Challenge.objects.bulk_create(
        (_challenge(rng, event, index, topics, states, now) for index in range(max(CHALLENGES, 1))),
        batch_size=BATCH,
    )
    through_rows(
        Challenge.tags.through,
        ((c.pk, t.pk) for c in challenges for t in rng.sample(tags, rng.randint(0, 3))),
    )
    print(f"  {len(challenges)} challenges")

    started = time.perf_counter()
    skills = Skill.objects.bulk_create(
        Skill(
            name=f"{name} (bench)", slug=f"{SKILL_PREFIX}{index}", category=category, is_curated=c
        )
        for index, (category, name, c) in enumerate(
            [(cat, name, True) for cat, names in SKILLS.items() for name in names]
            + [("", f"Freies Tag {index}", False) for index in range(60)]
        )
    )
    skill_ids = [skill.pk for skill in skills]
    codes = _common.language_codes()
    users = _common.load_people(
        rng,
        event=event,
        count=max(PEOPLE, PROJECTS * 3),
        email_domain=EMAIL_DOMAIN,
        skill_ids=skill_ids,
        topics=topics,
        codes=codes,
        regions=states,
        looking_for_team=lambda: False,
    )
    print(f"  {len(users)} people in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    teams = Team.objects.bulk_create(
        (
            Team(
                event=event,
                challenge=rng.choice(challenges),
                name=f"Team {index} {rng.choice(WORDS)}",
                pitch=f"Wir bauen etwas für {rng.choice(WORDS)} und {rng.choice(WORDS)} "
                f"in {rng.choice(PLACES)}, mit allen, die mitmachen wollen.",
                max_size=10,
                member_count=rng.randint(1, 9),
                chat_link=f"https://chat.example.org/team-{index}",
            )
            for index in range(PROJECTS)
        ),
        batch_size=BATCH,
    )
    members = iter(users)
    memberships = [
        Membership(
            team=team, user=next(members), event=event, role="admin" if position == 0 else "member"
        )
        for team in teams
        for position in range(team.member_count)
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    roles = OpenRole.objects.bulk_create(
        (
            OpenRole(team=team, title=f"Rolle {index}", description="Wir suchen Verstärkung.")
            for team in teams
            for index in range(rng.randint(0, 3))
        ),
        batch_size=BATCH,
    )
    through_rows(
        OpenRole.skills.through,
        ((r.pk, s) for r in roles for s in rng.sample(skill_ids, rng.randint(1, 3))),
    )
    through_rows(
        Team.languages.through,
        ((t.pk, c) for t in teams for c in ["de", *rng.sample(codes[1:], rng.randint(0, 1))]),
    )
    spread_in_time("teams_team", "created_at", event.pk, 48)
    print(
        f"  {len(teams)} teams, {len(memberships)} members, {len(roles)} open roles "
        f"in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    members_of: dict[int, list[int]] = {}
    for membership in memberships:
        members_of.setdefault(membership.team_id, []).append(membership.user_id)
    projects = Project.objects.bulk_create(
        (_project(rng, event, team, index, now) for index, team in enumerate(teams)),
        batch_size=BATCH,
    )
    answered = {
        project.pk: rng.sample(challenges, rng.randint(1, 2)) if len(challenges) > 1 else challenges
        for project in projects
    }
    through_rows(
        Project.challenges.through,
        ((p.pk, c.pk) for p in projects for c in answered[p.pk]),
    )
    through_rows(
        Project.tags.through, ((p.pk, t.pk) for p in projects for t in rng.sample(tags, 2))
    )
    through_rows(
        Project.credited_members.through,
        ((p.pk, u) for p in projects for u in members_of.get(p.team_id, [])),
    )
    images = ProjectImage.objects.bulk_create(
        (
            ProjectImage(
                project=project,
                token=(token := secrets.token_hex(16)),
                image=f"projects/{project.pk}/{token}.jpg",
                thumbnail=f"projects/{project.pk}/{token}-thumb.jpg",
                width=1600,
                height=900,
                alt_text=f"Bildschirmfoto {position + 1} von {project.title}",
                position=position,
            )
            for project in projects
            for position in range(rng.randint(0, 3))
        ),
        batch_size=BATCH,
    )
    images_of: dict[int, list[ProjectImage]] = {}
    for image in images:
        images_of.setdefault(image.project_id, []).append(image)
    ProjectVersion.objects.bulk_create(
        (
            ProjectVersion(
                project=project,
                number=1,
                snapshot=_snapshot(project, teams[index], answered[project.pk], images_of),
            )
            for index, project in enumerate(projects)
        ),
        batch_size=BATCH,
    )
    print(f"  {len(projects)} submitted projects in {time.perf_counter() - started:.1f} s")
    return event


def _challenge(rng, event, index, topics, states, now) -> Challenge:
    _topic, title, problem, affected, outcome, giver, org, state, _tags = rng.choice(
        DEMO_CHALLENGES
    )
    place = rng.choice(PLACES)
    # Real problem statements run to a page; the catalogue shows their first 40 words.
    problem = " ".join([problem, f"In {place} betrifft das besonders viele Menschen."] * 4)
    return Challenge(
        event=event,
        number=NUMBER_BASE + index,
        status=ChallengeStatus.PUBLISHED,
        title=f"{title} in {place} ({index})"[:200],
        problem=problem[:5000],
        affected=affected,
        desired_outcome=" ".join([outcome] * 3),
        topic=rng.choice(topics),
        giver_type=giver,
        organisation_name=org or "",
        state=rng.choice([state, *rng.sample(states, 1), ""]),
        contact_name="Bench Kontakt",
        contact_email=f"bench{index}@example.org",
        support_count=rng.randint(0, 400),
        submitted_at=now - timedelta(days=12),
        published_at=now - timedelta(days=11, minutes=rng.randint(0, 14_400)),
    )


def _project(rng, event, team, index, now) -> Project:
    word = rng.choice(WORDS)
    return Project(
        event=event,
        team=team,
        status=ProjectStatus.SUBMITTED,
        title=f"{word}-Projekt {index}",
        pitch=f"Wir bringen Hilfesuchende und Helfende rund um {word} zusammen.",
        problem=" ".join(["Hilfsangebote sind verstreut und schwer zu finden."] * 12),
        solution=" ".join([f"Eine Karte mit allen Angeboten zu {word}, gepflegt vor Ort."] * 12),
        target_group="Ältere Menschen, Familien, Nachbarschaftsinitiativen.",
        how_it_works=" ".join(["Anbietende tragen sich ein, Suchende filtern nach Ort."] * 20),
        next_steps=" ".join(["Wir testen mit drei Städten und suchen Partner."] * 8),
        category=rng.choice(ProjectCategory.values),
        repository_url=f"https://github.com/example/bench-{index}" if rng.random() < 0.8 else "",
        video_url=f"https://www.youtube.com/watch?v=bench{index}" if rng.random() < 0.6 else "",
        demo_url=f"https://demo.example.org/{index}" if rng.random() < 0.4 else "",
        licence=rng.choice([Licence.MIT, Licence.APACHE_2, Licence.AGPL_3]),
        submitted_at=now - timedelta(days=1, minutes=rng.randint(0, 2880)),
    )


def _snapshot(project, team, challenges, images_of) -> dict:
    fields = ("title", "pitch", "problem", "solution", "target_group", "how_it_works")
    return {
        **{field: getattr(project, field) for field in fields},
        "next_steps": project.next_steps,
        "category": project.category,
        "repository_url": project.repository_url,
        "video_url": project.video_url,
        "demo_url": project.demo_url,
        "slides_url": "",
        "licence": project.licence,
        "team": {"id": team.pk, "name": team.name},
        "challenges": [{"id": c.pk, "number": c.number, "title": c.title} for c in challenges],
        "tags": [],
        "credited_members": [],
        "images": [
            {
                "token": image.token,
                "image": image.image.name,
                "thumbnail": image.thumbnail.name,
                "alt_text": image.alt_text,
                "width": image.width,
                "height": image.height,
            }
            for image in images_of.get(project.pk, [])
        ],
    }


def signed_in_person(event: Event) -> User:
    """A participant with a password, who logs in over HTTP for the signed-in page."""
    email = f"signed-in@{EMAIL_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, display_name="Angemeldet", password=make_password(PASSWORD)
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        Profile.objects.create(user=user)
        Registration.objects.create(
            event=event, user=user, code_of_conduct_accepted_at=timezone.now()
        )
    return user


# --- the server -------------------------------------------------------------------------------

SETTINGS_MODULE = """
import os
from pathlib import Path

from hackathon.settings import *  # noqa: F403
from hackathon.settings import MIDDLEWARE

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
ROOT_URLCONF = "bench_pages_urls"
# Outermost, so it measures the whole stack.
MIDDLEWARE = ["bench_pages_urls.MeasureMiddleware", *MIDDLEWARE]
"""

URLS_MODULE = """
import time

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from hackathon.urls import handler400, handler403, handler404, handler500  # noqa: F401
from hackathon.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *site_urlpatterns]


class MeasureMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.process_time()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-CPU-Microseconds"] = str(round((time.process_time() - started) * 1e6))
        response["X-Bench-Queries"] = str(queries[0])
        return response
"""


def server_env(tmp: Path, *, page_cache: bool) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_", "ALLOWED_", "SECURE_"))
        and key not in {"DEBUG", "DEMO", "SITE_URL", "CSRF_TRUSTED_ORIGINS", "MEDIA_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench_pages_settings",
        PYTHONPATH=os.pathsep.join([str(tmp), str(ROOT)]),
        DJANGO_ENV="production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        DATABASE_URL=settings.DATABASE_URL,
        REDIS_URL=settings.REDIS_URL,
        CACHE_KEY_PREFIX=QUEUE,
        CELERY_QUEUE=QUEUE,
        BENCH_STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        VIDEO_THUMBNAILS="0",
        PAGE_CACHE="1" if page_cache else "0",
        # The benchmark's clients all come from one address.
        API_THROTTLE_ANON="10000000/min",
        API_THROTTLE_USER="10000000/min",
        RATE_LIMIT_SIGNUP="10000000/m/ip",
        RATE_LIMIT_LOGIN="10000000/m/ip",
        LOG_LEVEL="WARNING",
        # Behind one proxy (deploy/Caddyfile): the client address is X-Forwarded-For's last.
        TRUSTED_PROXY_COUNT="1",
    )
    return env


SECRET_KEY = secrets.token_urlsafe(64)


def collect_static(tmp: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=server_env(tmp, page_cache=False),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError("collectstatic failed:\n" + result.stdout[-2000:] + result.stderr)


def start_gunicorn(tmp: Path, port: int, *, page_cache: bool) -> subprocess.Popen:
    return _common.start_gunicorn(
        port=port,
        env=server_env(tmp, page_cache=page_cache),
        log_path=tmp / f"gunicorn-{port}.log",
        workers=WORKERS,
        is_up=lambda: get(port, "/healthz")[0] == 200,
        options=("--forwarded-allow-ips", "*", "--timeout", "120"),
    )


# --- the clients ------------------------------------------------------------------------------

# Accept-Encoding: gzip as Caddy's reverse_proxy sends it upstream for every request (it
# adds the header when the client did not send one), so pages come as the proxy gets them.
BASE_HEADERS = {
    "Host": HOST,
    "X-Forwarded-Proto": "https",
    "Accept-Language": "de",
    "Accept-Encoding": "gzip",
}


_visitors = itertools.count(1)


def visitor() -> str:
    """A new client address for each request, as a crowd of visitors behind the proxy has:
    throttles and rate limits count per address."""
    number = next(_visitors)
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


def get(port: int, path: str, headers: dict | None = None):
    return request(port, "GET", path, headers=headers)


def request(port: int, method: str, path: str, *, headers=None, form=None):
    """(status, headers, body) of one request, as from behind the TLS proxy."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    all_headers = {**BASE_HEADERS, "X-Forwarded-For": visitor(), **(headers or {})}
    body = None
    if form is not None:
        body = urlencode(form)
        all_headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
        }
    try:
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def raw_request(path: str, headers: dict) -> tuple[bytes, bytes]:
    """The request bytes for the load clients, before and after the client address."""
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in {**BASE_HEADERS, **headers}.items())]
    head = "\r\n".join([*lines, "X-Forwarded-For: "])
    return head.encode(), b"\r\nConnection: close\r\n\r\n"


def load(port: int, path: str, headers: dict, seconds: float) -> float:
    """Requests per second that BENCH_CLIENTS clients get answered (status 200)."""
    before, after = raw_request(path, headers)
    stop = time.monotonic() + seconds
    counts = [0] * CLIENTS
    failures = [0] * CLIENTS

    def client(slot: int) -> None:
        while time.monotonic() < stop:
            with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
                sock.sendall(before + visitor().encode() + after)
                chunks = []
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            if chunks and chunks[0].startswith(b"HTTP/1.1 200"):
                counts[slot] += 1
            else:
                failures[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if sum(failures):
        raise RuntimeError(f"{path}: {sum(failures)} requests failed under load")
    return sum(counts) / elapsed


def measure(port: int, path: str, headers: dict) -> tuple[float, int]:
    """Median CPU ms per request in the worker, and the queries of the last request."""
    cpu = []
    queries = 0
    for index in range(REQUESTS + 3):
        status, response_headers, body = get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"{path}: {status} {body[:500]!r}")
        if index >= 3:  # the first requests warm the worker up (connections, templates)
            cpu.append(int(response_headers["X-Bench-CPU-Microseconds"]) / 1000)
            queries = int(response_headers["X-Bench-Queries"])
    return statistics.median(cpu), queries


def log_in(port: int) -> dict:
    """The cookie header of a signed-in session (via the log-in form)."""
    status, headers, page = get(port, "/accounts/login/")
    cookies = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, headers, body = request(
        port,
        "POST",
        "/accounts/login/",
        headers={"Cookie": _cookie_header(cookies)},
        form={
            "csrfmiddlewaretoken": token,
            "login": f"signed-in@{EMAIL_DOMAIN}",
            "password": PASSWORD,
        },
    )
    if status != 302:
        raise RuntimeError(f"log-in failed: {status} {body[:500]!r}")
    cookies |= _cookies(headers)
    return {"Cookie": _cookie_header(cookies)}


def _cookies(headers) -> dict[str, str]:
    cookies = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def sign_ups(port: int, seconds: float) -> tuple[int, float, list[float]]:
    """Sign-ups completed by BENCH_SIGNUP_CLIENTS clients in `seconds`: (count, elapsed, CPU
    ms of each: the form and the POST)."""
    stop = time.monotonic() + seconds
    done = []
    cpu: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(slot: int) -> None:
        number = 0
        while time.monotonic() < stop and not errors:
            number += 1
            status, headers, page = get(port, "/accounts/signup/")
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or token is None:
                errors.append(f"sign-up form: {status}")
                return
            started = int(headers["X-Bench-CPU-Microseconds"])
            email = f"s{slot}-{number}-{secrets.token_hex(3)}@{SIGNUP_DOMAIN}"
            status, headers, body = request(
                port,
                "POST",
                "/accounts/signup/",
                headers={"Cookie": _cookie_header(_cookies(headers))},
                form={
                    "csrfmiddlewaretoken": token.group(1).decode(),
                    "email": email,
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "display_name": f"Neu {slot}-{number}",
                },
            )
            if status != 302:
                errors.append(f"sign-up: {status} {body[:300]!r}")
                return
            with lock:
                done.append(email)
                cpu.append((started + int(headers["X-Bench-CPU-Microseconds"])) / 1000)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(SIGNUP_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return len(done), time.monotonic() - started, cpu


# --- the run ----------------------------------------------------------------------------------


def hot_pages(event: Event) -> list[tuple[str, str, bool]]:
    """(label, path, signed in) of every page measured."""
    team = Team.objects.filter(event=event).order_by("pk").first()
    project = Project.objects.filter(event=event).order_by("pk").first()
    query = f"event={SLUG}"
    return [
        ("home /", "/", False),
        ("event page", f"/events/{SLUG}/", False),
        ("challenge catalogue", f"/challenges/?{query}", False),
        ("challenge search", f"/challenges/?{query}&q=Schulen", False),
        ("team finder", f"/teams/?{query}", False),
        ("team page", f"/teams/{team.pk}/", False),
        ("project gallery", f"/projects/?{query}", False),
        ("project search", f"/projects/?{query}&q=Nachbarschaft", False),
        ("project page", f"/projects/{project.pk}/", False),
        ("GET /api/v1/projects/", f"/api/v1/projects/?{query}", False),
        ("GET /api/v1/challenges/", f"/api/v1/challenges/?{query}", False),
        ("GET /api/v1/teams/", f"/api/v1/teams/?{query}", False),
        ("GET /api/v1/events/", "/api/v1/events/", False),
        ("team finder, signed in", f"/teams/?{query}", True),
    ]


def run_server(tmp: Path, pages, *, page_cache: bool) -> dict:
    port = _common.free_port()
    label = "with the page cache" if page_cache else "without the page cache"
    print(f"gunicorn ({WORKERS} workers, production profile) {label} …")
    process = start_gunicorn(tmp, port, page_cache=page_cache)
    results: dict = {"pages": {}}
    try:
        signed_in = log_in(port)
        trivial_cpu, _ = measure(port, "/bench/trivial", {})
        ceilings = []
        for label, path, needs_session in pages:
            headers = signed_in if needs_session else {}
            cpu, queries = measure(port, path, headers)
            # The ceiling right before each page: others' load on the machine changes.
            ceiling = load(port, "/bench/trivial", {}, SECONDS)
            ceilings.append(ceiling)
            rps = load(port, path, headers, SECONDS)
            results["pages"][label] = (cpu, queries, rps / ceiling)
        results["trivial"] = (trivial_cpu, statistics.median(ceilings))
        if page_cache:
            count, elapsed, cpu = sign_ups(port, SIGNUP_SECONDS)
            results["signups"] = (count, elapsed, statistics.median(cpu) if cpu else 0.0)
    finally:
        _common.stop_gunicorn(process)
        log = process.log_path.read_text()  # type: ignore[attr-defined]
        if "Traceback" in log:
            print("--- gunicorn log (tail) ---\n" + log[-3000:])
    return results


def hash_cpu_ms() -> float:
    started = time.process_time()
    for _ in range(5):
        make_password(PASSWORD)
    return (time.process_time() - started) / 5 * 1000


def report(uncached: dict, cached: dict) -> None:
    u_cpu, u_rps = uncached["trivial"]
    c_cpu, c_rps = cached["trivial"]
    print()
    print(
        f"trivial view (the ceiling): {u_cpu:.2f} / {c_cpu:.2f} ms CPU, median "
        f"{u_rps:.0f} / {c_rps:.0f} requests/s (uncached run / cached run; measured again "
        "right before each page, which is compared with that)"
    )
    header = (
        f"{'page':<26} {'CPU ms uncached':>16} {'cached':>8} {'queries':>8} "
        f"{'share uncached':>15} {'cached':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, (cpu, queries, share) in uncached["pages"].items():
        hit_cpu, hit_queries, hit_share = cached["pages"][label]
        print(
            f"{label:<26} {cpu:>16.1f} {hit_cpu:>8.1f} {f'{queries}/{hit_queries}':>8} "
            f"{share:>14.1%} {hit_share:>8.1%}"
        )
    count, elapsed, cpu = cached["signups"]
    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    print()
    print(
        f"sign-ups: {count} in {elapsed:.1f} s = {count / elapsed:.1f} sign-ups/s with "
        f"{SIGNUP_CLIENTS} clients; CPU per sign-up (form and POST) {cpu:.0f} ms in the "
        f"worker, so 2 cores hold {2000 / cpu:.0f} sign-ups/s"
        if cpu
        else "sign-ups: none"
    )
    print(f"password hash ({hasher}): {hash_cpu_ms():.0f} ms CPU")


def main() -> int:
    if not _common.needs_production_services("pages.py"):
        return 0
    _common.migrate()
    print(f"database: {connection.settings_dict['NAME']} on {connection.vendor}")
    event = Event.objects.filter(slug=SLUG).first()
    if KEEP and event is not None and Project.objects.filter(event=event).count() == PROJECTS:
        print("reusing the data of the last run (BENCH_KEEP=1)")
    else:
        print("cleaning up leftovers …")
        cleanup()
        print(
            f"populating {CHALLENGES} challenges, {PEOPLE} people, {PROJECTS} teams and projects …"
        )
        started = time.perf_counter()
        event = populate(random.Random(42))
        print(f"  in {time.perf_counter() - started:.1f} s")
        _common.steady_state()
    signed_in_person(event)
    pages = hot_pages(event)
    connection.close()  # gunicorn's workers open their own connections

    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        (tmp / "bench_pages_settings.py").write_text(SETTINGS_MODULE)
        (tmp / "bench_pages_urls.py").write_text(URLS_MODULE)
        (tmp / "media").mkdir()
        print("collecting static files …")
        collect_static(tmp)
        uncached = run_server(tmp, pages, page_cache=False)
        cached = run_server(tmp, pages, page_cache=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _common.purge_queue(QUEUE)  # the confirmation mails of the sign-ups
    report(uncached, cached)

    if KEEP:
        User.objects.filter(email__endswith=f"@{SIGNUP_DOMAIN}").delete()
        print(f"keeping the data (BENCH_KEEP=1): event {SLUG}")
    else:
        print("cleaning up …")
        cleanup()
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
