"""Judging: an event's rounds, their criteria and jurors, who reviews which project, and
the scores.

A round judges projects on the version they submitted (projects.ProjectVersion), never on
the living page; an Assignment keeps the version it was made for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from challenges.models import Topic
from events.models import Event
from judging.enums import (
    JurorNoticeKind,
    ReviewStatus,
    RoundEntry,
    RoundStatus,
    RunStatus,
    RunTrigger,
)
from projects.models import Project, ProjectVersion
from teams.models import Team

DEFAULT_REVIEWS_PER_PROJECT = 5  # #WirVsVirus: each project pre-scored by at least five


class JudgingRound(models.Model):
    """One step of an event's judging (pre-screening, theme juries, final), in order."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="judging_rounds", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"))
    entry = models.CharField(
        _("projects entering"),
        max_length=16,
        choices=RoundEntry.choices,
        default=RoundEntry.ALL_SUBMITTED,
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="judging_rounds",
        verbose_name=_("topic field"),
        help_text=_("Only when the round judges the projects of one topic field."),
    )
    reviews_per_project = models.PositiveSmallIntegerField(
        _("reviews per project"), default=DEFAULT_REVIEWS_PER_PROJECT
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    jurors_see_others_after_submitting = models.BooleanField(
        _("jurors see the other scores after submitting their own"), default=False
    )
    public_vote = models.BooleanField(
        _("public vote"),
        default=False,
        help_text=_(
            "Signed-in people may vote for one project while the round is open; shown apart "
            "from the jury's result, never mixed into it."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        ordering = ["event_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"], name="judging_round_position_per_event"
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_project__gte=1),
                name="judging_round_reviews_at_least_one",
                violation_error_message=_("Each project needs at least one review."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="judging_round_closes_after_opening",
                violation_error_message=_("The round must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(entry=RoundEntry.TOPIC, topic__isnull=False)
                | (~Q(entry=RoundEntry.TOPIC) & Q(topic__isnull=True)),
                name="judging_round_topic_with_topic_entry",
                violation_error_message=_(
                    "A topic field is chosen when, and only when, the round judges one topic field."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """What jurors score in a round, on a scale from scale_min to scale_max."""

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("judging round"),
    )
    name = models.CharField(_("name"), max_length=120)
    guidance = models.TextField(_("guidance for jurors"), max_length=2000, blank=True)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")),
                name="judging_criterion_scale_order",
                violation_error_message=_("The highest score must be above the lowest."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="judging_criterion_weight",
                violation_error_message=_("The weight must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    """A person in a round's juror pool, with their expertise and declared conflicts.

    Being a member or a mentor of a team is a conflict too; the platform finds those
    itself (judging.selectors.conflicts_of), so only what it cannot know is declared here.
    """

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="jurors",
        verbose_name=_("judging round"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="juror_seats",
        verbose_name=_("person"),
    )
    expertise = models.ManyToManyField(
        Topic, blank=True, related_name="jurors", verbose_name=_("expertise")
    )
    conflict_teams = models.ManyToManyField(
        Team, blank=True, related_name="+", verbose_name=_("declared conflicts: teams")
    )
    conflict_organisations = models.TextField(
        _("declared conflicts: organisations"),
        blank=True,
        help_text=_("One organisation name per line."),
    )
    # False: the juror left the round (judging.services.juror_remove) after submitting
    # reviews, which still count; runs give them nothing new.
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["round_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="judging_juror_once_per_round"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def organisation_names(self) -> list[str]:
        """The declared organisations, one per line, without blanks."""
        return [line.strip() for line in self.conflict_organisations.splitlines() if line.strip()]


class Assignment(models.Model):
    """One juror is to review one project of the round, on the version it submitted."""

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("judging round"),
    )
    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("juror")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    version = models.ForeignKey(
        ProjectVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("version judged"),
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round_id", "juror_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror", "project"], name="judging_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.project}"


class Review(models.Model):
    """A juror's review of their assignment: a draft until submitted."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("assignment")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    comment_for_organisers = models.TextField(
        _("comment for the organisers"), max_length=4000, blank=True
    )
    feedback_for_team = models.TextField(_("feedback for the team"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="judging_submitted_review_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    """A review's score on one criterion (the services keep it within the scale)."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.SmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="judging_score_once_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class AssignmentRun(models.Model):
    """One run of the assignment task for a round: the row is the truth, the task does it.

    Started by an organiser (or by a juror's conflict), carried out by the Celery task
    `judging.run_assignment` after commit; a beat sweep starts runs whose task never
    arrived. At most one run per round waits or runs at a time.
    """

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("judging round"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    trigger = models.CharField(
        _("reason"), max_length=16, choices=RunTrigger.choices, default=RunTrigger.ORGANISER
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    # Figures of a finished run: load per juror, reviews per project, expertise share,
    # spread, what was kept, added and removed (judging.services.runs).
    result = models.JSONField(_("result"), default=dict, blank=True)
    # Why a run was not possible: one reason per line, nothing saved.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["round_id", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status__in=[RunStatus.PENDING, RunStatus.RUNNING]),
                name="judging_one_active_run_per_round",
                violation_error_message=_("An assignment run of this round is under way."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="judging_run_progress_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"


class JurorInvitation(models.Model):
    """An organiser's invitation to join a round's juror pool, sent to an e-mail address.

    The mail carries a signed link (judging.services.invitations); whoever opens it signs
    up or signs in through the normal accounts flow, with that address verified, and
    becomes a juror with the expertise the organiser gave.
    """

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("judging round"),
    )
    email = models.EmailField(_("e-mail address"))
    expertise = models.ManyToManyField(
        Topic, blank=True, related_name="+", verbose_name=_("expertise")
    )
    language = models.CharField(_("language of the mail"), max_length=8, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    juror = models.OneToOneField(
        Juror,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("juror"),
    )

    class Meta:
        verbose_name = _("juror invitation")
        verbose_name_plural = _("juror invitations")
        ordering = ["round_id", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "round", name="judging_invitation_once_per_address"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class JurorNotice(models.Model):
    """That a juror was told of their queue or reminded; the unique constraint makes each
    go out once (written in the transaction of the notification it records)."""

    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="notices", verbose_name=_("juror")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=JurorNoticeKind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("juror notice")
        verbose_name_plural = _("juror notices")
        constraints = [
            models.UniqueConstraint(fields=["juror", "kind"], name="judging_juror_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.juror}: {self.kind}"


class ShortlistEntry(models.Model):
    """A project an organiser took from this round's results into the next round."""

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="shortlist",
        verbose_name=_("judging round"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("shortlisted by"),
    )
    created_at = models.DateTimeField(_("shortlisted"), auto_now_add=True)

    class Meta:
        verbose_name = _("shortlisted project")
        verbose_name_plural = _("shortlisted projects")
        ordering = ["round_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="judging_shortlist_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.project}"


class TeamOutcomeNotice(models.Model):
    """That a team was told the outcome of a published round; once per team and round."""

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="outcome_notices",
        verbose_name=_("judging round"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outcome notice")
        verbose_name_plural = _("outcome notices")
        ordering = ["round_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "team"], name="judging_outcome_once_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.team}"


class PublicVote(models.Model):
    """A signed-in person's vote in a round's public vote: one per person and event, never
    for their own team (judging.services.votes), shown apart from the jury's result."""

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("judging round"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    created_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        ordering = ["round_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="judging_one_vote_per_event"),
        ]
        indexes = [models.Index(fields=["round", "project"], name="judging_vote_round_project")]

    def __str__(self) -> str:
        return f"{self.user} → {self.project}"
