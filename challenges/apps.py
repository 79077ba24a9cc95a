from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import organiser_permissions_handler

# What organisers may do with challenges in the admin: curate, never delete.
ORGANISER_PERMISSIONS = (
    "challenges.add_challenge",
    "challenges.change_challenge",
    "challenges.view_challenge",
    "challenges.add_topic",
    "challenges.change_topic",
    "challenges.delete_topic",
    "challenges.view_topic",
    "challenges.add_tag",
    "challenges.change_tag",
    "challenges.view_tag",
    "challenges.add_challengeowner",
    "challenges.change_challengeowner",
    "challenges.delete_challengeowner",
    "challenges.view_challengeowner",
    "audit.view_auditentry",
)


_grant_organisers = organiser_permissions_handler(ORGANISER_PERMISSIONS)


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Challenges")

    def ready(self) -> None:
        from challenges import notification_kinds  # noqa: F401  (registers the kinds)

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="challenges.organisers_group"
        )
