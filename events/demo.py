"""Demo data of the events app: the people everybody needs and two editions.

Called by `manage.py seed_demo` (see its docstring for how apps plug in). Every
step is idempotent: people are keyed by e-mail address, events by slug, phases
by (event, kind), so running the seed again updates rows instead of adding them.
The running edition is placed relative to `context.now`, so it is always in its
hackathon phase right after seeding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress

from accounts.models import User
from events.enums import PhaseKind
from events.models import Event
from events.services import event_upsert, organiser_appoint

CODE_OF_CONDUCT = (
    "Wir arbeiten respektvoll, offen und hilfsbereit zusammen. Belästigung, Diskriminierung "
    "und Herabwürdigung haben bei uns keinen Platz – weder im Chat noch im Video-Call.\n\n"
    "Wir teilen Wissen, nennen die Arbeit anderer und respektieren die Privatsphäre aller "
    "Beteiligten: Kontaktdaten und persönliche Informationen geben wir nur mit Zustimmung weiter.\n\n"
    "Wer sich unwohl fühlt oder einen Verstoß beobachtet, wendet sich an das Orga-Team. "
    "Verstöße können zum Ausschluss vom Event führen."
)
DEMO_PASSWORD = "demo-passwort"  # noqa: S105 -- a published demo login, never used in production
DEMO_EVENT_SLUG = "wirvsvirus-demo"
PAST_EVENT_SLUG = "updatedeutschland-2021"
UPCOMING_EVENT_SLUG = "zukunftswerkstatt-demo"

ADMIN = ("admin@example.org", "Plattform-Admin")
ORGANISER = ("orga@example.org", "Katrin Vogel (Orga-Team)")
PARTICIPANTS = [
    ("lena.schmidt@example.org", "Lena Schmidt"),
    ("jonas.becker@example.org", "Jonas Becker"),
    ("aylin.yilmaz@example.org", "Aylin Yılmaz"),
    ("mehmet.kaya@example.org", "Mehmet Kaya"),
    ("sophie.wagner@example.org", "Sophie Wagner"),
    ("lukas.hoffmann@example.org", "Lukas Hoffmann"),
    ("marie.schulz@example.org", "Marie Schulz"),
    ("felix.neumann@example.org", "Felix Neumann"),
    ("hannah.richter@example.org", "Hannah Richter"),
    ("noah.klein@example.org", "Noah Klein"),
]


@dataclass
class DemoLogin:
    role: str
    email: str


@dataclass
class DemoContext:
    """What the seed steps share; later steps read what earlier ones made.

    `users` holds the people by role ("admin", "organiser"), `participants` the
    ordinary ones, `events` the editions by role ("current", "past", "upcoming"). An app puts
    anything further steps may need into `extra`, under its own app label.
    """

    now: datetime
    password: str
    stdout: TextIO
    users: dict[str, User] = field(default_factory=dict)
    participants: list[User] = field(default_factory=list)
    events: dict[str, Event] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        self.stdout.write(f"  {message}\n")

    def person(
        self,
        *,
        email: str,
        display_name: str,
        login_role: str | None = None,
        is_staff: bool = False,
        is_superuser: bool = False,
    ) -> User:
        """The demo person with this e-mail, created or reset to these values.

        Their address is verified and primary (so they can log in when
        verification is mandatory) and their password is the demo password.
        With `login_role` they are listed among the printed demo logins.
        """
        user = User.objects.filter(email__iexact=email).first() or User(email=email)
        user.display_name = display_name
        user.language = "de"
        user.is_active = True
        user.is_staff = is_staff or is_superuser
        user.is_superuser = is_superuser
        user.set_password(self.password)
        user.save()
        EmailAddress.objects.filter(user=user, primary=True).exclude(email=user.email).update(
            primary=False
        )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if login_role and all(login.email != user.email for login in self.logins):
            self.logins.append(DemoLogin(role=login_role, email=user.email))
        return user


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def seed_people(*, context: DemoContext) -> None:
    context.users["admin"] = context.person(
        email=ADMIN[0], display_name=ADMIN[1], login_role="Administrator", is_superuser=True
    )
    organiser = context.person(
        email=ORGANISER[0], display_name=ORGANISER[1], login_role="Organiser", is_staff=True
    )
    organiser_appoint(user=organiser)
    context.users["organiser"] = organiser
    context.participants = [
        context.person(email=email, display_name=name, login_role="Participant")
        for email, name in PARTICIPANTS
    ]
    context.log(f"{2 + len(context.participants)} people (password: {context.password})")


def seed_current_event(*, context: DemoContext) -> Event:
    """#WirVsVirus Demo, 6 hours into its 48-hour hackathon."""
    berlin = ZoneInfo("Europe/Berlin")
    # The hackathon lasts 48 real hours; the other phases are whole days on Berlin's
    # wall clock (aware arithmetic in one zone keeps the hour across a DST change).
    hacking_starts_utc = _floor_hour(context.now.astimezone(UTC)) - timedelta(hours=6)
    hacking_starts = hacking_starts_utc.astimezone(berlin)
    hacking_ends = (hacking_starts_utc + timedelta(hours=48)).astimezone(berlin)

    def days(start: datetime, count: int) -> datetime:
        return start + timedelta(days=count)

    event = event_upsert(
        slug=DEMO_EVENT_SLUG,
        name="#WirVsVirus Demo",
        tagline="Gemeinsam in 48 Stunden Lösungen für die Krise entwickeln.",
        description=(
            "Im März 2020 haben über 28.000 Menschen beim Hackathon #WirVsVirus "
            "gemeinsam an Lösungen für die Herausforderungen der Corona-Krise gearbeitet.\n\n"
            "Diese Demo-Ausgabe zeigt den ganzen Ablauf: Bürger:innen, Zivilgesellschaft "
            "und Verwaltung reichen Herausforderungen ein, Teilnehmer:innen finden sich in "
            "Teams, entwickeln 48 Stunden lang Lösungen und reichen ihre Projekte ein. "
            "Eine Jury bewertet sie, und die besten Ideen werden im Umsetzungsprogramm "
            "weitergebracht.\n\n"
            "Alle Personen und Inhalte dieser Ausgabe sind frei erfunden."
        ),
        time_zone="Europe/Berlin",
        is_public=True,
        code_of_conduct=CODE_OF_CONDUCT,
        phases={
            PhaseKind.CHALLENGE_INTAKE: (days(hacking_starts, -28), days(hacking_starts, -7)),
            PhaseKind.REGISTRATION: (days(hacking_starts, -21), hacking_ends),
            PhaseKind.HACKING: (hacking_starts, hacking_ends),
            PhaseKind.SUBMISSION: (hacking_starts, hacking_ends),
            PhaseKind.JUDGING: (hacking_ends, days(hacking_ends, 7)),
            PhaseKind.RESULTS: (days(hacking_ends, 7), days(hacking_ends, 14)),
            PhaseKind.PROGRAMME: (days(hacking_ends, 14), days(hacking_ends, 14 + 182)),
        },
    )
    context.log(f"{event.name}: hackathon until {event.localtime(hacking_ends):%d.%m.%Y %H:%M}")
    return event


