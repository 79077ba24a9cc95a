from django.db import models
from django.utils.translation import gettext_lazy as _


class EventRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    MENTOR = "mentor", _("Mentor")
    JUROR = "juror", _("Juror")
    ORGANISER = "organiser", _("Organiser")


class Availability(models.TextChoices):
    FULL = "full", _("The whole hackathon")
    MOST = "most", _("Most of the time")
    PART = "part", _("A few hours a day")
    EVENINGS = "evenings", _("Evenings only")


class ProfileVisibility(models.TextChoices):
    """Who may see a profile. E-mail addresses are never shown to anyone."""

    PUBLIC = "public", _("Everyone, also people who are not signed in")
    PARTICIPANTS = "participants", _("People registered for the same event")
    TEAM_ADMINS = "team_admins", _("Only admins of teams I ask to join, and organisers")


# The roles people choose themselves when registering; jurors and organisers are
# appointed by organisers in the admin.
SELF_REGISTRATION_ROLES = (EventRole.PARTICIPANT, EventRole.MENTOR)

# Visibility levels whose people the team admins' people finder lists. Those who chose
# "team admins" are only seen by admins of teams they approach themselves.
FINDER_VISIBILITIES = (ProfileVisibility.PUBLIC, ProfileVisibility.PARTICIPANTS)

MAX_SKILLS = 15
