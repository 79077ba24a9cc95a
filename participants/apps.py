from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import organiser_permissions_handler

# What organisers may do in the admin: keep the skill and language lists, moderate
# profiles, and set people's roles per event (also add jurors and organisers).
ORGANISER_PERMISSIONS = (
    "participants.add_skill",
    "participants.change_skill",
    "participants.delete_skill",
    "participants.view_skill",
    "participants.add_language",
    "participants.change_language",
    "participants.view_language",
    "participants.change_profile",
    "participants.view_profile",
    "participants.add_registration",
    "participants.change_registration",
    "participants.delete_registration",
    "participants.view_registration",
    # To find people by name in the registration and challenge-owner forms.
    "accounts.view_user",
)


_grant_organisers = organiser_permissions_handler(ORGANISER_PERMISSIONS)


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from hackathon.rules_cache import forget_on_change
        from participants.models import Registration

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="participants.organisers_group"
        )
        forget_on_change(Registration)  # events.rules.event_role reads the registrations
