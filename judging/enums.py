from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    """A round is prepared (draft), judged (open), finished (closed), then made public."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for reviews")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Results published")


class RoundEntry(models.TextChoices):
    """Which projects a round judges."""

    ALL_SUBMITTED = "all_submitted", _("All submitted projects")
    SHORTLISTED = "shortlisted", _("Shortlisted from the previous round")
    TOPIC = "topic", _("The projects of one topic field")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class RunStatus(models.TextChoices):
    """An assignment run: waiting for a worker, running, finished, or refused (nothing saved)."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Not possible")


class RunTrigger(models.TextChoices):
    ORGANISER = "organiser", _("Started by an organiser")
    CONFLICT = "conflict", _("A juror declared a conflict")


class JurorNoticeKind(models.TextChoices):
    QUEUE = "queue", _("Told of their queue")
    REMINDER = "reminder", _("Reminded 24 hours before the round closes")
