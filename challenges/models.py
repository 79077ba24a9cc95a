from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.enums import ChallengeStatus, GiverType, State
from challenges.validators import validate_municipality_key
from events.models import Event
from hackathon.urlcache import reverse_by_number

# Public numbers start here so they look like the #WirVsVirus IDs (#100065).
NUMBER_OFFSET = 100_000


class Topic(models.Model):
    """A topic field organisers define per event to cluster challenges."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="topics", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic field")
        verbose_name_plural = _("topic fields")
        ordering = ["event", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"], name="challenges_topic_slug_per_event"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Challenge(models.Model):
    """A problem someone brings to the event; curated by organisers before it is public."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="challenges", verbose_name=_("event")
    )
    number = models.PositiveIntegerField(_("number"), unique=True, null=True, editable=False)
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        blank=True,
        help_text=_("ID in an imported file; a re-import updates the challenge with this ID."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChallengeStatus.choices,
        default=ChallengeStatus.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=200, validators=[MinLengthValidator(5)])
    problem = models.TextField(
        _("the problem"), max_length=5000, validators=[MinLengthValidator(30)]
    )
    affected = models.TextField(
        _("who is affected"), max_length=2000, validators=[MinLengthValidator(10)]
    )
    desired_outcome = models.TextField(
        _("desired outcome"), max_length=3000, validators=[MinLengthValidator(10)]
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("topic field"),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="challenges", verbose_name=_("tags")
    )

    giver_type = models.CharField(_("giver type"), max_length=32, choices=GiverType.choices)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    state = models.CharField(_("federal state"), max_length=2, choices=State.choices, blank=True)
    municipality_key = models.CharField(
        _("municipality key (AGS)"),
        max_length=8,
        blank=True,
        validators=[validate_municipality_key],
        help_text=_("Optional: the 8-digit official municipality key, e.g. 09162000 for Munich."),
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_challenges",
        verbose_name=_("submitted by"),
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ChallengeOwner",
        related_name="owned_challenges",
        blank=True,
        verbose_name=_("challenge owners"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_challenges",
        verbose_name=_("merged into"),
    )
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    # Kept up to date by a PostgreSQL trigger (migration 0002); unused on SQLite.
    search_document = SearchVectorField(
        null=True, editable=False, verbose_name=_("search document")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "external_id"],
                condition=~Q(external_id=""),
                name="challenges_external_id_per_event",
            ),
            models.CheckConstraint(
                condition=Q(status=ChallengeStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=ChallengeStatus.MERGED) & Q(merged_into__isnull=True)),
                name="challenges_merged_has_target",
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "status", "published_at"], name="challenge_catalogue_idx"
            ),
            models.Index(fields=["event", "status", "support_count"], name="challenge_support_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.public_number} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        if self.number is None:
            return reverse("challenges:list")
        return reverse_by_number("challenges:detail", "number", self.number)

    @property
    def public_number(self) -> str:
        return f"#{self.number}" if self.number else ""

    @property
    def is_public(self) -> bool:
        return self.status == ChallengeStatus.PUBLISHED


class ChallengeOwner(models.Model):
    """A challenge godparent (Pat:in) who answers teams' questions."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="ownerships", verbose_name=_("challenge")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added"))

    class Meta:
        verbose_name = _("challenge owner")
        verbose_name_plural = _("challenge owners")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="challenges_owner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.challenge}"


class ChallengeSupport(models.Model):
    """One person's upvote of a challenge; the unique constraint makes it once per person."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="supports", verbose_name=_("challenge")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("supporter"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="challenges_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.challenge_id}"


class ChallengeQuestion(models.Model):
    """A question about a published challenge, answered in public by its owners.

    Everyone working on the challenge reads the same answer, so the owners answer
    each question once instead of once per team.
    """

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="questions", verbose_name=_("challenge")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    text = models.TextField(_("question"), max_length=2000, validators=[MinLengthValidator(10)])
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Organisers hide what breaks the code of conduct; the row stays for the record.
    is_hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["asked_at", "pk"]
        indexes = [
            models.Index(
                fields=["challenge", "is_hidden", "asked_at"], name="challenge_question_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="challenges_answered_question_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.text[:40]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
