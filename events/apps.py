from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_organisers_group(sender, *, using: str, apps=global_apps, **kwargs) -> None:
    """Create the organisers' group with its permissions after every migrate (idempotent).

    `flush` sends post_migrate without `apps`, hence the default.
    """
    try:
        # Nothing to do while auth is not migrated (e.g. `migrate auth zero`).
        apps.get_model("auth", "Group")
        apps.get_model("events", "Event")
    except LookupError:
        return
    from events.roles import ORGANISER_PERMISSIONS
    from events.services import organisers_group_grant

    organisers_group_grant(permissions=ORGANISER_PERMISSIONS, using=using)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_organisers_group, sender=self, dispatch_uid="events.organisers_group"
        )