def seed_past_event(*, context: DemoContext) -> Event:
    """UpdateDeutschland, the open innovation process of spring 2021, long finished."""
    berlin = ZoneInfo("Europe/Berlin")

    def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
        return datetime(year, month, day, hour, tzinfo=berlin)

    event = event_upsert(
        slug=PAST_EVENT_SLUG,
        name="UpdateDeutschland 2021",
        tagline="Gemeinsam Lösungen für ein zukunftsfähiges Deutschland entwickeln.",
        description=(
            "UpdateDeutschland war ein offener Innovationsprozess, in dem Bund, Länder, "
            "Kommunen und Zivilgesellschaft gemeinsam Herausforderungen angingen.\n\n"
            "Vom 19. bis 21. März 2021 arbeiteten Tausende Teilnehmer:innen 48 Stunden lang "
            "an Lösungen für Verwaltung, Bildung, Klima und gesellschaftlichen Zusammenhalt. "
            "Ausgewählte Projekte wurden anschließend im Umsetzungsprogramm begleitet."
        ),
        time_zone="Europe/Berlin",
        is_public=True,
        phases={
            PhaseKind.CHALLENGE_INTAKE: (at(2021, 2, 1), at(2021, 3, 5)),
            PhaseKind.REGISTRATION: (at(2021, 2, 22), at(2021, 3, 21, 18)),
            PhaseKind.HACKING: (at(2021, 3, 19, 18), at(2021, 3, 21, 18)),
            PhaseKind.SUBMISSION: (at(2021, 3, 19, 18), at(2021, 3, 21, 18)),
            PhaseKind.JUDGING: (at(2021, 3, 21, 18), at(2021, 4, 9, 18)),
            PhaseKind.RESULTS: (at(2021, 4, 9, 18), at(2021, 4, 16)),
            PhaseKind.PROGRAMME: (at(2021, 4, 16), at(2021, 9, 30)),
        },
    )
    context.log(f"{event.name}: finished")
    return event


