"""Demo participants: profiles and registrations for the running demo edition.

The ten demo participants of the events app get profiles, thirty more people (no
printed login, to keep the list short) fill the people finder, one mentor and the
organiser are registered in their roles. Keyed by e-mail address and (event, person),
so the seed can run again. The registration phase of the demo edition is open, but the
rows are written directly: the seed sets roles (mentor, organiser) and fixed profiles.

Later steps find the people in `context.extra["participants"]`:
"people" (all registered participants, in a fixed order), "mentor", "skills" (by slug).
"""

from __future__ import annotations

from datetime import timedelta

from challenges.models import Topic
from participants.catalogue import catalogue_ensure
from participants.enums import Availability, EventRole, ProfileVisibility
from participants.models import Language, Profile, Registration, Skill
from participants.services import skills_for_tags, split_tags

PUBLIC = ProfileVisibility.PUBLIC
PARTICIPANTS = ProfileVisibility.PARTICIPANTS
TEAM_ADMINS = ProfileVisibility.TEAM_ADMINS
FULL, MOST, PART, EVENINGS = (
    Availability.FULL,
    Availability.MOST,
    Availability.PART,
    Availability.EVENINGS,
)

MENTOR = ("mentor@example.org", "Dr. Anna Berger (Mentorin)")
MENTOR_PROFILE = (
    "healthcare public-administration product-management",
    "",
    "de en",
    "BE",
    Availability.FULL,
    "gesundheit verwaltung",
    False,
    ProfileVisibility.PUBLIC,
    "Ärztin und Digitalisierungsberaterin; hilft Teams, ihre Idee im Gesundheitswesen zu schärfen.",
)

# fmt: off
# (skills by slug, free tags, languages, region, availability, topics, looking for a team,
#  visibility, bio); lists are space-separated, free tags comma-separated.
BASE_PROFILES = [
    ("python django databases", "PostgreSQL", "de en", "BE", FULL, "verwaltung gesundheit",
     True, PUBLIC, "Backend-Entwicklerin, baut gern APIs für Behörden und Vereine."),
    ("javascript react ui-design", "", "de en", "HH", MOST, "bildung",
     True, PARTICIPANTS, "Frontend-Entwickler mit Herz für barrierefreie Oberflächen."),
    ("ux graphic-design", "Figma", "de tr en", "NW", FULL, "zusammenhalt information",
     True, PARTICIPANTS, "UX-Designerin, spricht erst mit Nutzer:innen, dann zeichnet sie."),
    ("data-science python machine-learning", "", "de tr", "HE", PART, "gesundheit",
     True, PARTICIPANTS, "Data Scientist; Zahlen zu Intensivbetten sind sein Alltag."),
    ("product-management pitching", "", "de en fr", "BY", MOST, "wirtschaft verwaltung",
     True, PUBLIC, "Produktmanagerin aus München, hält das Ziel im Blick."),
    ("devops databases", "Kubernetes", "de", "SN", EVENINGS, "verwaltung",
     True, PARTICIPANTS, "Betreibt Server für einen Sportverein, hilft beim Deployment."),
    ("copywriting social-media", "", "de en", "BW", FULL, "information zusammenhalt",
     True, PARTICIPANTS, "Texterin; erklärt Kompliziertes in einfacher Sprache."),
    ("mobile javascript", "Flutter", "de en", "NI", MOST, "zusammenhalt",
     True, TEAM_ADMINS, "App-Entwickler, zeigt sein Profil nur Teams, bei denen er anfragt."),
    ("education project-management", "", "de", "TH", PART, "bildung",
     True, PARTICIPANTS, "Lehrerin, will digitalen Fernunterricht mitgestalten."),
    ("python machine-learning", "", "de en es", "BE", FULL, "gesundheit information",
     True, PUBLIC, "Studiert Informatik, sucht ein Team für seinen ersten Hackathon."),
]

