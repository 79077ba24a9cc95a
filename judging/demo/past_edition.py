"""The finished edition's projects, for its judged pre-screening (judging.demo).

UpdateDeutschland 2021 had no teams or projects in the demo: this gives it ten
submitted projects in four topic fields (topics, challenges, teams with members from the
demo people, one frozen version each, made before the edition's submission deadline).
Rows are written directly, like the teams' and projects' demo rows, keyed by (event,
slug), (event, external id), (event, team name) and (project, version number), so the
seed can run again: it resets them to this state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from challenges.enums import ChallengeStatus, GiverType
from challenges.models import Challenge, Topic
from challenges.services.intake import challenge_assign_number
from participants.enums import EventRole
from participants.models import Registration
from projects.enums import Licence, ProjectCategory, ProjectStatus
from projects.models import Project, ProjectVersion
from projects.selectors import project_snapshot
from teams.enums import MemberRole, TeamStatus
from teams.models import Membership, Team

BERLIN = ZoneInfo("Europe/Berlin")

PAST_TOPICS = [
    ("verwaltung", "Moderne Verwaltung", "Anträge, Register und Behördengänge digital."),
    ("bildung", "Bildung", "Schule, Weiterbildung und lebenslanges Lernen."),
    ("klima", "Klima & Umwelt", "Klimaschutz und Anpassung in Kommunen."),
    ("zusammenhalt", "Zusammenhalt", "Ehrenamt, Nachbarschaft und Teilhabe."),
]
# external id, topic slug, title, problem, affected, desired outcome, giver type, organisation
PAST_CHALLENGES = [
    (
        "ud21-01",
        "verwaltung",
        "Wohngeld ohne Papierstapel beantragen",
        "Der Antrag auf Wohngeld umfasst viele Seiten und Nachweise; viele Berechtigte "
        "stellen ihn nie.",
        "Menschen mit geringem Einkommen, Wohngeldstellen",
        "Ein verständlicher Online-Antrag, der Nachweise einmal abfragt.",
        GiverType.MUNICIPALITY,
        "Stadt Leipzig",
    ),
    (
        "ud21-02",
        "bildung",
        "Weiterbildung finden, die wirklich passt",
        "Angebote der Weiterbildung sind auf hunderte Portale verteilt; Beschäftigte finden "
        "nicht, was zu ihnen passt.",
        "Beschäftigte, Arbeitsagenturen, Bildungsträger",
        "Eine Suche über alle Angebote, die Förderungen gleich mitnennt.",
        GiverType.FEDERAL_BODY,
        "Bundesagentur für Arbeit",
    ),
    (
        "ud21-03",
        "klima",
        "Hitzeschutz in der Stadt planen",
        "Kommunen wissen oft nicht, wo Hitze gefährdete Menschen besonders trifft.",
        "Ältere Menschen, Kitas, Stadtplanung",
        "Eine Karte der Hitzeinseln mit Schutzorten und Maßnahmen.",
        GiverType.MUNICIPALITY,
        "Stadt Kiel",
    ),
    (
        "ud21-04",
        "zusammenhalt",
        "Ehrenamt und Vereine zusammenbringen",
        "Vereine suchen Helfende, Interessierte finden keinen Einstieg.",
        "Vereine, Ehrenamtliche, Freiwilligenagenturen",
        "Eine Plattform, die Aufgaben und Menschen in der Nähe zusammenbringt.",
        GiverType.NGO,
        "Landesnetzwerk Bürgerschaftliches Engagement",
    ),
]
# team name: challenge external id, member indexes (into the demo people), title, pitch,
# problem, solution, target group, category, repository
PAST_PROJECTS = {
    "Wohngeld-Lotse": (
        "ud21-01",
        [13, 14],
        "Wohngeld-Lotse – der Antrag in einfacher Sprache",
        "Ein Assistent führt in einfacher Sprache durch den Wohngeldantrag und prüft, "
        "welche Nachweise fehlen.",
        "Viele Berechtigte geben beim seitenlangen Antrag auf.",
        "Ein geführter Antrag mit Vorprüfung und Upload der Nachweise.",
        "Menschen mit geringem Einkommen und die Wohngeldstellen.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/wohngeld-lotse",
    ),
    "Nachweis-Safe": (
        "ud21-01",
        [16, 17],
        "Nachweis-Safe – einmal hochladen, überall nutzen",
        "Bürger:innen legen Nachweise einmal ab und geben sie für jeden Antrag frei.",
        "Dieselben Nachweise werden bei jeder Behörde neu verlangt.",
        "Ein persönlicher, verschlüsselter Ablageort mit Freigabe pro Antrag.",
        "Bürger:innen und Verwaltungen.",
        ProjectCategory.EXTENSION,
        "https://github.com/example/nachweis-safe",
    ),
    "Amt-Chat": (
        "ud21-01",
        [18, 20],
        "Amt-Chat – Fragen zur Verwaltung rund um die Uhr",
        "Ein Chat beantwortet häufige Fragen zu Anträgen und leitet schwierige an "
        "Sachbearbeiter:innen weiter.",
        "Telefonleitungen der Ämter sind überlastet.",
        "Ein Chatbot mit Wissensbasis der Verwaltung und Übergabe an Menschen.",
        "Bürger:innen und Bürgerämter.",
        ProjectCategory.COMMERCIAL,
        "https://github.com/example/amt-chat",
    ),
    "Kurskompass": (
        "ud21-02",
        [21, 22],
        "Kurskompass – Weiterbildung mit Förderung finden",
        "Eine Suche über alle Weiterbildungsportale, die passende Förderungen gleich anzeigt.",
        "Weiterbildungen sind verstreut und Förderungen unbekannt.",
        "Ein Suchindex über offene Schnittstellen der Portale mit Förderrechner.",
        "Beschäftigte und Beratungsstellen.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/kurskompass",
    ),
    "Lernpfade": (
        "ud21-02",
        [24, 25],
        "Lernpfade – Schritt für Schritt zum neuen Beruf",
        "Persönliche Lernpfade aus Kursen verschiedener Anbieter, mit Mentoring.",
        "Wer den Beruf wechseln will, weiß nicht, womit anfangen.",
        "Ein Pfad-Baukasten, der Kurse, Praktika und Mentor:innen verbindet.",
        "Beschäftigte im Wandel ihrer Branche.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/lernpfade",
    ),
    "Hitzekarte": (
        "ud21-03",
        [26, 27],
        "Hitzekarte – wo die Stadt zu heiß wird",
        "Satellitendaten und Messstationen zeigen Hitzeinseln; die Karte nennt Schutzorte.",
        "Kommunen fehlt ein Überblick, wo Hitze am stärksten trifft.",
        "Eine offene Karte aus Satelliten- und Sensordaten mit Maßnahmenkatalog.",
        "Stadtplanung, Gesundheitsämter, Bürger:innen.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/hitzekarte",
    ),
    "Kühle Orte": (
        "ud21-03",
        [28, 32],
        "Kühle Orte – Schutz vor Hitze in der Nachbarschaft",
        "Eine App zeigt kühle Räume, Trinkbrunnen und schattige Wege in der Nähe.",
        "Ältere Menschen wissen nicht, wohin bei großer Hitze.",
        "Eine App mit Daten der Kommune und Hinweisen aus der Nachbarschaft.",
        "Ältere Menschen, Pflegedienste, Kommunen.",
        ProjectCategory.EXTENSION,
        "https://github.com/example/kuehle-orte",
    ),
    "Vereinsbörse": (
        "ud21-04",
        [34, 35],
        "Vereinsbörse – Aufgaben statt Mitgliedschaft",
        "Vereine stellen kleine Aufgaben ein, Interessierte helfen ohne Verpflichtung.",
        "Viele wollen helfen, aber nicht gleich Mitglied werden.",
        "Eine Börse für kurze Einsätze mit Kalender und Erinnerungen.",
        "Vereine und spontane Helfende.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/vereinsboerse",
    ),
    "Engagement-Pass": (
        "ud21-04",
        [36, 37],
        "Engagement-Pass – Ehrenamt sichtbar machen",
        "Ein digitaler Nachweis über ehrenamtliche Arbeit, anerkannt von Arbeitgebern.",
        "Ehrenamtliche Arbeit bleibt im Lebenslauf unsichtbar.",
        "Ein Pass mit Bestätigungen der Vereine und einem Export für Bewerbungen.",
        "Ehrenamtliche, Vereine, Arbeitgeber.",
        ProjectCategory.COMMERCIAL,
        "https://github.com/example/engagement-pass",
    ),
    "Nachbarschaftstisch": (
        "ud21-04",
        [38, 9],
        "Nachbarschaftstisch – gemeinsam essen gegen Einsamkeit",
        "Nachbar:innen laden zu offenen Tischen ein; eine Karte zeigt, wo noch Platz ist.",
        "Einsamkeit trifft Alt und Jung, Begegnungsorte fehlen.",
        "Eine Karte offener Tische mit Anmeldung per Telefon oder App.",
        "Menschen, die allein leben, und Nachbarschaftstreffs.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/nachbarschaftstisch",
    ),
}


def _at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BERLIN)


PAST_SUBMITTED_AT = _at(2021, 3, 21, 16)
PAST_OPENS_AT = _at(2021, 3, 22, 9)
PAST_CLOSES_AT = _at(2021, 4, 6, 18)
PAST_PUBLISHED_AT = _at(2021, 4, 9, 18)  # when the edition's results phase began


def _people(context) -> list:
    extra = context.extra.get("participants") or {}
    return list(extra.get("people") or context.participants)


def seed_past_projects(*, context) -> list[Project]:
    """Topics, challenges, teams and submitted projects of the finished edition."""
    event = context.events["past"]
    people = _people(context)
    topics = {}
    for position, (slug, name, description) in enumerate(PAST_TOPICS):
        topics[slug], _created = Topic.objects.update_or_create(
            event=event,
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
    challenges = {}
    for index, row in enumerate(PAST_CHALLENGES):
        external_id, topic, title, problem, affected, outcome, giver_type, organisation = row
        challenge, _created = Challenge.objects.update_or_create(
            event=event,
            external_id=external_id,
            defaults={
                "status": ChallengeStatus.PUBLISHED,
                "topic": topics[topic],
                "title": title,
                "problem": problem,
                "affected": affected,
                "desired_outcome": outcome,
                "giver_type": giver_type,
                "organisation_name": organisation,
                "contact_name": "Demo-Kontakt",
                "contact_email": f"ud21-challenge{index + 1:02d}@example.org",
                "published_at": _at(2021, 3, 5),
            },
        )
        challenge_assign_number(challenge)
        challenges[external_id] = challenge

    projects = []
    for index, (name, spec) in enumerate(PAST_PROJECTS.items()):
        external_id, members, title, pitch, problem, solution, target, category, repo = spec
        members = [people[i] for i in members if i < len(people)]
        team = Team.objects.filter(event=event, name__iexact=name).first()
        fields = {
            "challenge": challenges[external_id],
            "pitch": pitch,
            "max_size": event.team_max_size,
            "status": TeamStatus.OPEN,
            "closed_at": None,
        }
        if team is None:
            team = Team.objects.create(event=event, name=name, **fields)
        else:
            Team.objects.filter(pk=team.pk).update(**fields)
        Membership.objects.filter(team=team).exclude(user__in=members).delete()
        for position, user in enumerate(members):
            Registration.objects.get_or_create(
                event=event,
                user=user,
                defaults={
                    "role": EventRole.PARTICIPANT,
                    "looking_for_team": False,
                    "code_of_conduct_accepted_at": _at(2021, 3, 1),
                },
            )
            Membership.objects.update_or_create(
                team=team,
                user=user,
                defaults={
                    "event": event,
                    "role": MemberRole.ADMIN if position == 0 else MemberRole.MEMBER,
                },
            )
        Team.objects.filter(pk=team.pk).update(
            member_count=len(members), created_at=_at(2021, 3, 19, 19)
        )
        team.refresh_from_db()

        submitted_at = PAST_SUBMITTED_AT - timedelta(minutes=25 * index)
        project, _created = Project.objects.update_or_create(
            team=team,
            defaults={
                "event": event,
                "status": ProjectStatus.SUBMITTED,
                "submitted_at": submitted_at,
                "withdrawn_at": None,
                "title": title,
                "pitch": pitch,
                "problem": problem,
                "solution": solution,
                "target_group": target,
                "category": category,
                "repository_url": repo,
                "licence": Licence.MIT,
            },
        )
        project.challenges.set([challenges[external_id]])
        project.credited_members.set(members)
        # One version, frozen before the deadline: what the jurors of 2021 judged.
        version, _created = ProjectVersion.objects.update_or_create(
            project=project,
            number=1,
            defaults={
                "snapshot": project_snapshot(project=project),
                "created_by": members[0] if members else None,
            },
        )
        ProjectVersion.objects.filter(pk=version.pk).update(created_at=submitted_at)
        projects.append(project)
    context.log(f"{event.name}: {len(projects)} submitted projects in {len(topics)} topic fields")
    return projects
