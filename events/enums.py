from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseKind(models.TextChoices):
    """The phases of one edition, in the order they usually run."""

    CHALLENGE_INTAKE = "challenge_intake", _("Challenge intake")
    REGISTRATION = "registration", _("Registration")
    HACKING = "hacking", _("Hackathon")
    SUBMISSION = "submission", _("Project submission")
    JUDGING = "judging", _("Judging")
    RESULTS = "results", _("Results")
    PROGRAMME = "programme", _("Implementation programme")
