"""Demo teams in the running edition, in every state a visitor should see.

Teams with open places and open roles that want skills the demo participants have, one
full team, one closed team, pending join requests and one invitation link. Keyed by
(event, team name), (team, person) and the invitation's token, so the seed can run
again: it resets the demo teams to this state. Rows are written directly (no
notifications, no audit), the way an import would; a few demo logins stay without a
team so a visitor can try joining.

Later steps find the teams in `context.extra["teams"]["teams"]` (by name).
"""

from __future__ import annotations

from datetime import timedelta

from challenges.enums import ChallengeStatus
from participants.enums import EventRole
from participants.models import Language, Registration, Skill
from teams.enums import JoinRequestStatus, MemberRole, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team

DEMO_INVITATION_TOKEN = "demo-einladung-bettenradar"  # noqa: S105 -- a published demo link

# name: challenge external_id, pitch, languages, chat link, max size (None: the event's),
# [(person index, role)], [(role title, description, skill slugs)], [(person index, message)]
# Person indexes point into the participants' demo people (the ten printed logins first).
TEAMS = {
    "Bettenradar": (
        "demo-01",
        "Kliniken melden freie Intensivbetten mit zwei Klicks, Leitstellen sehen sie sofort "
        "auf einer Karte. Wir bauen die Meldeseite, die Karte und eine offene Schnittstelle.",
        ["de", "en"],
        "https://matrix.to/#/#bettenradar:matrix.org",
        None,
        [(0, MemberRole.ADMIN), (10, MemberRole.MEMBER), (19, MemberRole.MEMBER)],
        [
            ("Frontend-Entwicklung", "Die Karte für die Leitstellen.", ["javascript", "react"]),
            ("UX-Design", "Mit Leitstellen sprechen und die Meldeseite entwerfen.", ["ux"]),
        ],
        [
            (1, "Ich baue gern die Karte mit React, habe schon mit Leaflet gearbeitet."),
            (24, "Ich würde gern mit den Leitstellen sprechen und die Meldeseite testen."),
        ],
    ),
    "Lernbrücke": (
        "demo-06",
        "Eine schlanke Lernplattform, die jede Schule ohne IT-Abteilung in zehn Minuten "
        "einrichtet, mit Leihgeräte-Verwaltung für Familien ohne Laptop.",
        ["de"],
        "https://discord.gg/lernbruecke-demo",
        None,
        [(8, MemberRole.ADMIN), (11, MemberRole.MEMBER), (30, MemberRole.MEMBER)],
        [
            ("Backend-Entwicklung", "Kurse, Aufgaben und Geräteverleih.", ["python", "django"]),
            ("Didaktik & Inhalte", "Was Lehrkräfte wirklich brauchen.", ["education"]),
        ],
        [(9, "Python ist meine Sprache, Django lerne ich gerade: ich wäre gern dabei!")],
    ),
    "Kontakt-Tracer": (
        "demo-02",
        "Gesundheitsämter erfassen Fälle und Kontaktpersonen digital statt in Excel; "
        "Auswertungen zeigen, wo Ketten entstehen.",
        ["de", "tr"],
        "",
        None,
        [(3, MemberRole.ADMIN)],
        [
            ("Data Science", "Auswertungen der Infektionsketten.", ["data-science", "python"]),
            ("UX-Design", "Formulare, die auch am Telefon schnell gehen.", ["ux", "ui-design"]),
        ],
        [(2, "Ich habe Formulare für ein Bürgeramt gestaltet und spreche Türkisch.")],
    ),
    "Antrag digital": (
        "demo-10",
        "Soforthilfe in fünf Minuten beantragen: ein Antragsassistent mit automatischer "
        "Prüfung, der direkt an die Förderbank übergibt.",
        ["de"],
        "https://join.slack.com/t/antrag-digital-demo/shared_invite/demo",
        None,
        [
            (5, MemberRole.ADMIN),
            (15, MemberRole.MEMBER),
            (23, MemberRole.MEMBER),
            (29, MemberRole.MEMBER),
            (33, MemberRole.MEMBER),
        ],
        [("Rechtliche Prüfung", "Datenschutz und Förderrecht.", ["law", "public-administration"])],
        [(34, "Ich bin Datenschutzjuristin und kann die Prüfung übernehmen.")],
    ),
    "Nachbarschaftsnetz": (
        "demo-14",
        "Wer Hilfe beim Einkaufen braucht, ruft an oder tippt; Nachbarinnen und Nachbarn "
        "in der Nähe übernehmen. Wir sind komplett und legen los.",
        ["de", "en"],
        "https://matrix.to/#/#nachbarschaftsnetz:matrix.org",
        4,
        [
            (4, MemberRole.ADMIN),
            (12, MemberRole.ADMIN),
            (31, MemberRole.MEMBER),
            (39, MemberRole.MEMBER),
        ],
        [],
        [],
    ),
}
# A team whose members all left: closed, no members, its page stays.
CLOSED_TEAM = (
    "Klar informiert",
    "demo-22",
    "Corona-Regeln für jeden Ort verständlich erklärt, in einfacher Sprache.",
)


