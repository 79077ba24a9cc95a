from __future__ import annotations

from django.conf import settings
from django.core.validators import MinLengthValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge
from events.models import Event
from hackathon.urlcache import reverse_by_number
from participants.models import Language, Skill
from teams.enums import JoinRequestStatus, MemberRole, TeamStatus

chat_link_validator = URLValidator(schemes=["https"], message=_("Enter an https:// link."))


class Team(models.Model):
    """People working together on a challenge during the hackathon.

    `member_count` is kept by the services with conditional updates, and the database
    refuses a count above `max_size`, so a team can never overfill, also under races.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="teams", verbose_name=_("event")
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="teams", verbose_name=_("challenge")
    )
    name = models.CharField(_("team name"), max_length=80, validators=[MinLengthValidator(3)])
    pitch = models.TextField(_("pitch"), max_length=600, validators=[MinLengthValidator(20)])
    languages = models.ManyToManyField(
        Language, blank=True, related_name="teams", verbose_name=_("working languages")
    )
    chat_link = models.URLField(
        _("chat link"),
        blank=True,
        validators=[chat_link_validator],
        help_text=_("Slack, Discord, Matrix, … where the team talks."),
    )
    max_size = models.PositiveSmallIntegerField(_("maximum size"))
    member_count = models.PositiveSmallIntegerField(_("members"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=TeamStatus.choices, default=TeamStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_count__lte=F("max_size")), name="teams_never_overfull"
            ),
            models.UniqueConstraint("event", Lower("name"), name="teams_name_unique_per_event"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "member_count"], name="team_finder_idx"),
            # The finder's order (teams.selectors.teams_for_finder): newest first.
            models.Index(
                fields=["event", "status", "-created_at", "-id"], name="team_finder_newest_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_by_number("teams:detail", "pk", self.pk)

    @property
    def open_places(self) -> int:
        return max(self.max_size - self.member_count, 0)

    @property
    def is_open(self) -> bool:
        return self.status == TeamStatus.OPEN


class Membership(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("person"),
    )
    # Denormalised from the team so "teams of this person in this event" is one index lookup.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="teams_member_once"),
        ]
        indexes = [models.Index(fields=["event", "user"], name="membership_person_idx")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


class OpenRole(models.Model):
    """A place in the team the admins want filled, with the skills it needs."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="open_roles", verbose_name=_("team")
    )
    title = models.CharField(_("role"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="open_roles", verbose_name=_("skills wanted")
    )

    class Meta:
        verbose_name = _("open role")
        verbose_name_plural = _("open roles")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.team})"


class JoinRequest(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("person"),
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(status=JoinRequestStatus.PENDING),
                name="teams_one_pending_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.team} ({self.status})"


class Invitation(models.Model):
    """A link that lets whoever has it join the team until it expires or is revoked.

    A personal invitation (with `invitee`) is sent to one person, only they can use it,
    and only once.
    """

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )
    token = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("token"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_invitations",
        verbose_name=_("invited person"),
        help_text=_("Empty for a link anyone who has it may use."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("used"), default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.team} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_personal(self) -> bool:
        return self.invitee_id is not None

    @property
    def is_used_up(self) -> bool:
        """A personal invitation works once; a link as often as there is room."""
        return self.is_personal and self.uses > 0

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at and not self.is_used_up
