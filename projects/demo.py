"""Demo projects for the demo teams: most submitted (with their frozen versions), one
draft, and one team working on under an organiser's extension.

Rows are written directly, like the teams' demo (no notifications, no audit), keyed by
team, (project, version number) and image token, so the seed can run again: it resets
the demo projects to this state. Versions are frozen with the same snapshot the
submit service writes. One project gets an image, drawn with Pillow in memory.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from challenges.models import Tag
from projects.enums import Licence, ProjectCategory, ProjectStatus
from projects.images import process_upload
from projects.models import Project, ProjectImage, ProjectVersion, SubmissionExtension
from projects.selectors import project_snapshot, submission_phase_end
from teams.enums import TeamStatus
from teams.models import Team

DEMO_IMAGE_TOKEN = "demo-bettenradar-karte"  # noqa: S105 -- a file name, not a secret

# team name: (title, pitch, problem, solution, target group, how it works, next steps,
#             category, repository, video, demo, licence, tags, versions)
SUBMITTED = {
    "Bettenradar": (
        "Bettenradar – freie Intensivbetten auf einen Blick",
        "Kliniken melden freie Intensivbetten mit zwei Klicks; Leitstellen sehen sie sofort "
        "auf einer Karte und verlegen Patient:innen ohne Telefonketten.",
        "Leitstellen telefonieren bei jeder Verlegung Kliniken ab, um ein freies "
        "Intensivbett zu finden. Das kostet in der Krise wertvolle Minuten.",
        "Eine Meldeseite für Kliniken, eine Live-Karte für Leitstellen und eine offene "
        "Schnittstelle für bestehende Systeme.",
        "Leitstellen, Kliniken und Gesundheitsämter.",
        "Kliniken melden per Formular oder Schnittstelle; die Karte aktualisiert sich live.",
        "Pilot mit drei Leitstellen, danach Anbindung an das DIVI-Register.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/bettenradar",
        "https://www.youtube.com/watch?v=bettenradar-demo",
        "https://bettenradar.example.org",
        Licence.MIT,
        ["Gesundheit", "Karte", "Open Data"],
        2,
    ),
    "Lernbrücke": (
        "Lernbrücke – Schule zu Hause ohne IT-Abteilung",
        "Eine schlanke Lernplattform, die jede Schule in zehn Minuten einrichtet, mit "
        "Leihgeräte-Verwaltung für Familien ohne Laptop.",
        "Viele Schulen haben keine Lernplattform und keine IT-Abteilung; Familien ohne "
        "Laptop bleiben beim Fernunterricht außen vor.",
        "Kurse, Aufgaben und Rückmeldungen in einer einfachen Oberfläche, dazu ein "
        "Geräteverleih, den das Sekretariat führt.",
        "Lehrkräfte, Schüler:innen und Familien.",
        "Eine Django-Anwendung pro Schule, eingerichtet mit einem Assistenten.",
        "Gespräche mit zwei Schulträgern über einen Betrieb ab dem Sommer.",
        ProjectCategory.NEW_BUILD,
        "https://github.com/example/lernbruecke",
        "",
        "https://lernbruecke.example.org",
        Licence.AGPL_3,
        ["Bildung"],
        1,
    ),
    "Antrag digital": (
        "Antrag digital – Soforthilfe in fünf Minuten",
        "Ein Antragsassistent mit automatischer Prüfung, der Anträge auf Soforthilfe "
        "direkt an die Förderbank übergibt.",
        "Anträge auf Soforthilfe kommen als PDF per E-Mail und werden von Hand geprüft; "
        "Selbstständige warten wochenlang.",
        "Ein geführter Antrag, der fehlende Angaben sofort erkennt und strukturiert an die "
        "Förderbank übergibt.",
        "Solo-Selbstständige, kleine Unternehmen, Förderbanken.",
        "Ein Formular-Assistent mit Prüfregeln und einer Schnittstelle zur Förderbank.",
        "Abstimmung mit einer Landesförderbank über einen Testbetrieb.",
        ProjectCategory.EXTENSION,
        "https://github.com/example/antrag-digital",
        "",
        "",
        Licence.EUPL_12,
        ["Verwaltung", "Wirtschaft"],
        1,
    ),
    "Nachbarschaftsnetz": (
        "Nachbarschaftsnetz – Einkaufshilfe per Anruf",
        "Wer Hilfe beim Einkaufen braucht, ruft an oder tippt; Nachbar:innen in der Nähe "
        "übernehmen – auch für Menschen ohne Smartphone.",
        "Ältere Menschen in Quarantäne können nicht einkaufen und erreichen Hilfsangebote "
        "im Netz nicht.",
        "Eine Telefonnummer mit Sprachmenü und eine App, die Anfragen an Helfende in der "
        "Nähe verteilt.",
        "Ältere und vorerkrankte Menschen, Nachbarschaftsinitiativen.",
        "Anrufe werden transkribiert und als Aufgabe an Helfende im Umkreis geschickt.",
        "Übergabe an einen Wohlfahrtsverband, der den Betrieb übernimmt.",
        ProjectCategory.COMMERCIAL,
        "https://github.com/example/nachbarschaftsnetz",
        "https://vimeo.com/nachbarschaftsnetz-demo",
        "https://nachbarschaftsnetz.example.org",
        Licence.APACHE_2,
        ["Nachbarschaft"],
        1,
    ),
}
DRAFT_TEAM = "Kontakt-Tracer"
DRAFT = {
    "title": "Kontakt-Tracer – Kontaktpersonen digital erfassen",
    "pitch": "Gesundheitsämter erfassen Fälle und Kontaktpersonen digital statt in Excel.",
    "problem": "Gesundheitsämter verfolgen Infektionsketten in Tabellen und auf Papier.",
    "category": ProjectCategory.NEW_BUILD,
}
EXTENSION_TEAM = "Antrag digital"
EXTENSION_HOURS = 6
EXTENSION_REASON = "Serverausfall beim Hoster in der letzten Nacht (Orga-Team, Ticket #42)."


def _teams(context) -> dict[str, Team]:
    return (context.extra.get("teams") or {}).get("teams") or {}


def _picture() -> ContentFile:
    """A small map with a few markers, drawn in memory (no file in the repository)."""
    image = Image.new("RGB", (960, 540), (226, 236, 243))
    draw = ImageDraw.Draw(image)
    for x in range(0, 960, 60):
        draw.line([(x, 0), (x, 540)], fill=(205, 218, 228), width=1)
    for y in range(0, 540, 60):
        draw.line([(0, y), (960, y)], fill=(205, 218, 228), width=1)
    draw.polygon(
        [(300, 60), (520, 40), (700, 140), (660, 420), (420, 500), (260, 360)],
        outline=(11, 92, 173),
        fill=(245, 248, 251),
        width=4,
    )
    for x, y, free in [(400, 160, True), (560, 230, False), (470, 360, True), (600, 380, True)]:
        colour = (26, 127, 55) if free else (176, 33, 33)
        draw.ellipse([(x - 18, y - 18), (x + 18, y + 18)], fill=colour, outline=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="bettenradar.png")


def _ensure_image(project: Project) -> None:
    image = ProjectImage.objects.filter(token=DEMO_IMAGE_TOKEN).first()
    if image is not None and image.image.storage.exists(image.image.name):
        ProjectImage.objects.filter(pk=image.pk).update(
            project=project, detached_at=None, position=0
        )
        return
    if image is not None:  # the row survived, its files did not (another MEDIA_ROOT)
        image.delete()
    processed = process_upload(_picture())
    image = ProjectImage(
        project=project,
        token=DEMO_IMAGE_TOKEN,
        alt_text="Karte mit freien (grün) und belegten (rot) Intensivbetten in einer Region",
        position=0,
    )
    image.image.save("image.jpg", ContentFile(processed.image), save=False)
    image.thumbnail.save("thumbnail.jpg", ContentFile(processed.thumbnail), save=False)
    image.width, image.height = processed.width, processed.height  # after the files
    image.save()


def _project(team: Team, *, status: str, fields: dict, submitted_at) -> Project:
    project, _created = Project.objects.update_or_create(
        team=team,
        defaults={
            "event": team.event,
            "status": status,
            "submitted_at": submitted_at,
            "withdrawn_at": None,
            **{
                "pitch": "",
                "problem": "",
                "solution": "",
                "target_group": "",
                "how_it_works": "",
                "next_steps": "",
                "category": "",
                "repository_url": "",
                "video_url": "",
                "demo_url": "",
                "slides_url": "",
                "licence": "",
                **fields,
            },
        },
    )
    return project


def _freeze(project: Project, *, versions: int, submitted_at, author) -> None:
    """Versions 1..n, the last at submitted_at, each an hour before the next."""
    snapshot = project_snapshot(project=project)
    for number in range(1, versions + 1):
        created_at = submitted_at - timedelta(hours=versions - number)
        version, _created = ProjectVersion.objects.update_or_create(
            project=project,
            number=number,
            defaults={"snapshot": snapshot, "created_by": author},
        )
        ProjectVersion.objects.filter(pk=version.pk).update(created_at=created_at)
    ProjectVersion.objects.filter(project=project, number__gt=versions).delete()


def seed(*, context) -> None:
    teams = _teams(context)
    if not teams:
        context.log("no demo teams: no demo projects")
        return
    event = context.events["current"]
    deadline = submission_phase_end(event_id=event.pk)
    organiser = context.users.get("organiser")
    made = {}

    for index, (name, spec) in enumerate(SUBMITTED.items()):
        team = teams.get(name)
        if team is None or team.status != TeamStatus.OPEN:
            continue
        (title, pitch, problem, solution, target, how, nxt, category, repo, video, demo,
         licence, tags, versions) = spec  # fmt: skip
        submitted_at = context.now - timedelta(minutes=20 + 35 * index)
        project = _project(
            team,
            status=ProjectStatus.SUBMITTED,
            submitted_at=submitted_at,
            fields={
                "title": title,
                "pitch": pitch,
                "problem": problem,
                "solution": solution,
                "target_group": target,
                "how_it_works": how,
                "next_steps": nxt,
                "category": category,
                "repository_url": repo,
                "video_url": video,
                "demo_url": demo,
                "licence": licence,
            },
        )
        members = [m.user for m in team.memberships.select_related("user")]
        project.challenges.set([team.challenge])
        project.tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in tags])
        project.credited_members.set(members)
        if name == "Bettenradar":
            _ensure_image(project)
        _freeze(
            project,
            versions=versions,
            submitted_at=submitted_at,
            author=members[0] if members else None,
        )
        made[name] = project

    team = teams.get(DRAFT_TEAM)
    if team is not None:
        project = _project(team, status=ProjectStatus.DRAFT, fields=DRAFT, submitted_at=None)
        project.challenges.set([team.challenge])
        project.tags.clear()
        project.credited_members.clear()
        ProjectVersion.objects.filter(project=project).delete()
        made[DRAFT_TEAM] = project

    team = teams.get(EXTENSION_TEAM)
    if team is not None and deadline is not None:
        SubmissionExtension.objects.update_or_create(
            team=team,
            defaults={
                "ends_at": deadline + timedelta(hours=EXTENSION_HOURS),
                "reason": EXTENSION_REASON,
                "granted_by": organiser,
            },
        )

    context.extra["projects"] = {"projects": made}
    submitted = sum(1 for p in made.values() if p.status == ProjectStatus.SUBMITTED)
    context.log(
        f"{len(made)} projects ({submitted} submitted, {len(made) - submitted} draft), "
        f"1 extension ({EXTENSION_TEAM}, +{EXTENSION_HOURS} h)"
    )