# (display name, e-mail local part, then as above)
EXTRA_PEOPLE = [
    ("Anna Fischer", "anna.fischer",
     "python data-science", "", "de en", "BE", FULL, "gesundheit",
     True, PARTICIPANTS, "Epidemiologin mit Python-Kenntnissen."),
    ("Paul Weber", "paul.weber",
     "javascript react", "TypeScript", "de", "HH", MOST, "bildung verwaltung",
     True, PARTICIPANTS, "Webentwickler bei einer Agentur in Hamburg."),
    ("Laura Meyer", "laura.meyer",
     "ux ui-design", "", "de en", "NW", FULL, "zusammenhalt",
     True, PUBLIC, "Designt Apps für Nachbarschaftshilfe."),
    ("Tim Schäfer", "tim.schaefer",
     "devops", "Terraform", "de", "HE", EVENINGS, "verwaltung",
     True, PARTICIPANTS, "Cloud-Engineer, abends verfügbar."),
    ("Julia Koch", "julia.koch",
     "healthcare project-management", "", "de", "BY", PART, "gesundheit",
     True, PARTICIPANTS, "Pflegefachkraft, kennt den Klinikalltag."),
    ("David Bauer", "david.bauer",
     "python django", "", "de en", "BW", FULL, "verwaltung",
     True, PARTICIPANTS, "Django-Entwickler, baut Fachverfahren."),
    ("Lea Wolf", "lea.wolf",
     "graphic-design video", "", "de fr", "RP", MOST, "information",
     True, PUBLIC, "Illustriert Erklärvideos."),
    ("Jan Schröder", "jan.schroeder",
     "public-administration law", "", "de", "SH", PART, "verwaltung",
     True, PARTICIPANTS, "Verwaltungsjurist aus Kiel."),
    ("Sarah Zimmermann", "sarah.zimmermann",
     "social-work education", "", "de en", "NI", FULL, "zusammenhalt bildung",
     True, PARTICIPANTS, "Sozialarbeiterin in der Jugendhilfe."),
    ("Tobias Braun", "tobias.braun",
     "machine-learning python", "PyTorch", "de en", "SN", FULL, "gesundheit",
     True, PARTICIPANTS, "Forscht zu Bilderkennung in der Medizin."),
    ("Katharina Krüger", "katharina.krueger",
     "product-management agile-coaching", "", "de en", "BE", MOST, "wirtschaft",
     True, PUBLIC, "Scrum Master in einem Start-up."),
    ("Simon Hartmann", "simon.hartmann",
     "mobile", "Kotlin", "de", "BY", EVENINGS, "zusammenhalt",
     True, PARTICIPANTS, "Android-Entwickler."),
    ("Johanna Lange", "johanna.lange",
     "copywriting translation", "", "de en es", "HB", PART, "information",
     True, PARTICIPANTS, "Übersetzerin für Spanisch und Englisch."),
    ("Niklas Werner", "niklas.werner",
     "databases python", "", "de", "ST", FULL, "verwaltung wirtschaft",
     True, PARTICIPANTS, "Datenbankadministrator."),
    ("Clara Schmitz", "clara.schmitz",
     "ux", "Nutzerforschung", "de en", "NW", MOST, "gesundheit zusammenhalt",
     True, PARTICIPANTS, "UX-Researcherin."),
    ("Moritz Krause", "moritz.krause",
     "javascript", "Vue.js", "de", "BB", FULL, "bildung",
     True, TEAM_ADMINS, "Frontend-Entwickler aus Potsdam."),
    ("Emily Meier", "emily.meier",
     "social-media pitching", "", "de en", "HH", PART, "information wirtschaft",
     True, PUBLIC, "Kommunikationsstudentin."),
    ("Elias Lehmann", "elias.lehmann",
     "data-science", "R", "de", "TH", MOST, "gesundheit",
     True, PARTICIPANTS, "Statistiker."),
    ("Mia Köhler", "mia.koehler",
     "ui-design graphic-design", "", "de it", "BW", FULL, "bildung",
     True, PARTICIPANTS, "Mediengestalterin."),
    ("Ben Herrmann", "ben.herrmann",
     "devops python", "", "de en", "HE", EVENINGS, "verwaltung",
     False, PARTICIPANTS, "Hat schon ein Team und schaut sich nur um."),
    ("Lina König", "lina.koenig",
     "education", "Moodle", "de", "SL", PART, "bildung",
     True, PARTICIPANTS, "Medienpädagogin."),
    ("Finn Walter", "finn.walter",
     "react javascript", "", "de en", "MV", FULL, "zusammenhalt",
     True, PARTICIPANTS, "Fullstack-Entwickler aus Rostock."),
    ("Emma Mayer", "emma.mayer",
     "healthcare", "", "de en", "BY", MOST, "gesundheit",
     True, PARTICIPANTS, "Ärztin im Gesundheitsamt."),
    ("Leon Huber", "leon.huber",
     "project-management public-administration", "", "de", "BY", PART, "verwaltung",
     False, PARTICIPANTS, "Arbeitet in einer Stadtverwaltung."),
    ("Nina Kaiser", "nina.kaiser",
     "law", "Datenschutz", "de en", "NW", EVENINGS, "verwaltung information",
     True, PARTICIPANTS, "Datenschutzjuristin."),
    ("Jakob Fuchs", "jakob.fuchs",
     "video social-media", "", "de", "BE", FULL, "information",
     True, PUBLIC, "Filmt und schneidet Pitch-Videos."),
    ("Amira Haddad", "amira.haddad",
     "translation social-work", "", "ar de en", "BE", MOST, "zusammenhalt",
     True, PARTICIPANTS, "Übersetzt für Geflüchtete und Beratungsstellen."),
    ("Yusuf Demir", "yusuf.demir",
     "python machine-learning", "", "tr de en", "NW", FULL, "wirtschaft",
     True, PARTICIPANTS, "Data Engineer."),
    ("Olena Kovalenko", "olena.kovalenko",
     "ux product-management", "", "uk ru en", "SN", MOST, "bildung zusammenhalt",
     True, PARTICIPANTS, "Product Designerin aus Kyjiw, lebt in Leipzig."),
    ("Piotr Nowak", "piotr.nowak",
     "mobile devops", "", "pl de en", "BB", PART, "wirtschaft",
     False, PARTICIPANTS, "iOS-Entwickler."),
]
# fmt: on


