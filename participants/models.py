from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from challenges.enums import State
from challenges.models import Topic
from events.models import Event
from participants.enums import Availability, EventRole, ProfileVisibility


class Skill(models.Model):
    """A skill people have and teams look for. Curated ones are maintained by organisers;
    free tags are what people typed themselves."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    is_curated = models.BooleanField(
        _("curated"), default=False, help_text=_("Curated skills are offered in every form.")
    )

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["-is_curated", "category", "name"]
        constraints = [
            # "python" and "Python" are the same skill; free tags reuse what exists.
            models.UniqueConstraint(Lower("name"), name="participants_skill_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language: curated names are in the catalogue
        (participants/catalogue.py); what people typed themselves is shown as typed."""
        return gettext(self.name) if self.is_curated and self.name else self.name

    @property
    def category_label(self) -> str:
        return gettext(self.category) if self.category else ""


class Language(models.Model):
    """A language people speak and teams work in, by ISO 639-1 code."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What a person tells others about themselves; `visibility` says who may see it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("person"),
    )
    bio = models.TextField(_("short bio"), max_length=600, blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="profiles", verbose_name=_("skills")
    )
    topic_interests = models.ManyToManyField(
        Topic, blank=True, related_name="interested_profiles", verbose_name=_("topic interests")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="profiles", verbose_name=_("languages")
    )
    region = models.CharField(_("federal state"), max_length=2, choices=State.choices, blank=True)
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, blank=True
    )
    visibility = models.CharField(
        _("who may see my profile"),
        max_length=16,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.PARTICIPANTS,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class Registration(models.Model):
    """A person's registration for an event, with their role there.

    One row per person and event; the team services lock it so that one person's
    concurrent joins are decided one after the other.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=EventRole.choices, default=EventRole.PARTICIPANT
    )
    looking_for_team = models.BooleanField(_("looking for a team"), default=True)
    # Empty when organisers added the person in the admin (e.g. as a juror).
    code_of_conduct_accepted_at = models.DateTimeField(
        _("code of conduct accepted"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="participants_one_registration"),
        ]
        indexes = [
            models.Index(
                fields=["event", "role", "looking_for_team"], name="registration_finder_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event} ({self.role})"
