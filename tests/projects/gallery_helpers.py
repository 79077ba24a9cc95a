"""Helpers (not fixtures) of the gallery and API tests: many projects at once, images."""

from __future__ import annotations

import io
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from projects.enums import ProjectCategory, ProjectStatus
from projects.models import Project, ProjectImage
from teams.models import Team


def jpeg_bytes(size=(64, 36), colour="#0b5cad") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def add_image(project: Project, *, alt_text: str = "Die Karte auf dem Handy", position: int = 0):
    """An attached image with its thumbnail, stored like the service stores them."""
    image = ProjectImage(
        project=project,
        token=secrets.token_hex(8),
        alt_text=alt_text,
        position=position,
    )
    image.image.save("upload.jpg", ContentFile(jpeg_bytes((640, 360))), save=False)
    image.thumbnail.save("upload.jpg", ContentFile(jpeg_bytes()), save=False)
    image.width, image.height = 640, 360  # what the service records after re-encoding
    image.save()
    return image


def bulk_submitted_projects(*, event, challenge, count: int, start: int = 0) -> list[Project]:
    """`count` submitted projects of `count` new teams, each answering `challenge`, each
    with a video, a repository and one image row: built in a handful of queries."""
    now = timezone.now()
    teams = Team.objects.bulk_create(
        [
            Team(
                event=event,
                challenge=challenge,
                name=f"Massenteam {start + i}",
                pitch="Wir bauen gemeinsam eine Lösung, die wirklich hilft.",
                max_size=5,
            )
            for i in range(count)
        ]
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                event=event,
                team=team,
                status=ProjectStatus.SUBMITTED,
                title=f"Massenprojekt {start + i}",
                pitch="Ein Projekt unter vielen.",
                category=ProjectCategory.NEW_BUILD,
                video_url="https://video.example.com/watch?v=1",
                repository_url="https://code.example.com/team/repo",
                submitted_at=now,
            )
            for i, team in enumerate(teams)
        ]
    )
    if not all(project.pk for project in projects):  # SQLite before 3.35 returns no ids
        projects = list(Project.objects.filter(team__in=teams))
    Project.challenges.through.objects.bulk_create(
        [Project.challenges.through(project=p, challenge=challenge) for p in projects]
    )
    ProjectImage.objects.bulk_create(
        [
            ProjectImage(
                project=p,
                token=secrets.token_hex(8),
                image=f"projects/{p.pk}/x{p.pk}.jpg",
                thumbnail=f"projects/{p.pk}/x{p.pk}-thumb.jpg",
                width=640,
                height=360,
                alt_text="Bild",
            )
            for p in projects
        ]
    )
    return projects