def seed_upcoming_event(*, context: DemoContext) -> Event:
    """Zukunftswerkstatt Demo, taking challenges right now; the hackathon is five weeks away.

    The running edition's intake closed a week before its hackathon, so without this
    edition "Submit a challenge" could not be tried in the demo.
    """
    berlin = ZoneInfo("Europe/Berlin")
    today = _floor_hour(context.now.astimezone(berlin)).replace(hour=9)

    def days(count: int, hour: int = 9) -> datetime:
        return (today + timedelta(days=count)).replace(hour=hour)

    event = event_upsert(
        slug=UPCOMING_EVENT_SLUG,
        name="Zukunftswerkstatt Demo",
        tagline="Eure Herausforderungen für Klima, Nachbarschaft und Verwaltung – jetzt einreichen.",
        description=(
            "Die nächste Ausgabe sammelt gerade Herausforderungen: Verwaltungen, Vereine "
            "und Bürger:innen reichen ein, woran sie gemeinsam mit anderen arbeiten wollen.\n\n"
            "Teilnehmen kannst du ab nächster Woche, der Hackathon beginnt in fünf Wochen.\n\n"
            "Alle Personen und Inhalte dieser Ausgabe sind frei erfunden."
        ),
        time_zone="Europe/Berlin",
        is_public=True,
        code_of_conduct=CODE_OF_CONDUCT,
        phases={
            PhaseKind.CHALLENGE_INTAKE: (days(-7), days(21, 18)),
            PhaseKind.REGISTRATION: (days(7), days(37, 18)),
            PhaseKind.HACKING: (days(35, 18), days(37, 18)),
            PhaseKind.SUBMISSION: (days(35, 18), days(37, 18)),
            PhaseKind.JUDGING: (days(37, 18), days(44, 18)),
            PhaseKind.RESULTS: (days(44, 18), days(51)),
        },
    )
    context.log(
        f"{event.name}: challenges can be submitted until {event.localtime(days(21, 18)):%d.%m.%Y %H:%M}"
    )
    return event


def seed(*, context: DemoContext) -> None:
    seed_people(context=context)
    context.events["past"] = seed_past_event(context=context)
    context.events["upcoming"] = seed_upcoming_event(context=context)
    context.events["current"] = seed_current_event(context=context)
    # The catalogues open the newest edition first, which must be the running one, also
    # in a demo database seeded before the upcoming edition existed.
    current = context.events["current"]
    Event.objects.filter(
        pk=context.events["upcoming"].pk, created_at__gte=current.created_at
    ).update(created_at=current.created_at - timedelta(seconds=1))
