from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import organiser_permissions_handler

# What organisers may do with judging in the admin: set up rounds and their criteria
# (through judging.services); jurors, assignments, reviews and scores are records to read.
ORGANISER_PERMISSIONS = (
    "judging.view_judginground",
    "judging.add_judginground",
    "judging.change_judginground",
    "judging.view_criterion",
    "judging.add_criterion",
    "judging.change_criterion",
    "judging.delete_criterion",
    "judging.view_juror",
    "judging.view_assignment",
    "judging.view_review",
    "judging.view_score",
)

_grant_organisers = organiser_permissions_handler(ORGANISER_PERMISSIONS)


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self) -> None:
        from hackathon.rules_cache import forget_on_change
        from judging import notification_kinds  # noqa: F401  (registers the kinds)
        from judging.models import Juror

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="judging.organisers_group"
        )
        forget_on_change(Juror)  # judging.rules.is_juror_of_round reads them
