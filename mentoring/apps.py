from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import organiser_permissions_handler
from teams.signals import team_closed

# What organisers may do with help requests in the admin: look, correct, never delete.
ORGANISER_PERMISSIONS = (
    "mentoring.view_helprequest",
    "mentoring.change_helprequest",
)


_grant_organisers = organiser_permissions_handler(ORGANISER_PERMISSIONS)


def _close_help_requests_of_closed_team(sender, *, team_id: int, actor=None, **kwargs) -> None:
    """A closed team needs no more help: its open and claimed requests close with it."""
    from mentoring.services import help_requests_close_for_team

    help_requests_close_for_team(team_id=team_id, actor=actor)


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring import notification_kinds  # noqa: F401  (registers the kinds)

        post_migrate.connect(
            _grant_organisers, sender=self, dispatch_uid="mentoring.organisers_group"
        )
        team_closed.connect(
            _close_help_requests_of_closed_team, dispatch_uid="mentoring.close_with_team"
        )
