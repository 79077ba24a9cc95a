from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from events.roles import organiser_permissions_handler
from participants import signals as participants_signals

# What organisers may do with teams in the admin: look after them, never found or delete
# them there (members and counts are kept by the services).
ORGANISER_PERMISSIONS = (
    "teams.view_team",
    "teams.change_team",
    "teams.view_membership",
    "teams.change_membership",
    "teams.view_openrole",
    "teams.add_openrole",
    "teams.change_openrole",
    "teams.delete_openrole",
    "teams.view_joinrequest",
    "teams.view_invitation",
    "teams.change_invitation",
)


_grant_organisers = organiser_permissions_handler(ORGANISER_PERMISSIONS)


def _withdraw_requests_of_unregistered(sender, *, event, user, **kwargs) -> None:
    """A person who unregistered from an event can no longer be let into its teams."""
    from teams.services import join_requests_withdraw_of_person

    join_requests_withdraw_of_person(event=event, user=user)


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Teams")

    def ready(self) -> None:
        from hackathon.rules_cache import forget_on_change
        from teams import (
            notification_kinds,  # noqa: F401  (registers the kinds)
            receivers,
        )
        from teams.models import Membership

        post_migrate.connect(_grant_organisers, sender=self, dispatch_uid="teams.organisers_group")
        participants_signals.registration_cancelled.connect(
            _withdraw_requests_of_unregistered, dispatch_uid="teams.withdraw_requests_on_cancel"
        )
        for name in (
            "people_in_teams",
            "profiles_opened_to",
            "people_finder_allowed",
            "people_finder_context",
        ):
            getattr(participants_signals, name).connect(
                getattr(receivers, name), dispatch_uid=f"teams.{name}"
            )
        forget_on_change(Membership)  # teams.rules.member_role reads the memberships
