from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# What organisers may do with help requests in the admin: look, correct, never delete.
ORGANISER_PERMISSIONS = (
    "mentoring.view_helprequest",
    "mentoring.change_helprequest",
)


def _grant_organisers(sender, *, using: str, apps=global_apps, **kwargs) -> None:
    try:
        apps.get_model("auth", "Group")
        apps.get_model("mentoring", "HelpRequest")
    except LookupError:
        return
    from events.services import organisers_group_grant

    organisers_group_grant(permissions=ORGANISER_PERMISSIONS, using=using)


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring import notification_kinds  # noqa: F401  (registers the kinds)

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="mentoring.organisers_group"
        )
