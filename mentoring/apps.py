from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import organiser_permissions_handler

# What organisers may do with help requests in the admin: look, correct, never delete.
ORGANISER_PERMISSIONS = (
    "mentoring.view_helprequest",
    "mentoring.change_helprequest",
)


_grant_organisers = organiser_permissions_handler(ORGANISER_PERMISSIONS)


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring import notification_kinds  # noqa: F401  (registers the kinds)

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="mentoring.organisers_group"
        )
