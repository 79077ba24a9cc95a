"""Demo help requests: one open that fits the demo mentor's skills, one open for anyone,
one the mentor took and one closed, so the mentor board and the figures show something.

Keyed by (team, question), so the seed can run again: it resets the demo requests to
this state. Rows are written directly (no notifications, no audit), like an import.
"""

from __future__ import annotations

from datetime import timedelta

from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from participants.models import Skill
from teams.models import Membership

# team name, skill slug, topic, question, contact, status, asked (minutes ago),
# claimed after (minutes, for claimed and closed ones)
REQUESTS = [
    (
        "Bettenradar",
        "healthcare",
        "Meldewege der Kliniken",
        "Welche Daten melden Kliniken heute schon an die Behörden, und wer darf sie sehen? "
        "Wir wollen nichts doppelt abfragen.",
        "Matrix: #bettenradar:matrix.org, Tisch 4",
        HelpRequestStatus.OPEN,
        35,
        None,
    ),
    (
        "Lernbrücke",
        "",
        "Datenschutz",
        "Dürfen Lehrkräfte Aufgaben über unseren Dienst an Schülerinnen und Schüler "
        "verschicken, ohne dass die Eltern zustimmen?",
        "Jitsi: https://meet.jit.si/lernbruecke-wirvsvirus",
        HelpRequestStatus.OPEN,
        12,
        None,
    ),
    (
        "Antrag digital",
        "public-administration",
        "Schnittstellen der Verwaltung",
        "Gibt es für Anträge auf Soforthilfe eine Schnittstelle der Länder, an die wir "
        "die ausgefüllten Formulare schicken können?",
        "Slack #antrag-digital",
        HelpRequestStatus.CLAIMED,
        90,
        8,
    ),
    (
        "Kontakt-Tracer",
        "",
        "Pitch",
        "Könnt ihr unseren Pitch für die Gesundheitsämter einmal gegenlesen?",
        "Discord: Kontakt-Tracer#1234",
        HelpRequestStatus.CLOSED,
        240,
        20,
    ),
]


def seed(*, context) -> None:
    teams = (context.extra.get("teams") or {}).get("teams") or {}
    mentor = (context.extra.get("participants") or {}).get("mentor")
    if not teams or mentor is None:
        context.log("no demo teams or mentor: no help requests")
        return
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    made = 0
    for name, slug, topic, question, contact, status, asked, claimed_after in REQUESTS:
        team = teams.get(name)
        if team is None:
            continue
        asker = Membership.objects.filter(team=team).order_by("joined_at").first()
        created = context.now - timedelta(minutes=asked)
        claimed_at = created + timedelta(minutes=claimed_after) if claimed_after else None
        help_request, _created = HelpRequest.objects.update_or_create(
            team=team,
            question=question,
            defaults={
                "skill": skills.get(slug),
                "topic": topic,
                "contact": contact,
                "status": status,
                "created_by": asker.user if asker else None,
                "mentor": mentor if status != HelpRequestStatus.OPEN else None,
                "claimed_at": claimed_at,
                "closed_at": context.now - timedelta(minutes=5)
                if status == HelpRequestStatus.CLOSED
                else None,
            },
        )
        # auto_now_add ignores a given value: place the request in the demo's time.
        HelpRequest.objects.filter(pk=help_request.pk).update(created_at=created)
        made += 1
    context.log(
        f"{made} help requests (mentor board: /mentoring/{context.events['current'].slug}/)"
    )