def _people(context) -> list:
    extra = context.extra.get("participants") or {}
    return list(extra.get("people") or context.participants)


def _published(context) -> dict:
    challenges = (context.extra.get("challenges") or {}).get("challenges") or []
    return {c.external_id: c for c in challenges if c.status == ChallengeStatus.PUBLISHED}


def _challenge(published: dict, external_id: str):
    # Falls back to any published challenge, so a changed challenge demo never breaks this.
    return published.get(external_id) or next(iter(published.values()))


def _ensure_registration(context, event, user) -> None:
    """Normally made by the participants' demo; created here if it is not there."""
    Registration.objects.get_or_create(
        event=event,
        user=user,
        defaults={
            "role": EventRole.PARTICIPANT,
            "looking_for_team": False,
            "code_of_conduct_accepted_at": context.now - timedelta(days=7),
        },
    )


def _team(event, name: str, **fields) -> Team:
    team = Team.objects.filter(event=event, name__iexact=name).first()
    if team is None:
        return Team.objects.create(event=event, name=name, **fields)
    # Lower the count first so a smaller maximum never trips the CHECK constraint.
    Team.objects.filter(pk=team.pk).update(member_count=0)
    for field, value in fields.items():
        setattr(team, field, value)
    team.member_count = fields.get("member_count", 0)
    team.save()
    return team


def seed(*, context) -> None:
    event = context.events["current"]
    published = _published(context)
    if not published:
        context.log("no published challenges: no demo teams")
        return
    people = _people(context)
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    made = {}

    for index, (name, spec) in enumerate(TEAMS.items()):
        external_id, pitch, codes, chat, max_size, members, roles, requests = spec
        members = [(people[i], role) for i, role in members if i < len(people)]
        team = _team(
            event,
            name,
            challenge=_challenge(published, external_id),
            pitch=pitch,
            chat_link=chat,
            max_size=max_size or event.team_max_size,
            status=TeamStatus.OPEN,
            closed_at=None,
            member_count=0,
        )
        Team.objects.filter(pk=team.pk).update(created_at=context.now - timedelta(hours=5 - index))
        team.languages.set([languages[code] for code in codes if code in languages])

        Membership.objects.filter(team=team).exclude(user__in=[u for u, _ in members]).delete()
        for user, role in members:
            _ensure_registration(context, event, user)
            Membership.objects.update_or_create(
                team=team, user=user, defaults={"event": event, "role": role}
            )
        Team.objects.filter(pk=team.pk).update(member_count=len(members))

        kept = []
        for title, description, slugs in roles:
            role, _created = OpenRole.objects.update_or_create(
                team=team, title=title, defaults={"description": description}
            )
            role.skills.set([skills[slug] for slug in slugs if slug in skills])
            kept.append(role.pk)
        OpenRole.objects.filter(team=team).exclude(pk__in=kept).delete()

        for person_index, message in requests:
            if person_index >= len(people):
                continue
            user = people[person_index]
            _ensure_registration(context, event, user)
            JoinRequest.objects.update_or_create(
                team=team,
                user=user,
                status=JoinRequestStatus.PENDING,
                defaults={"message": message},
            )
        made[name] = team

    name, external_id, pitch = CLOSED_TEAM
    closed = _team(
        event,
        name,
        challenge=_challenge(published, external_id),
        pitch=pitch,
        chat_link="",
        max_size=event.team_max_size,
        status=TeamStatus.CLOSED,
        closed_at=context.now - timedelta(hours=2),
        member_count=0,
    )
    Membership.objects.filter(team=closed).delete()
    made[name] = closed

    admin = Membership.objects.filter(team=made["Bettenradar"], role=MemberRole.ADMIN).first()
    Invitation.objects.update_or_create(
        token=DEMO_INVITATION_TOKEN,
        defaults={
            "team": made["Bettenradar"],
            "created_by": admin.user if admin else None,
            "expires_at": context.now + timedelta(days=7),
            "revoked_at": None,
        },
    )

    context.extra["teams"] = {"teams": made}
    pending = JoinRequest.objects.filter(
        team__in=made.values(), status=JoinRequestStatus.PENDING
    ).count()
    context.log(
        f"{len(made)} teams ({len(made) - 2} with open places, 1 full, 1 closed), "
        f"{pending} pending join requests, invitation /teams/join/{DEMO_INVITATION_TOKEN}/"
    )
