"""Benchmark: the team finder and the suggestions at #WirVsVirus scale.

Sets up 28,000 registered participants (profiles with skills, topics, languages and a
region) and 1,500 teams (members, open roles wanting skills, languages) in a throwaway
event, all with bulk inserts, then times

- the finder's first page (count + 20 rows + open roles, skills and languages), also
  filtered by a skill and searched by text,
- a participant's team suggestions,
- a team's people suggestions,

and prints the median and 95th percentile of each over BENCH_RUNS runs (default 50).
Runs against the database in DATABASE_URL (use PostgreSQL for real figures) and deletes
its data at the end (also the leftovers of an interrupted run, at the start; BENCH_KEEP=1
keeps it, to look at query plans).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench2 .venv/bin/python bench/teams_finder.py
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable

import _common  # sets Django up
from _common import BATCH, KEEP, p95, through_rows
from django.core.paginator import Paginator
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from accounts.models import User
from challenges.enums import ChallengeStatus, GiverType, State
from challenges.models import Challenge, Topic
from events.models import Event
from participants.models import Registration, Skill
from teams.models import Membership, OpenRole, Team
from teams.selectors import teams_for_finder
from teams.suggestions import people_suggested_for, teams_suggested_for

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "28000"))
TEAMS = int(os.environ.get("BENCH_TEAMS", "1500"))
RUNS = int(os.environ.get("BENCH_RUNS", "50"))
SLUG = "bench-teams"
EMAIL_DOMAIN = "bench-teams.invalid"
SKILL_PREFIX = "bench-"
NUMBER_BASE = 90_000_000

CATEGORIES = {
    "Entwicklung": ["Python", "Django", "JavaScript", "React", "Java", "Go", "PHP", "Kotlin"],
    "Daten": ["SQL", "Datenanalyse", "Machine Learning", "Statistik", "Visualisierung"],
    "Design": ["UX", "UI-Design", "Illustration", "Barrierefreiheit", "Nutzerforschung"],
    "Betrieb": ["DevOps", "Linux", "Kubernetes", "Sicherheit", "Cloud"],
    "Inhalt": ["Texten", "Übersetzen", "Video", "Social Media", "Presse"],
    "Fachwissen": ["Recht", "Medizin", "Pflege", "Verwaltung", "Bildung", "Logistik"],
    "Organisation": ["Projektmanagement", "Moderation", "Finanzen", "Fundraising"],
}
TOPICS = ["Gesundheit", "Bildung", "Verwaltung", "Nachbarschaft", "Wirtschaft", "Information"]
WORDS = [
    "Impftermine",
    "Nachbarschaftshilfe",
    "Schule",
    "Pflegekräfte",
    "Gesundheitsamt",
    "Einkauf",
    "Daten",
    "Karte",
    "Chatbot",
    "Ehrenamt",
]


def cleanup() -> None:
    event = Event.objects.filter(slug=SLUG).first()
    if event is not None:
        Team.objects.filter(event=event).delete()
        Registration.objects.filter(event=event).delete()
        Challenge.objects.filter(event=event).delete()
        Topic.objects.filter(event=event).delete()
        event.delete()
    _common.delete_people(EMAIL_DOMAIN)
    Skill.objects.filter(slug__startswith=SKILL_PREFIX).delete()


@transaction.atomic
def populate(rng: random.Random) -> tuple[Event, list[int], list[int]]:
    event = Event.objects.create(slug=SLUG, name="Benchmark-Hackathon", is_public=False)
    skills = Skill.objects.bulk_create(
        Skill(
            name=f"{name} (bench)",
            slug=f"{SKILL_PREFIX}{index}",
            category=category,
            is_curated=True,
        )
        for index, (category, name) in enumerate(
            (category, name) for category, names in CATEGORIES.items() for name in names
        )
    )
    skill_ids = [skill.pk for skill in skills]
    codes = _common.language_codes()
    topics = Topic.objects.bulk_create(
        Topic(event=event, name=name, slug=f"bench-{index}", position=index)
        for index, name in enumerate(TOPICS)
    )
    states = [state.value for state in State]
    now = timezone.now()
    challenges = Challenge.objects.bulk_create(
        Challenge(
            event=event,
            number=NUMBER_BASE + index,
            status=ChallengeStatus.PUBLISHED,
            title=f"Herausforderung {index}: {rng.choice(WORDS)}",
            problem="Ein Problem, das viele Menschen betrifft und gelöst werden muss.",
            affected="Viele Menschen",
            desired_outcome="Eine gute Lösung für alle.",
            topic=rng.choice(topics),
            giver_type=GiverType.CITIZEN,
            state=rng.choice(states + [""] * 4),
            contact_name="Bench",
            contact_email="bench@example.org",
            published_at=now,
        )
        for index in range(max(TEAMS // 5, 1))
    )

    started = time.perf_counter()
    users = _common.load_people(
        rng,
        event=event,
        count=PEOPLE,
        email_domain=EMAIL_DOMAIN,
        skill_ids=skill_ids,
        topics=topics,
        codes=codes,
        regions=states,
        looking_for_team=lambda: rng.random() < 0.9,
    )
    print(f"  {PEOPLE} people in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    teams = Team.objects.bulk_create(
        (
            Team(
                event=event,
                challenge=rng.choice(challenges),
                name=f"Team {index} {rng.choice(WORDS)}",
                pitch=f"Wir bauen etwas für {rng.choice(WORDS)} und {rng.choice(WORDS)}.",
                max_size=10,
                member_count=rng.randint(1, 10),
                status="open" if rng.random() < 0.95 else "closed",
            )
            for index in range(TEAMS)
        ),
        batch_size=BATCH,
    )
    members = iter(users)
    memberships = []
    for team in teams:
        for position in range(team.member_count):
            memberships.append(
                Membership(
                    team=team,
                    user=next(members),
                    event=event,
                    role="admin" if position == 0 else "member",
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    roles = OpenRole.objects.bulk_create(
        (
            OpenRole(team=team, title=f"Rolle {index}")
            for team in teams
            for index in range(rng.randint(0, 3) if team.member_count < 10 else 0)
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
    print(
        f"  {TEAMS} teams, {len(memberships)} members, {len(roles)} open roles "
        f"in {time.perf_counter() - started:.1f} s"
    )
    in_team = {m.user_id for m in memberships}
    seekers = [u.pk for u in users if u.pk not in in_team]
    open_teams = [t.pk for t in teams if t.status == "open"]
    return event, seekers, open_teams


def timed(label: str, action: Callable[[int], object]) -> None:
    latencies = []
    queries = 0
    for run in range(RUNS):
        reset_queries()
        started = time.perf_counter()
        action(run)
        latencies.append((time.perf_counter() - started) * 1000)
        queries = len(connection.queries)
    print(
        f"{label:<38} median {statistics.median(latencies):7.1f} ms   "
        f"p95 {p95(latencies):7.1f} ms   ({queries} queries)"
    )


def first_page(event: Event, params: dict) -> None:
    page = Paginator(teams_for_finder(event=event, params=params), 20).get_page(1)
    assert page.paginator.count >= 0
    for team in page.object_list:
        for role in team.open_roles.all():
            list(role.skills.all())
        list(team.languages.all())
        assert team.challenge.title


def main() -> None:
    _common.migrate()
    print(f"database: {connection.vendor}")
    print("cleaning up leftovers …")
    cleanup()
    print("populating …")
    rng = random.Random(42)
    event, seekers, open_teams = populate(rng)
    _common.steady_state()
    # Count queries too (DEBUG is off, so tell the connection to record them).
    connection.force_debug_cursor = True
    try:
        skill = Skill.objects.filter(slug__startswith=SKILL_PREFIX).order_by("pk").first()
        users = {u.pk: u for u in User.objects.filter(pk__in=seekers[: RUNS * 2])}
        teams = list(
            Team.objects.filter(pk__in=open_teams[: RUNS * 2]).select_related(
                "event", "challenge__topic"
            )
        )
        timed("finder, first page", lambda run: first_page(event, {}))
        timed("finder, filtered by a skill", lambda run: first_page(event, {"skill": skill.slug}))
        timed("finder, text search", lambda run: first_page(event, {"q": WORDS[run % len(WORDS)]}))
        seeker_ids = list(users)
        timed(
            "suggestions: teams for a participant",
            lambda run: teams_suggested_for(event=event, user=users[seeker_ids[run]]),
        )
        timed(
            "suggestions: people for a team",
            lambda run: people_suggested_for(team=teams[run % len(teams)]),
        )
        sample = people_suggested_for(team=teams[0])
        if sample:
            print(f"  e.g. {sample[0].user}: {'; '.join(sample[0].reasons)}")
    finally:
        connection.force_debug_cursor = False
        if KEEP:
            print(f"keeping the data (BENCH_KEEP=1); the next run deletes it: event {SLUG}")
        else:
            print("cleaning up …")
            cleanup()


if __name__ == "__main__":
    main()
