from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import ORGANISER_PERMISSIONS, organiser_permissions_handler

_ensure_organisers_group = organiser_permissions_handler(ORGANISER_PERMISSIONS)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_organisers_group, sender=self, dispatch_uid="events.organisers_group"
        )
