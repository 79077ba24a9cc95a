from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

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


def _grant_organisers(sender, *, using: str, apps=global_apps, **kwargs) -> None:
    try:
        apps.get_model("auth", "Group")
        apps.get_model("challenges", "Challenge")
        apps.get_model("audit", "AuditEntry")
    except LookupError:
        return
    from events.services import organisers_group_grant

    organisers_group_grant(permissions=ORGANISER_PERMISSIONS, using=using)


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = _("Challenges")

    def ready(self) -> None:
        from challenges import notification_kinds  # noqa: F401  (registers the kinds)

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="challenges.organisers_group"
        )
