from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge, Tag
from events.models import Event
from hackathon.urlcache import reverse_by_number
from projects.enums import Licence, ProjectCategory, ProjectStatus, ReminderKind
from teams.models import Team

MAX_IMAGES = 5


class Project(models.Model):
    """A team's project for the event: edited as a draft, then submitted before the deadline.

    This row is the team's living public page; what was submitted at the deadline is
    frozen in ProjectVersion and is what jurors see.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="projects", verbose_name=_("event")
    )
    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="project", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=120, validators=[MinLengthValidator(3)])
    pitch = models.CharField(_("pitch"), max_length=280, blank=True)
    problem = models.TextField(_("problem"), max_length=4000, blank=True)
    solution = models.TextField(_("solution"), max_length=4000, blank=True)
    target_group = models.TextField(_("target group"), max_length=2000, blank=True)
    how_it_works = models.TextField(_("how it works"), max_length=6000, blank=True)
    next_steps = models.TextField(_("what comes next"), max_length=4000, blank=True)
    category = models.CharField(
        _("category"), max_length=16, choices=ProjectCategory.choices, blank=True
    )
    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="projects", verbose_name=_("challenges answered")
    )
    repository_url = models.URLField(_("code repository"), blank=True)
    video_url = models.URLField(
        _("pitch video"), blank=True, help_text=_("At most two minutes long.")
    )
    # Our copy of the video site's thumbnail (projects.video), and the video it shows.
    video_thumbnail = models.ImageField(
        _("video thumbnail"), upload_to="projects/video-thumbnails/", blank=True, editable=False
    )
    video_thumbnail_for = models.URLField(
        blank=True, editable=False, verbose_name=_("video thumbnail for")
    )
    demo_url = models.URLField(_("demo"), blank=True)
    slides_url = models.URLField(_("slides"), blank=True)
    licence = models.CharField(_("licence"), max_length=40, choices=Licence.choices, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="projects", verbose_name=_("tags"))
    credited_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="credited_projects",
        verbose_name=_("credited members"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Kept up to date by a PostgreSQL trigger (migration 0002); unused on SQLite.
    search_document = SearchVectorField(
        null=True, editable=False, verbose_name=_("search document")
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # Exactly the gallery's order (projects.selectors.GALLERY_SORTS["newest"]), so a
            # page is read off the index instead of sorting every project of the event.
            models.Index(
                F("event"),
                F("status"),
                F("submitted_at").desc(nulls_last=True),
                F("id").desc(),
                name="project_gallery_idx",
            ),
            # The same across every public event (GET /api/v1/projects/ without `event`).
            models.Index(
                F("status"),
                F("submitted_at").desc(nulls_last=True),
                F("id").desc(),
                name="project_newest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_by_number("projects:detail", "pk", self.pk)


def project_image_path(instance: ProjectImage, filename: str) -> str:
    # The name is ours, never the uploader's: images are re-encoded on upload.
    return f"projects/{instance.project_id}/{instance.token}.jpg"


def project_thumbnail_path(instance: ProjectImage, filename: str) -> str:
    return f"projects/{instance.project_id}/{instance.token}-thumb.jpg"


class ProjectImage(models.Model):
    """An image of a project, re-encoded with Pillow; never deleted while a version uses it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="images", verbose_name=_("project")
    )
    token = models.CharField(max_length=32, unique=True, editable=False, verbose_name=_("token"))
    image = models.ImageField(
        _("image"), upload_to=project_image_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=project_thumbnail_path)
    width = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("width"))
    height = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("height"))
    alt_text = models.CharField(
        _("description of the image"),
        max_length=200,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Detached from the living page but kept, because a frozen version shows it.
    detached_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("detached")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("project image")
        verbose_name_plural = _("project images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.token


class ProjectVersion(models.Model):
    """A frozen copy of the project as submitted: text, links, licence, challenges, images."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="versions", verbose_name=_("project")
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("project version")
        verbose_name_plural = _("project versions")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="projects_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"


class SubmissionExtension(models.Model):
    """An organiser's extension of the submission deadline for one team."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="submission_extension", verbose_name=_("team")
    )
    ends_at = models.DateTimeField(_("extended until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.team} until {self.ends_at:%Y-%m-%d %H:%M}"


class DeadlineReminder(models.Model):
    """That a reminder went to a team; the unique constraint makes each go out once."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="deadline_reminders", verbose_name=_("team")
    )
    kind = models.CharField(max_length=8, choices=ReminderKind.choices, verbose_name=_("kind"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent"))

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="projects_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.kind}"