def _profile(user, spec, *, skills, languages, topics) -> Profile:
    skill_slugs, tags, codes, region, availability, topic_slugs, _looking, visibility, bio = spec
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={
            "bio": bio,
            "region": region,
            "availability": availability,
            "visibility": visibility,
        },
    )
    chosen = [skills[slug] for slug in skill_slugs.split() if slug in skills]
    profile.skills.set([*chosen, *skills_for_tags(split_tags(tags))])
    profile.languages.set([languages[code] for code in codes.split() if code in languages])
    profile.topic_interests.set([topics[slug] for slug in topic_slugs.split() if slug in topics])
    return profile


def _register(context, event, user, *, role: str, looking: bool, days_ago: int) -> Registration:
    registration, _created = Registration.objects.update_or_create(
        event=event,
        user=user,
        defaults={"role": role, "looking_for_team": looking and role == EventRole.PARTICIPANT},
        create_defaults={
            "role": role,
            "looking_for_team": looking and role == EventRole.PARTICIPANT,
            "code_of_conduct_accepted_at": context.now - timedelta(days=days_ago),
        },
    )
    return registration


def seed(*, context) -> None:
    event = context.events["current"]
    catalogue_ensure(language_model=Language, skill_model=Skill)
    skills = {skill.slug: skill for skill in Skill.objects.filter(is_curated=True)}
    languages = {language.code: language for language in Language.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.filter(event=event)}

    people = []
    for index, user in enumerate(context.participants):
        spec = BASE_PROFILES[index % len(BASE_PROFILES)]
        _profile(user, spec, skills=skills, languages=languages, topics=topics)
        _register(
            context,
            event,
            user,
            role=EventRole.PARTICIPANT,
            looking=spec[6],
            days_ago=max(14 - index, 1),
        )
        people.append(user)

    for index, (name, local, *spec) in enumerate(EXTRA_PEOPLE):
        user = context.person(email=f"{local}@example.org", display_name=name)
        _profile(user, spec, skills=skills, languages=languages, topics=topics)
        _register(
            context, event, user, role=EventRole.PARTICIPANT, looking=spec[6], days_ago=index % 12
        )
        people.append(user)

    mentor = context.person(email=MENTOR[0], display_name=MENTOR[1], login_role="Mentor")
    _profile(mentor, MENTOR_PROFILE, skills=skills, languages=languages, topics=topics)
    _register(context, event, mentor, role=EventRole.MENTOR, looking=False, days_ago=20)

    organiser = context.users.get("organiser")
    if organiser is not None:
        Profile.objects.get_or_create(user=organiser)
        _register(context, event, organiser, role=EventRole.ORGANISER, looking=False, days_ago=21)

    context.extra["participants"] = {"people": people, "mentor": mentor, "skills": skills}
    looking = Registration.objects.filter(
        event=event, user__in=people, looking_for_team=True
    ).count()
    context.log(
        f"{len(people)} participants ({looking} looking for a team), 1 mentor registered "
        f"for {event.name}"
    )
